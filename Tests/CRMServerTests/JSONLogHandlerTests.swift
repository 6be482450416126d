import CRMServer
import Foundation
import Logging
import Testing

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    @Test(
        "an entry is one line of JSON with its level, label, message, source and metadata, awkward characters escaped"
    )
    func oneObjectPerLine() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        var logger = Logger(label: "rapport.test") { JSONLogHandler(label: $0, output: fds[1]) }
        logger.logLevel = .debug
        logger[metadataKey: "actor"] = "user-7"
        logger.info("first \"quoted\"\nline", metadata: ["count": "3", "ids": ["a", "b"], "nested": ["key": "value"]])
        logger.trace("below the level: not written")
        logger.warning("second")
        close(fds[1])
        let output = String(decoding: FileHandle(fileDescriptor: fds[0]).readDataToEndOfFile(), as: UTF8.self)
        let lines = output.split(separator: "\n")
        try #require(lines.count == 2, "\(output)")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["level"] as? String == "info")
        #expect(first["label"] as? String == "rapport.test")
        #expect(first["message"] as? String == "first \"quoted\"\nline")
        #expect(first["source"] as? String == "CRMServerTests")
        let timestamp = try #require(first["timestamp"] as? String)
        #expect(
            try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp).timeIntervalSinceNow > -60
        )
        let metadata = try #require(first["metadata"] as? [String: Any])
        #expect(metadata["actor"] as? String == "user-7")
        #expect(metadata["count"] as? String == "3")
        #expect(metadata["ids"] as? [String] == ["a", "b"])
        #expect(metadata["nested"] as? [String: String] == ["key": "value"])
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["level"] as? String == "warning")
        #expect(second["message"] as? String == "second")
    }
}
