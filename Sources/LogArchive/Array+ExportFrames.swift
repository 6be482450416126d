// MARK: - Binary frames

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends a binary frame: kind, body length, then what `body` appends.
    ///
    /// The length is patched in afterwards, so a record's bytes are copied once, straight
    /// into the output.
    mutating func appendFrame(_ kind: ExportFormat.FrameKind, _ body: (inout [UInt8]) -> Void) {
        append(kind.rawValue)
        let lengthAt = count
        appendLittleEndian(UInt32(0))
        body(&self)
        let length = UInt32(count - lengthAt - 4)
        Swift.withUnsafeBytes(of: length.littleEndian) { replaceSubrange(lengthAt..<lengthAt + 4, with: $0) }
    }
}
