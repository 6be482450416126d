/// Encodes a row in the ``RowFormat``.
///
/// One encoder writes one row into one growing buffer. Codable never says when a container is
/// finished, so the size of an array or object is written when the value that opened it returns
/// from `encode(to:)`, or when a container further out is written to: a one-byte placeholder is
/// reserved, and for the rare payload of 128 bytes or more the payload is moved up to make room
/// for a longer varint.
///
/// `codingPath` is always empty, here and in the containers: keeping it would cost an allocation
/// per nested value. Errors get their full path as they unwind instead (see ``RowIndexKey``).
final class RowEncoder: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    // The mutable state is `@exclusivity(unchecked)`: the runtime's checks of exclusive access to
    // class properties took a third of the encoding time, and one encoder serves one call on
    // one thread, where no access to a property overlaps another.

    /// The row so far.
    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
    /// Arrays and objects whose size is not written yet, innermost last.
    @exclusivity(unchecked) private var open: [OpenComposite] = []
    /// Where the value now being encoded starts: a container asked for there opens a composite.
    @exclusivity(unchecked) private var valueStart = 0
    /// How many composites were open when the value now being encoded started; those are its
    /// ancestors, and writing to them before it is finished would interleave two values.
    @exclusivity(unchecked) private var floor = 0
    @exclusivity(unchecked) private var nextID = 0
    /// The first misuse of the `Encoder` API found where it could not be thrown; thrown when the
    /// row is finished.
    @exclusivity(unchecked) private var misuse: EncodingError?

    /// An array or object not finished yet.
    struct OpenComposite {
        /// Where its tag is.
        var header: Int
        var isArray: Bool
        /// Its elements so far (arrays only).
        var count: Int
        /// Tells a container of a finished composite from one of the composite now at its place.
        var id: Int
    }

    /// What a container holds to write into its composite.
    struct Handle {
        var index: Int
        var id: Int
        static let invalid = Handle(index: -1, id: -1)
    }

    /// The row format's bytes for `value`.
    ///
    /// - Throws: `EncodingError` when a value cannot be encoded deterministically (a `Set`, a
    ///   dictionary with keys of another type than `String`, `Int` or a `CodingKeyRepresentable`)
    ///   or misuses the `Encoder` API; whatever `value.encode(to:)` throws.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = RowEncoder()
        encoder.bytes.reserveCapacity(256)
        encoder.bytes.append(RowFormat.version)
        try encoder.encodeValue(value)
        if let misuse = encoder.misuse { throw misuse }
        return encoder.bytes
    }

    // MARK: - Values

    /// Writes one value, whatever it is.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if writeScalar(value) { return }
        if let override = value as? any RowEncodingOverride {
            try override.encodeRow(into: self)
            return
        }
        try encodeComposite(value)
    }

    /// Writes a value through its own `encode(to:)`, known to be neither a scalar nor a
    /// ``RowEncodingOverride``.
    func encodeComposite<T: Encodable>(_ value: T) throws {
        let outerStart = valueStart
        let outerFloor = floor
        valueStart = bytes.count
        floor = open.count
        defer {
            valueStart = outerStart
            floor = outerFloor
        }
        try value.encode(to: self)
        while open.count > floor { close(open.removeLast()) }
        // A value that wrote nothing is an empty object, as JSONEncoder writes `{}`.
        if bytes.count == valueStart { bytes.append(contentsOf: [RowFormat.Tag.object, 0]) }
    }

    /// Writes `value` when it is one of the scalar types; returns whether it was.
    @inline(__always)
    private func writeScalar<T>(_ value: T) -> Bool {
        guard let kind = RowScalar(T.self) else { return false }
        // Bit casts between identical types: `kind` says which type T is.
        switch kind {
        case .string: writeString(unsafeBitCast(value, to: String.self))
        case .int: writeInteger(unsafeBitCast(value, to: Int.self))
        case .int64: writeInteger(unsafeBitCast(value, to: Int64.self))
        case .uint64: writeInteger(unsafeBitCast(value, to: UInt64.self))
        case .bool: writeBool(unsafeBitCast(value, to: Bool.self))
        case .double: writeDouble(unsafeBitCast(value, to: Double.self))
        case .int32: writeInteger(unsafeBitCast(value, to: Int32.self))
        case .uint32: writeInteger(unsafeBitCast(value, to: UInt32.self))
        case .uint: writeInteger(unsafeBitCast(value, to: UInt.self))
        case .float: writeDouble(Double(unsafeBitCast(value, to: Float.self)))
        case .int16: writeInteger(unsafeBitCast(value, to: Int16.self))
        case .uint16: writeInteger(unsafeBitCast(value, to: UInt16.self))
        case .int8: writeInteger(unsafeBitCast(value, to: Int8.self))
        case .uint8: writeInteger(unsafeBitCast(value, to: UInt8.self))
        }
        return true
    }

    // MARK: - Scalars

    func writeNil() {
        bytes.append(RowFormat.Tag.null)
    }

    func writeBool(_ value: Bool) {
        bytes.append(value ? RowFormat.Tag.true : RowFormat.Tag.false)
    }

    func writeInteger<I: FixedWidthInteger>(_ value: I) {
        if value >= 0 {
            let magnitude = UInt64(truncatingIfNeeded: value)
            if magnitude < RowFormat.Tag.smallIntegerLimit {
                bytes.append(RowFormat.Tag.smallInteger | UInt8(truncatingIfNeeded: magnitude))
            } else {
                bytes.append(RowFormat.Tag.positive)
                writeVarint(magnitude)
            }
        } else {
            // −1 − n, which is ~n, fits in 63 bits for every negative Int64 n, Int64.min included.
            bytes.append(RowFormat.Tag.negative)
            writeVarint(UInt64(bitPattern: ~Int64(truncatingIfNeeded: value)))
        }
    }

    func writeDouble(_ value: Double) {
        bytes.append(RowFormat.Tag.double)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits &>> shift)) }
    }

    func writeString(_ value: String) {
        let count = value.utf8.count
        if count < RowFormat.Tag.shortStringLimit {
            bytes.append(RowFormat.Tag.shortString + UInt8(truncatingIfNeeded: count))
        } else {
            bytes.append(RowFormat.Tag.string)
            writeVarint(UInt64(count))
        }
        writeUTF8(value)
    }

    /// A field's key: its UTF-8 bytes after their count.
    func writeKey(_ key: String) {
        writeVarint(UInt64(key.utf8.count))
        writeUTF8(key)
    }

    private func writeUTF8(_ value: String) {
        let copied: Void? = value.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: value.utf8) }
    }

    func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest &>>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    // MARK: - Sized payloads

    /// Writes an array of `count` elements; `body` writes the elements.
    func writeArray(count: Int, _ body: () throws -> Void) rethrows {
        bytes.append(RowFormat.Tag.array)
        let sizeAt = bytes.count
        bytes.append(0)
        writeVarint(UInt64(count))
        try body()
        finishPayload(sizeAt: sizeAt)
    }

    /// Writes an object; `body` writes its fields with ``writeKey(_:)`` and a value each.
    func writeObject(_ body: () throws -> Void) rethrows {
        bytes.append(RowFormat.Tag.object)
        let sizeAt = bytes.count
        bytes.append(0)
        try body()
        finishPayload(sizeAt: sizeAt)
    }

    /// Writes the size of the payload after the one-byte placeholder at `sizeAt`.
    private func finishPayload(sizeAt: Int) {
        let size = bytes.count - sizeAt - 1
        if size < 0x80 {
            bytes[sizeAt] = UInt8(truncatingIfNeeded: size)
            return
        }
        let sizeBytes = RowFormat.varintSize(UInt64(size))
        makeRoom(sizeBytes - 1, at: sizeAt + 1)
        writeVarint(UInt64(size), at: sizeAt)
    }

    /// Moves the bytes from `offset` on up by `count`.
    private func makeRoom(_ count: Int, at offset: Int) {
        let moved = bytes.count - offset
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBytes { buffer in
            // copyMemory is a memmove: the two ranges overlap.
            (buffer.baseAddress! + offset + count).copyMemory(from: buffer.baseAddress! + offset, byteCount: moved)
        }
    }

    private func writeVarint(_ value: UInt64, at offset: Int) {
        var rest = value
        var index = offset
        while rest >= 0x80 {
            bytes[index] = UInt8(truncatingIfNeeded: rest) | 0x80
            rest &>>= 7
            index += 1
        }
        bytes[index] = UInt8(truncatingIfNeeded: rest)
    }

    // MARK: - Composites of containers

    /// The composite for a container the value being encoded asks for: a new one, or the one it
    /// already opened (a type may ask twice, as a subclass and its superclass do).
    func composite(isArray: Bool) -> Handle {
        if open.count == floor + 1, let last = open.last, last.header == valueStart, last.isArray == isArray {
            return Handle(index: open.count - 1, id: last.id)
        }
        guard open.count == floor, bytes.count == valueStart else {
            record("a value asked for a container after writing something else")
            return .invalid
        }
        return push(isArray: isArray)
    }

    /// Opens a composite as a field or element of the one `parent` refers to.
    func nestedComposite(isArray: Bool, key: (any CodingKey)?, in parent: Handle) -> Handle {
        do {
            try beginWrite(parent)
        } catch {
            record("a nested container was asked of a finished container")
            return .invalid
        }
        if let key { writeKey(key.stringValue) } else { open[parent.index].count += 1 }
        return push(isArray: isArray)
    }

    private func push(isArray: Bool) -> Handle {
        nextID += 1
        open.append(OpenComposite(header: bytes.count, isArray: isArray, count: 0, id: nextID))
        bytes.append(isArray ? RowFormat.Tag.array : RowFormat.Tag.object)
        // Placeholders for the size and, in an array, the element count.
        bytes.append(0)
        if isArray { bytes.append(0) }
        return Handle(index: open.count - 1, id: nextID)
    }

    /// Makes ready to write into the composite of `handle`: finishes the composites opened inside
    /// it since (nested containers, which are never told they are done).
    @inline(__always)
    func beginWrite(_ handle: Handle) throws {
        if handle.index == open.count - 1, handle.index >= floor, open[handle.index].id == handle.id { return }
        guard handle.index >= floor, handle.index < open.count, open[handle.index].id == handle.id else {
            throw misuseError("a container was written to after it was finished, or while a value in it was encoded")
        }
        while open.count - 1 > handle.index { close(open.removeLast()) }
    }

    /// Makes ready to write an element into the array of `handle`; returns the element's index.
    func beginElement(_ handle: Handle) throws -> Int {
        try beginWrite(handle)
        defer { open[handle.index].count += 1 }
        return open[handle.index].count
    }

    /// How many elements the array of `handle` has so far.
    func elementCount(_ handle: Handle) -> Int {
        guard handle.index >= 0, handle.index < open.count, open[handle.index].id == handle.id else { return 0 }
        return open[handle.index].count
    }

    /// Makes ready to write the single value of a container made when the value started at
    /// `start` with `depth` composites open.
    func beginSingleValue(start: Int, depth: Int) throws {
        guard bytes.count == start, open.count == depth else {
            throw misuseError("a single value container was written to twice, or after a container")
        }
    }

    /// A single value container for the value being encoded.
    func singleValue() -> (start: Int, depth: Int) {
        (bytes.count == valueStart ? valueStart : -1, open.count)
    }

    /// Writes the element count and size of a finished composite.
    private func close(_ composite: OpenComposite) {
        if composite.isArray {
            let countAt = composite.header + 2
            let count = UInt64(composite.count)
            if count < 0x80 {
                bytes[countAt] = UInt8(truncatingIfNeeded: count)
            } else {
                makeRoom(RowFormat.varintSize(count) - 1, at: countAt + 1)
                writeVarint(count, at: countAt)
            }
        }
        finishPayload(sizeAt: composite.header + 1)
    }

    // MARK: - Misuse

    func record(_ message: String) {
        if misuse == nil { misuse = misuseError(message) }
    }

    func misuseError(_ message: String) -> EncodingError {
        EncodingError.invalidValue(message, EncodingError.Context(codingPath: [], debugDescription: message))
    }
}
