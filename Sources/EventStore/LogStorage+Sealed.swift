import LMDB
import Zstd

/// The last sealed chunk a read opened, kept because neighbouring positions share it.
final class SealedChunkCache {
    var chunk: OpenedChunk?
}

extension LogStorage {
    /// The last sealed position, or 0 when nothing is sealed.
    func sealedThrough<T: Transaction & ~Copyable>(in txn: borrowing T) throws -> UInt64 {
        guard let chunks else { return 0 }
        return try txn.withCursor(chunks) { cursor in
            guard let last = try cursor.last() else { return 0 }
            return try SealedChunk.positions(of: last.value, first: bigEndianUInt64(last.key)).upperBound
        }
    }

    /// Every compaction's manifest, in position order.
    func manifests<T: Transaction & ~Copyable>(in txn: borrowing T) throws -> [CompactionManifest] {
        guard let compactions else { return [] }
        return try txn.withCursor(compactions) { cursor in
            var manifests: [CompactionManifest] = []
            var entry = try cursor.first()
            while let current = entry {
                manifests.append(try CompactionManifest(decoding: current.value))
                entry = try cursor.next()
            }
            return manifests
        }
    }

    /// The sealed chunk holding `position`, or `nil` when it is not sealed.
    func chunk<T: Transaction & ~Copyable>(
        containing position: UInt64,
        in txn: borrowing T,
        cache: SealedChunkCache?
    ) throws -> OpenedChunk? {
        if let cached = cache?.chunk, cached.contains(position) { return cached }
        guard let chunks else { return nil }
        let opened = try txn.withCursor(chunks) { cursor -> OpenedChunk? in
            guard let entry = try seekChunk(containing: position, cursor) else { return nil }
            // A damaged header could claim positions past the last one: checked, never added blindly.
            guard try SealedChunk.positions(of: entry.value, first: bigEndianUInt64(entry.key)).contains(position)
            else { return nil }
            return try openChunk(entry, in: txn)
        }
        if let opened { cache?.chunk = opened }
        return opened
    }

    /// Walks stored records in position order from `position`, sealed then hot going
    /// forward, hot then sealed going backward, handing `body` each position and its bytes
    /// until it returns `false`.
    ///
    /// Sealed positions are those of the chunk's slots; a record claiming another position is
    /// for the caller to notice (`verify` does).
    func walkRecords<T: Transaction & ~Copyable>(
        from position: UInt64,
        direction: ReadDirection,
        in txn: borrowing T,
        _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let sealed = try sealedThrough(in: txn)
        if chunks == nil { try checkNothingSealedUnseen(from: position, in: txn) }
        switch direction {
        case .forward:
            if position <= sealed {
                guard try walkSealed(from: position, forward: true, in: txn, body) else { return }
            }
            _ = try walkHot(from: max(position, sealed + 1), forward: true, in: txn, body)
        case .backward:
            if position > sealed {
                guard try walkHot(from: position, forward: false, in: txn, body) else { return }
            }
            if sealed > 0 {
                _ = try walkSealed(from: min(position, sealed), forward: false, in: txn, body)
            }
        }
    }

    /// A process that opened the log before it was ever compacted has no handle on the sealed
    /// tables; if another process has sealed since, the hot table no longer starts at 1, and
    /// reading on would skip the sealed events without a word.
    private func checkNothingSealedUnseen<T: Transaction & ~Copyable>(from position: UInt64, in txn: borrowing T) throws
    {
        let firstHot = try txn.withCursor(events) { cursor in try cursor.first().map { bigEndianUInt64($0.key) } }
        guard let firstHot, firstHot > 1 else { return }
        throw EventStoreError(
            .unsupportedFormat,
            "the log was compacted after this process opened it (positions before \(firstHot) are sealed); open it again"
        )
    }

    // MARK: - Walks

    /// Walks `events`; returns whether `body` wanted more when the walk ran out.
    private func walkHot<T: Transaction & ~Copyable>(
        from position: UInt64,
        forward: Bool,
        in txn: borrowing T,
        _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws -> Bool {
        try txn.withCursor(events) { cursor in
            var entry = try withBigEndian(position) { try cursor.seek($0) }
            if !forward {
                if entry == nil {
                    entry = try cursor.last()
                } else if let found = entry, bigEndianUInt64(found.key) > position {
                    entry = try cursor.previous()
                }
            }
            while let current = entry {
                guard try body(bigEndianUInt64(current.key), current.value) else { return false }
                entry = forward ? try cursor.next() : try cursor.previous()
            }
            return true
        }
    }

    /// Walks the sealed chunks from the one holding `position`; returns whether `body`
    /// wanted more when the walk ran out.
    private func walkSealed<T: Transaction & ~Copyable>(
        from position: UInt64,
        forward: Bool,
        in txn: borrowing T,
        _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws -> Bool {
        guard let chunks else { return true }
        return try txn.withCursor(chunks) { cursor in
            var entry = try seekChunk(containing: position, cursor)
            if forward, entry == nil { entry = try cursor.first() }
            while let current = entry {
                let chunk = try openChunk(current, in: txn)
                var at = forward ? max(position, chunk.first) : min(position, chunk.last)
                while chunk.contains(at) {
                    guard try chunk.withRecord(at: at, { try body(at, $0) }) else { return false }
                    if forward { at += 1 } else if at == chunk.first { break } else { at -= 1 }
                }
                entry = forward ? try cursor.next() : try cursor.previous()
            }
            return true
        }
    }

    /// Moves `cursor` to the last chunk starting at or before `position`.
    private func seekChunk(containing position: UInt64, _ cursor: borrowing Cursor) throws -> Cursor.Entry? {
        let found = try withBigEndian(position) { try cursor.seek($0) }
        if let found, bigEndianUInt64(found.key) == position { return found }
        return found == nil ? try cursor.last() : try cursor.previous()
    }

    private func openChunk<T: Transaction & ~Copyable>(_ entry: Cursor.Entry, in txn: borrowing T) throws -> OpenedChunk
    {
        let first = bigEndianUInt64(entry.key)
        let id = try SealedChunk.header(of: entry.value, first: first).dictionaryID
        return try decompressors.with(dictionary: id, load: { try dictionary(id, in: txn, sealedAt: first) }) {
            decompressor in
            try OpenedChunk(value: entry.value, first: first, decompressor: decompressor)
        }
    }

    /// The stored dictionary `id` (0: none).
    private func dictionary<T: Transaction & ~Copyable>(
        _ id: UInt32,
        in txn: borrowing T,
        sealedAt first: UInt64
    ) throws -> ZstdDictionary? {
        guard id != 0 else { return nil }
        let bytes = try withUnsafeBytes(of: id.bigEndian) { key in try dictionaries.flatMap { try txn.get(key, in: $0) }
        }
        guard let bytes else {
            throw EventStoreError.corruptRecord(
                at: first,
                "the sealed chunk starting here needs dictionary \(id), which the log does not hold"
            )
        }
        return ZstdDictionary(bytes: Array(bytes))
    }
}
