import CRMSchema
import CRMService
import EventStore
import Foundation
import RapportTestSupport
import Synchronization
import Testing

/// What a finished `rapport` process left.
struct Run {
    var status: Int32
    var output: String
    var errors: String
    /// Whether a signal ended it (a crash, or a limit's default action): `status` is then the
    /// signal's number.
    var wasSignalled = false
}

/// Runs the built `rapport` with `arguments` to the end, outside any data directory set in the
/// environment.
func rapport(_ arguments: String...) throws -> Run {
    try rapport(arguments)
}

/// Runs the built `rapport` with an argument array, like the variadic form: directly, or
/// through `launcher`; with standard output to `output` when given, else collected.
func rapport(_ arguments: [String], through launcher: Launcher = .direct, output: FileHandle? = nil) throws -> Run {
    let process = try rapportProcess(arguments)
    if let command = launcher.command.first, let executable = process.executableURL?.path {
        process.arguments = Array(launcher.command.dropFirst()) + [executable] + arguments
        process.executableURL = URL(fileURLWithPath: command)
    }
    return try finish(process, output: output)
}

/// How `rapport` is started: directly, or through a command that sets the process up and then
/// executes its arguments.
struct Launcher {
    var command: [String]

    static let direct = Launcher(command: [])

    /// Every file the process writes is limited to `bytes`: a write past the limit fails with
    /// EFBIG, as it would with ENOSPC on a full disk (SIGXFSZ is ignored, so it does not kill).
    static func fileSizeLimit(_ bytes: Int) -> Launcher {
        Launcher(command: ["/bin/sh", "-c", #"trap "" XFSZ; exec prlimit --fsize="$0" "$@""#, "\(bytes)"])
    }

    /// As the unprivileged user `nobody` (65534) with no supplementary groups, so that file
    /// modes deny what they say even when the tests run as root.
    static let unprivileged = Launcher(command: [
        "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
    ])

    /// Whether ``unprivileged`` drops privileges: the tests run as root, and `setpriv` (util-linux)
    /// is installed.
    static var canDropPrivileges: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }
}

/// A `rapport` process ready to run with `arguments`.
func rapportProcess(_ arguments: [String]) throws -> ChildProcess {
    let executable = try #require(builtExecutable(named: "rapport"), "rapport is built with the tests")
    let process = ChildProcess()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["RAPPORT_DATA_DIR"] = nil
    process.environment = environment
    return process
}

/// Runs `process` to the end, collecting standard error and, unless it goes to `output`,
/// standard output.
private func finish(_ process: ChildProcess, output: FileHandle? = nil) throws -> Run {
    let outputPipe = Pipe()
    let errors = Pipe()
    process.standardOutput = output ?? outputPipe
    process.standardError = errors
    try process.run()
    // Both pipes read at once: a process filling one while the other is read would block for ever.
    let errorData = Mutex(Data())
    let readingErrors = DispatchGroup()
    DispatchQueue.global().async(group: readingErrors) {
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        errorData.withLock { $0 = data }
    }
    let outputData = output == nil ? outputPipe.fileHandleForReading.readDataToEndOfFile() : Data()
    readingErrors.wait()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus,
        output: String(decoding: outputData, as: UTF8.self),
        errors: String(decoding: errorData.withLock { $0 }, as: UTF8.self),
        wasSignalled: process.terminationReason == .uncaughtSignal
    )
}

/// A port that was free a moment ago.
func freeLocalPort() throws -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            try #require(bind(socket, generic, length) == 0)
            try #require(getsockname(socket, generic, &length) == 0)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A new log at `path` with one sales rep, Rui, owning `count` customers; their ids, and a
/// token acting as Rui.
func logWithRepAndCustomers(
    at path: String,
    count: Int
) async throws -> (rep: String, customers: [String], token: String) {
    let writer = try LMDBEventLog(directory: path)
    let crm = CRMService(log: writer)
    let rep = try await crm.addUser(NewUser(name: "Rui", email: "rui@example.com", role: .salesRep), actor: "setup")
    var customers: [String] = []
    for index in 0..<count {
        var customer = NewCustomer(name: "Harbour Logistics \(index)")
        customer.ownerID = rep
        customers.append(try await crm.createCustomer(customer, actor: rep))
    }
    await writer.close()
    let token = try rapport("token", "create", "--user", rep, "--data-dir", path).output.trimmingCharacters(
        in: .whitespacesAndNewlines
    )
    return (rep, customers, token)
}
