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
/// u16 stream length · u16 type length · u16 content-type length · u16 actor length
/// u32 payload length
/// [16 correlation id] [16 causation id] stream · type · content type · actor · payload
/// ```
///
/// Every length sits in the fixed header, so finding a field is arithmetic on one cache
/// line rather than a chain of dependent loads: scans run at memory speed.
enum RecordFormat {
    static let version: UInt8 = 1
    static let hashSize = 32
    static let fixedSize = 66
    static let hasCorrelation: UInt8 = 1
    static let hasCausation: UInt8 = 2

    /// The canonical size of an event once stored.
    static func canonicalSize(streamBytes: Int, event: EventData) -> Int {
        var size = fixedSize + streamBytes + event.type.utf8.count + event.contentType.utf8.count
        size += event.metadata.actor.utf8.count + event.payload.count
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
        writer.write(UInt16(stream.rawValue.utf8.count))
        writer.write(UInt16(event.type.utf8.count))
        writer.write(UInt16(event.contentType.utf8.count))
        writer.write(UInt16(event.metadata.actor.utf8.count))
        writer.write(UInt32(event.payload.count))
        if let correlation = event.metadata.correlationID { writer.write(correlation) }
        if let causation = event.metadata.causationID { writer.write(causation) }
        writer.write(string: stream.rawValue)
        writer.write(string: event.type)
        writer.write(string: event.contentType)
        writer.write(string: event.metadata.actor)
        writer.write(bytes: event.payload)
        assert(writer.offset == buffer.count, "canonical size and encoding disagree")
    }

    /// `SHA-256(previous ‖ canonical)`, written into `output` (32 bytes).
    static func chainHash(
        previous: UnsafeRawBufferPointer,
        canonical: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) {
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

        mutating func write(string: String) {
            var string = string
            string.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
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
    @inline(__always)
    static func fieldOffsets(
        of bytes: UnsafeRawBufferPointer,
        expectedPosition: UInt64
    ) throws(EventStoreError) -> (Int, Int, Int, Int, Int) {
        guard bytes.count >= RecordFormat.fixedSize + RecordFormat.hashSize else {
            throw .corruptRecord(at: expectedPosition, "only \(bytes.count) bytes")
        }
        guard bytes[0] == RecordFormat.version else {
            throw .corruptRecord(at: expectedPosition, "unknown record format \(bytes[0])")
        }
        func length<T: FixedWidthInteger>(at offset: Int, _: T.Type) -> Int {
            Int(T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self)))
        }
        let flags = bytes[53]
        let stream =
            RecordFormat.fixedSize
            + (flags & RecordFormat.hasCorrelation != 0 ? 16 : 0) + (flags & RecordFormat.hasCausation != 0 ? 16 : 0)
        let type = stream + length(at: 54, UInt16.self)
        let contentType = type + length(at: 56, UInt16.self)
        let actor = contentType + length(at: 58, UInt16.self)
        let payload = actor + length(at: 60, UInt16.self)
        guard payload + length(at: 62, UInt32.self) + RecordFormat.hashSize == bytes.count else {
            throw .corruptRecord(
                at: expectedPosition,
                "field lengths do not add up to the record's \(bytes.count) bytes"
            )
        }
        return (stream, type, contentType, actor, payload)
    }

    private func integer<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    private func field(from start: Int, to end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    private func uuid(at offset: Int) -> UUID {
        UUID(uuid: bytes.loadUnaligned(fromByteOffset: offset, as: uuid_t.self))
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
    public var streamBytes: UnsafeRawBufferPointer { field(from: streamOffset, to: typeOffset) }
    /// The event type's UTF-8 bytes.
    public var typeBytes: UnsafeRawBufferPointer { field(from: typeOffset, to: contentTypeOffset) }
    /// The content type's UTF-8 bytes.
    public var contentTypeBytes: UnsafeRawBufferPointer { field(from: contentTypeOffset, to: actorOffset) }
    /// The actor's UTF-8 bytes.
    public var actorBytes: UnsafeRawBufferPointer { field(from: actorOffset, to: payloadOffset) }
    /// The payload, in place.
    public var payload: UnsafeRawBufferPointer { field(from: payloadOffset, to: bytes.count - RecordFormat.hashSize) }
    /// The canonical bytes the chain hash covers.
    public var canonicalBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - RecordFormat.hashSize)])
    }
    /// The stream name, copied out of the map.
    public var stream: StreamName { StreamName(trusted: String(decoding: streamBytes, as: UTF8.self)) }
    /// The event type, copied out of the map.
    public var type: String { String(decoding: typeBytes, as: UTF8.self) }
    /// The actor, copied out of the map; empty when unknown.
    public var actor: String { String(decoding: actorBytes, as: UTF8.self) }
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
