import Crypto
public import Foundation

/// The binary record envelope, the one place that knows its layout.
///
/// A stored record is its canonical bytes followed by the 32-byte chain hash
/// `SHA-256(previous hash ‖ canonical bytes)`. Canonical bytes, little-endian:
///
/// ```
/// u8 format (1) · u64 position · u64 stream version · i64 recorded-at ns · i64 occurred-at ns
/// 16 event id · u32 schema version · u8 flags (1: correlation id, 2: causation id)
/// [16 correlation id] [16 causation id]
/// u16+bytes stream · u16+bytes type · u16+bytes content type · u16+bytes actor
/// u32+bytes payload
/// ```
enum RecordFormat {
    static let version: UInt8 = 1
    static let hashSize = 32
    static let fixedSize = 54
    static let hasCorrelation: UInt8 = 1
    static let hasCausation: UInt8 = 2

    /// The canonical size of an event once stored.
    static func canonicalSize(streamBytes: Int, event: EventData) -> Int {
        var size = fixedSize + 2 + streamBytes + 2 + event.type.utf8.count + 2 + event.contentType.utf8.count
        size += 2 + event.metadata.actor.utf8.count + 4 + event.payload.count
        if event.metadata.correlationID != nil { size += 16 }
        if event.metadata.causationID != nil { size += 16 }
        return size
    }

    /// Writes the canonical bytes of an event into `buffer`, which has exactly
    /// ``canonicalSize(streamBytes:event:)`` bytes.
    static func encode(
        into buffer: UnsafeMutableRawBufferPointer,
        position: UInt64,
        stream: StreamName,
        streamVersion: UInt64,
        recordedAt: Timestamp,
        event: EventData
    ) {
        var writer = Writer(buffer: buffer)
        writer.write(version)
        writer.write(position)
        writer.write(streamVersion)
        writer.write(UInt64(bitPattern: recordedAt.nanosecondsSinceEpoch))
        writer.write(UInt64(bitPattern: (event.metadata.occurredAt ?? recordedAt).nanosecondsSinceEpoch))
        writer.write(event.id)
        writer.write(event.schemaVersion)
        var flags: UInt8 = 0
        if event.metadata.correlationID != nil { flags |= hasCorrelation }
        if event.metadata.causationID != nil { flags |= hasCausation }
        writer.write(flags)
        if let correlation = event.metadata.correlationID { writer.write(correlation) }
        if let causation = event.metadata.causationID { writer.write(causation) }
        writer.writeShortString(stream.rawValue)
        writer.writeShortString(event.type)
        writer.writeShortString(event.contentType)
        writer.writeShortString(event.metadata.actor)
        writer.write(UInt32(event.payload.count))
        writer.write(bytes: event.payload)
        assert(writer.offset == buffer.count, "canonical size and encoding disagree")
    }

    /// `SHA-256(previous ‖ canonical)`, written into `output` (32 bytes).
    static func chainHash(previous: UnsafeRawBufferPointer, canonical: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        var hasher = SHA256()
        hasher.update(bufferPointer: previous)
        hasher.update(bufferPointer: canonical)
        let digest = hasher.finalize()
        digest.withUnsafeBytes { output.copyMemory(from: $0) }
    }

    private struct Writer {
        let buffer: UnsafeMutableRawBufferPointer
        var offset = 0

        mutating func write<T: FixedWidthInteger>(_ value: T) {
            buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
            offset += MemoryLayout<T>.size
        }

        mutating func write(_ id: UUID) {
            withUnsafeBytes(of: id.uuid) { write(bytes: $0) }
        }

        mutating func write(bytes: some Collection<UInt8>) {
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + bytes.count])
            target.copyBytes(from: bytes)
            offset += bytes.count
        }

        mutating func writeShortString(_ string: String) {
            var string = string
            string.withUTF8 { utf8 in
                write(UInt16(utf8.count))
                write(bytes: UnsafeRawBufferPointer(utf8))
            }
        }
    }
}

/// A stored record read in place: fields are decoded on demand from the memory map.
///
/// Valid only inside the read transaction that produced it, which is why it is `~Copyable`
/// and handed out as `borrowing`: it cannot be kept. Call ``decode()`` to copy what you keep.
public struct RecordView: ~Copyable {
    /// The stored bytes: canonical bytes then the hash.
    let bytes: UnsafeRawBufferPointer
    private let streamOffset: Int
    private let typeOffset: Int
    private let contentTypeOffset: Int
    private let actorOffset: Int
    private let payloadOffset: Int

    /// Checks the envelope's structure; the hash is not checked here (that is `verify`).
    init(bytes: UnsafeRawBufferPointer, expectedPosition: UInt64) throws(EventStoreError) {
        let offsets = try Self.fieldOffsets(of: bytes, expectedPosition: expectedPosition)
        self.bytes = bytes
        (streamOffset, typeOffset, contentTypeOffset, actorOffset, payloadOffset) = offsets
    }

    /// Where the variable-length fields start, after checking that they fit the record.
    static func fieldOffsets(
        of bytes: UnsafeRawBufferPointer,
        expectedPosition: UInt64
    ) throws(EventStoreError) -> (Int, Int, Int, Int, Int) {
        guard bytes.count >= RecordFormat.fixedSize + 12 + RecordFormat.hashSize else {
            throw .corruptRecord(at: expectedPosition, "only \(bytes.count) bytes")
        }
        guard bytes[0] == RecordFormat.version else {
            throw .corruptRecord(at: expectedPosition, "unknown record format \(bytes[0])")
        }
        let flags = bytes[53]
        var offset = RecordFormat.fixedSize
        if flags & RecordFormat.hasCorrelation != 0 { offset += 16 }
        if flags & RecordFormat.hasCausation != 0 { offset += 16 }
        let end = bytes.count - RecordFormat.hashSize
        func skipShort(_ offset: inout Int) throws(EventStoreError) -> Int {
            guard offset + 2 <= end else { throw .corruptRecord(at: expectedPosition, "truncated at byte \(offset)") }
            let start = offset
            offset += 2 + Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            return start
        }
        let stream = try skipShort(&offset)
        let type = try skipShort(&offset)
        let contentType = try skipShort(&offset)
        let actor = try skipShort(&offset)
        guard offset + 4 <= end else { throw .corruptRecord(at: expectedPosition, "truncated at byte \(offset)") }
        let payloadLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        guard offset + 4 + payloadLength == end else {
            throw .corruptRecord(at: expectedPosition, "payload length \(payloadLength) does not fit the record")
        }
        return (stream, type, contentType, actor, offset)
    }

    private func integer<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    private func shortBytes(at offset: Int) -> UnsafeRawBufferPointer {
        let length = Int(integer(at: offset, as: UInt16.self))
        return UnsafeRawBufferPointer(rebasing: bytes[offset + 2..<offset + 2 + length])
    }

    private func uuid(at offset: Int) -> UUID {
        var raw = UUID().uuid
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 16])) }
        return UUID(uuid: raw)
    }

    /// The global position.
    public var position: UInt64 { integer(at: 1) }
    /// The version in its stream.
    public var streamVersion: UInt64 { integer(at: 9) }
    /// When the log recorded it.
    public var recordedAt: Timestamp { Timestamp(nanosecondsSinceEpoch: integer(at: 17)) }
    /// When the fact happened.
    public var occurredAt: Timestamp { Timestamp(nanosecondsSinceEpoch: integer(at: 25)) }
    /// The event id.
    public var id: UUID { uuid(at: 33) }
    /// The payload's schema version.
    public var schemaVersion: UInt32 { integer(at: 49) }
    /// The stream name's UTF-8 bytes.
    public var streamBytes: UnsafeRawBufferPointer { shortBytes(at: streamOffset) }
    /// The event type's UTF-8 bytes.
    public var typeBytes: UnsafeRawBufferPointer { shortBytes(at: typeOffset) }
    /// The content type's UTF-8 bytes.
    public var contentTypeBytes: UnsafeRawBufferPointer { shortBytes(at: contentTypeOffset) }
    /// The actor's UTF-8 bytes.
    public var actorBytes: UnsafeRawBufferPointer { shortBytes(at: actorOffset) }
    /// The payload, in place.
    public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[(payloadOffset + 4)..<(bytes.count - RecordFormat.hashSize)])
    }
    /// The canonical bytes the chain hash covers.
    public var canonicalBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - RecordFormat.hashSize)])
    }
    /// The stored chain hash.
    public var hashBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - RecordFormat.hashSize)...])
    }

    /// The stream's category, compared without copying.
    func streamCategoryMatches(_ category: [UInt8]) -> Bool {
        let stream = streamBytes
        return stream.count > category.count && stream[category.count] == UInt8(ascii: "-")
            && stream.starts(with: category)
    }

    /// Copies the record out of the map.
    public func decode() -> RecordedEvent {
        let flags = bytes[53]
        var optionalOffset = RecordFormat.fixedSize
        var correlation: UUID?
        var causation: UUID?
        if flags & RecordFormat.hasCorrelation != 0 {
            correlation = uuid(at: optionalOffset)
            optionalOffset += 16
        }
        if flags & RecordFormat.hasCausation != 0 { causation = uuid(at: optionalOffset) }
        return RecordedEvent(
            position: position,
            stream: StreamName(trusted: String(decoding: streamBytes, as: UTF8.self)),
            streamVersion: streamVersion,
            id: id,
            type: String(decoding: typeBytes, as: UTF8.self),
            schemaVersion: schemaVersion,
            contentType: String(decoding: contentTypeBytes, as: UTF8.self),
            recordedAt: recordedAt,
            occurredAt: occurredAt,
            actor: String(decoding: actorBytes, as: UTF8.self),
            correlationID: correlation,
            causationID: causation,
            payload: Array(payload),
            hash: ChainHash(bytes: Array(hashBytes))
        )
    }
}
