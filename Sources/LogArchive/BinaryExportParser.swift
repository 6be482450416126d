import EventStore

/// Parses `RAPPORTX` frames, however the decompressed bytes are split into chunks.
struct BinaryExportParser: ExportParser {
    private var buffer: [UInt8] = []
    /// The offset, in the decompressed stream, of `buffer`'s first byte.
    private var bufferOffset = 0
    private var sawMagic = false
    private var sawEnd = false

    var location: ImportLocation { .byte(bufferOffset) }

    mutating func consume(_ bytes: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws {
        buffer.append(contentsOf: bytes)
        var start = 0
        defer {
            buffer.removeFirst(start)
            bufferOffset += start
        }
        if !sawMagic {
            guard buffer.count >= 12 else { return }
            guard buffer.starts(with: ExportFormat.binaryMagic) else {
                throw ImportError(code: .notAnExport, message: "not a RAPPORTX file", location: .byte(0))
            }
            let version = buffer.withUnsafeBytes {
                UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
            }
            guard version == ExportFormat.version else {
                throw ImportError(
                    code: .notAnExport,
                    message: "export format version \(version); this build reads \(ExportFormat.version)",
                    location: .byte(8)
                )
            }
            sawMagic = true
            start = 12
        }
        let pending = buffer
        let offset = bufferOffset
        var sawEnd = self.sawEnd
        defer { self.sawEnd = sawEnd }
        try pending.withUnsafeBytes { all in
            while all.count - start >= 5 {
                let here = ImportLocation.byte(offset + start)
                func corrupt(_ why: String) -> ImportError {
                    ImportError(code: .corruptInput, message: why, location: here)
                }
                let length = Int(UInt32(littleEndian: all.loadUnaligned(fromByteOffset: start + 1, as: UInt32.self)))
                guard let kind = ExportFormat.FrameKind(rawValue: all[start]) else {
                    throw corrupt("unknown frame kind \(all[start])")
                }
                guard length <= ExportFormat.maxFrameBody else { throw corrupt("a frame claims \(length) bytes") }
                guard all.count - start - 5 >= length else { return }
                guard !sawEnd else { throw corrupt("there is more after the end frame") }
                let body = UnsafeRawBufferPointer(rebasing: all[(start + 5)..<(start + 5 + length)])
                try emit(Self.item(kind, body, at: here, corrupt))
                if kind == .end { sawEnd = true }
                start += 5 + length
            }
        }
    }

    mutating func finish() throws {
        guard buffer.isEmpty else {
            throw ImportError(
                code: .truncatedInput,
                message: "the file ends in the middle of a frame",
                location: location
            )
        }
        guard sawEnd else {
            throw ImportError(code: .truncatedInput, message: "the file ends without its end frame", location: location)
        }
    }

    private static func item(
        _ kind: ExportFormat.FrameKind,
        _ body: UnsafeRawBufferPointer,
        at here: ImportLocation,
        _ corrupt: (String) -> ImportError
    ) throws -> ImportItem {
        func integer<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            T(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        switch kind {
        case .header:
            guard body.count == 49 else { throw corrupt("the header frame has \(body.count) bytes, not 49") }
            return .header(
                ExportFormat.Header(
                    from: integer(0, UInt64.self),
                    through: integer(8, UInt64.self),
                    previousHash: ChainHash(bytes: Array(body[16..<48])),
                    carriesUniqueKeys: body[48] & 1 != 0
                )
            )
        case .event:
            do {
                return .event(try RecordedEvent(storedRecord: body), location: here)
            } catch {
                throw corrupt("the event frame is not a record: \(error.message)")
            }
        case .uniqueKey:
            guard body.count >= 2 else { throw corrupt("the unique-key frame is too short") }
            let keyLength = Int(integer(0, UInt16.self))
            guard body.count > 2 + keyLength,
                let key = try? UniqueKey(String(decoding: body[2..<2 + keyLength], as: UTF8.self)),
                let owner = try? StreamName(String(decoding: body[(2 + keyLength)...], as: UTF8.self))
            else { throw corrupt("the unique-key frame is not a key and a stream") }
            return .uniqueKey(UniqueKeyOwnership(key: key, owner: owner), location: here)
        case .end:
            guard body.count == 48 else { throw corrupt("the end frame has \(body.count) bytes, not 48") }
            return .end(
                ExportFormat.End(
                    events: integer(0, UInt64.self),
                    uniqueKeys: integer(8, UInt64.self),
                    lastHash: ChainHash(bytes: Array(body[16..<48]))
                ),
                location: here
            )
        }
    }
}
