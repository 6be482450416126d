public import Foundation
import Synchronization

/// A child process started with `posix_spawn`: the part of Foundation's `Process` the tests use.
///
/// Foundation's `Process.run()` on Linux (Swift 6.3) can crash the test runner while starting a
/// child: it copies each `/proc/self/fd` entry's whole 256-byte name field, reading past the end
/// of glibc's directory buffer (swift-corelibs-foundation#5472). Here the child closes every
/// descriptor above standard error itself (`posix_spawn_file_actions_addclosefrom_np`), so
/// nothing reads that directory.
public final class ChildProcess: Sendable {
    /// How a child ended.
    public enum TerminationReason: Sendable {
        /// It exited, with ``terminationStatus`` as its status.
        case exit
        /// A signal ended it, whose number is ``terminationStatus``.
        case uncaughtSignal
    }

    /// Where a standard stream of the child goes.
    enum Stream: Sendable {
        /// The write end of a pipe whose read end the test reads (closed here once the child
        /// has its copy, so the reader sees the end when the child exits).
        case pipe(Pipe)
        /// An open file.
        case file(FileHandle)
    }

    /// What the child runs, set before ``run()``.
    private struct Launch: Sendable {
        var executableURL: URL?
        var arguments: [String] = []
        var environment: [String: String]?
        var standardOutput: Stream?
        var standardError: Stream?
    }

    private let launch = Mutex(Launch())
    private let state = Mutex<(pid: pid_t, waitStatus: Int32?)>((0, nil))

    /// A child not started yet.
    public init() {}

    /// The program to run.
    public var executableURL: URL? {
        get { launch.withLock { $0.executableURL } }
        set { launch.withLock { $0.executableURL = newValue } }
    }

    /// Its arguments, without the program's name.
    public var arguments: [String] {
        get { launch.withLock { $0.arguments } }
        set { launch.withLock { $0.arguments = newValue } }
    }

    /// Its environment; the test's own when `nil`.
    public var environment: [String: String]? {
        get { launch.withLock { $0.environment } }
        set { launch.withLock { $0.environment = newValue } }
    }

    /// Where its standard output goes: a `Pipe` or a `FileHandle`; inherited when `nil`.
    public var standardOutput: Any? {
        get { launch.withLock { $0.standardOutput?.object } }
        set { launch.withLock { $0.standardOutput = Stream(newValue) } }
    }

    /// Where its standard error goes: a `Pipe` or a `FileHandle`; inherited when `nil`.
    public var standardError: Any? {
        get { launch.withLock { $0.standardError?.object } }
        set { launch.withLock { $0.standardError = Stream(newValue) } }
    }

    /// The child's process id, 0 before ``run()``.
    public var processIdentifier: Int32 { state.withLock { $0.pid } }

    /// Starts the child.
    ///
    /// - Throws: `POSIXError` when it cannot be started (no such program, no permission).
    public func run() throws {
        let launch = launch.withLock { $0 }
        guard let path = launch.executableURL?.path else { throw POSIXError(.ENOENT) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (stream, target) in [(launch.standardOutput, STDOUT_FILENO), (launch.standardError, STDERR_FILENO)] {
            guard let stream else { continue }
            posix_spawn_file_actions_adddup2(&actions, stream.childDescriptor, target)
        }
        // Nothing else of the test's leaks to the child: a pipe's write end held by another
        // test's child would keep that test's reader waiting.
        guard let closeFrom = Self.closeFrom, closeFrom(&actions, 3) == 0 else { throw POSIXError(.ENOSYS) }

        let environment = (launch.environment ?? ProcessInfo.processInfo.environment).map { "\($0)=\($1)" }
        let argv = ([path] + launch.arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for string in argv + envp { free(string) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        state.withLock { $0.pid = pid }
        for stream in [launch.standardOutput, launch.standardError] {
            if case .pipe(let pipe) = stream { try? pipe.fileHandleForWriting.close() }
        }
    }

    /// Whether the child is still running.
    public var isRunning: Bool {
        let pid = processIdentifier
        guard pid > 0, state.withLock({ $0.waitStatus }) == nil else { return false }
        var status: Int32 = 0
        switch waitpid(pid, &status, WNOHANG) {
        case 0: return true
        case pid:
            state.withLock { $0.waitStatus = status }
            return false
        default:
            // Reaped by a waiter on another thread, which records the status.
            waitUntilExit()
            return false
        }
    }

    /// Waits until the child has ended.
    public func waitUntilExit() {
        let pid = processIdentifier
        guard pid > 0 else { return }
        while state.withLock({ $0.waitStatus }) == nil {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, 0)
            if reaped == pid {
                state.withLock { $0.waitStatus = status }
            } else if errno == ECHILD {
                // Another thread reaped it and is about to record the status.
                usleep(1_000)
            }
        }
    }

    /// The exit status, or the number of the signal that ended the child; after
    /// ``waitUntilExit()``.
    public var terminationStatus: Int32 {
        guard let status = state.withLock({ $0.waitStatus }) else { return 0 }
        return Self.signalled(status) ? status & 0x7F : (status >> 8) & 0xFF
    }

    /// Whether the child exited or a signal ended it; after ``waitUntilExit()``.
    public var terminationReason: TerminationReason {
        guard let status = state.withLock({ $0.waitStatus }) else { return .exit }
        return Self.signalled(status) ? .uncaughtSignal : .exit
    }

    /// `WIFSIGNALED`, which Swift does not import.
    private static func signalled(_ status: Int32) -> Bool {
        let signal = status & 0x7F
        return signal != 0 && signal != 0x7F
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's
    /// Glibc module does not import.
    private static let closeFrom: CloseFrom? = {
        // A null handle is glibc's RTLD_DEFAULT: the symbol wherever it is loaded.
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: CloseFrom.self) }
    }()

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
}

extension ChildProcess.Stream {
    /// A `Pipe` or a `FileHandle`; `nil` for anything else (the stream is then inherited).
    init?(_ value: Any?) {
        switch value {
        case let pipe as Pipe: self = .pipe(pipe)
        case let file as FileHandle: self = .file(file)
        default: return nil
        }
    }

    /// The `Pipe` or `FileHandle`.
    var object: Any {
        switch self {
        case .pipe(let pipe): pipe
        case .file(let file): file
        }
    }

    /// The descriptor the child gets.
    fileprivate var childDescriptor: Int32 {
        switch self {
        case .pipe(let pipe): pipe.fileHandleForWriting.fileDescriptor
        case .file(let file): file.fileDescriptor
        }
    }
}
