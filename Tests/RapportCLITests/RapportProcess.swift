import Foundation
import RapportTestSupport
import Testing

/// What a finished `rapport` process left.
struct Run {
    var status: Int32
    var output: String
    var errors: String
}

/// Runs the built `rapport` with `arguments` to the end, outside any data directory set in the
/// environment.
func rapport(_ arguments: String...) throws -> Run {
    try rapport(arguments)
}

/// Runs the built `rapport` with an argument array, like the variadic form.
func rapport(_ arguments: [String]) throws -> Run {
    let process = try rapportProcess(arguments)
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus,
        output: String(decoding: outputData, as: UTF8.self),
        errors: String(decoding: errorData, as: UTF8.self)
    )
}

/// A `rapport` process ready to run with `arguments`.
func rapportProcess(_ arguments: [String]) throws -> Process {
    let executable = try #require(builtExecutable(named: "rapport"), "rapport is built with the tests")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["RAPPORT_DATA_DIR"] = nil
    process.environment = environment
    return process
}
