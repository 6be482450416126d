// A child process for the crash test: appends as fast as it can with several concurrent
// appenders, durably, and prints "position event-id" for every event whose append has
// returned, each line written straight to the pipe. The parent kills it with SIGKILL and
// checks that every printed event is in the log.
import EventStore
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: EventStoreCrashChild LOG-DIRECTORY\n".utf8))
    exit(2)
}
let log = try LMDBEventLog(directory: arguments[1])
FileHandle.standardOutput.write(Data("ready\n".utf8))
try await withThrowingTaskGroup(of: Void.self) { group in
    for appender in 0..<8 {
        group.addTask {
            let stream = try StreamName(category: "crash", id: "\(appender)")
            for round in 0... {
                let events = (0..<(1 + round % 5)).map { index in
                    EventData(
                        type: "crash.Appended",
                        contentType: "text/plain",
                        payload: Array("\(appender).\(round).\(index)".utf8)
                    )
                }
                let result = try await log.append(to: stream, events)
                let lines = zip(result.positions, events).map { "\($0) \($1.id.uuidString)\n" }.joined()
                FileHandle.standardOutput.write(Data(lines.utf8))
            }
        }
    }
    try await group.waitForAll()
}
