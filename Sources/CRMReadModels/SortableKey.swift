/// Numbers written into read-model keys so that the keys sort as the numbers do.
enum SortableKey {
    /// `value` as 16 hex digits, its sign bit flipped, so negative values sort before positive
    /// ones and every key part has the same width.
    static func hex(_ value: Int64) -> String {
        let flipped = UInt64(bitPattern: value) ^ (1 << 63)
        let digits = String(flipped, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The value ``hex(_:)`` wrote; `nil` for anything else.
    static func value(ofHex text: Substring) -> Int64? {
        guard text.utf8.count == 16, let flipped = UInt64(text, radix: 16) else { return nil }
        return Int64(bitPattern: flipped ^ (1 << 63))
    }
}
