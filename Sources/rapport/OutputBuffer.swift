import Foundation

/// Bytes to standard output, written in large pieces.
struct OutputBuffer: ~Copyable {
    private var bytes: [UInt8] = []
    private let handle: FileHandle
    private let threshold: Int

    init(_ handle: FileHandle = .standardOutput, threshold: Int = 1 << 16) {
        self.handle = handle
        self.threshold = threshold
        bytes.reserveCapacity(threshold + 4096)
    }

    /// Appends `body`'s bytes and a newline, writing out once the buffer is large.
    mutating func line(_ body: (inout [UInt8]) -> Void) throws {
        body(&bytes)
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= threshold { try flush() }
    }

    mutating func flush() throws {
        guard !bytes.isEmpty else { return }
        try handle.write(contentsOf: bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
