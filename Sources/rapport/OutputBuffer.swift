import Foundation

/// Bytes to standard output, written in large pieces.
struct OutputBuffer: ~Copyable {
    private var bytes: [UInt8] = []
    private let threshold: Int

    init(threshold: Int = 1 << 16) {
        self.threshold = threshold
        bytes.reserveCapacity(threshold + 4096)
    }

    /// Appends `body`'s bytes and a newline, writing out once the buffer is large.
    mutating func line(_ body: (inout [UInt8]) -> Void) throws(OutputError) {
        body(&bytes)
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= threshold { try flush() }
    }

    mutating func flush() throws(OutputError) {
        guard !bytes.isEmpty else { return }
        try writeAll(bytes, to: STDOUT_FILENO, naming: "standard output")
        bytes.removeAll(keepingCapacity: true)
    }
}
