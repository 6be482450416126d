import Foundation
import LMDB

extension LogStorage {
    /// The last record's position, hash and time, as `txn` sees it.
    func head<T: Transaction & ~Copyable>(in txn: borrowing T) throws -> LogHead {
        try txn.withCursor(events) { cursor in
            if let last = try cursor.last() {
                let position = bigEndianUInt64(last.key)
                return try Self.head(of: RecordView(bytes: last.value, expectedPosition: position))
            }
            // Compaction keeps the head hot, but a log sealed to its end still has one.
            let sealed = try sealedThrough(in: txn)
            guard sealed > 0, let head = try withRecord(at: sealed, in: txn, { Self.head(of: $0) }) else {
                return LogHead(position: 0, hash: .genesis, recordedAt: Timestamp(nanosecondsSinceEpoch: 0))
            }
            return head
        }
    }

    private static func head(of record: borrowing RecordView) -> LogHead {
        LogHead(
            position: record.position,
            hash: ChainHash(bytes: Array(record.hashBytes)),
            recordedAt: record.recordedAt
        )
    }

    /// The version of `stream`'s last event, or `nil` when it has none.
    func currentVersion<T: Transaction & ~Copyable>(of stream: StreamName, in txn: borrowing T) throws -> UInt64? {
        let prefix = Array(stream.rawValue.utf8) + [0]
        let pastLast = Array(stream.rawValue.utf8) + [1]
        return try txn.withCursor(streams) { cursor in
            let after = try pastLast.withUnsafeBytes { try cursor.seek($0) }
            guard let last = after == nil ? try cursor.last() : try cursor.previous(),
                last.key.count == prefix.count + 8, last.key.starts(with: prefix)
            else { return nil }
            return bigEndianUInt64(last.key, at: prefix.count)
        }
    }

    /// The stored record at `position`, hot or sealed, checked for structure.
    ///
    /// - Parameter cache: keeps the last sealed chunk opened, for reads that visit
    ///   neighbouring positions (a stream's events, an index walk).
    func withRecord<T: Transaction & ~Copyable, R>(
        at position: UInt64,
        in txn: borrowing T,
        cache: SealedChunkCache? = nil,
        _ body: (borrowing RecordView) throws -> R
    ) throws -> R? {
        if let bytes = try withBigEndian(position, { try txn.get($0, in: events) }) {
            return try body(try RecordView(bytes: bytes, expectedPosition: position))
        }
        guard let chunk = try chunk(containing: position, in: txn, cache: cache) else { return nil }
        return try chunk.withRecord(at: position) { bytes in
            try body(try RecordView(bytes: bytes, expectedPosition: position))
        }
    }

    /// The stream that holds `key`, if any.
    func owner<T: Transaction & ~Copyable>(of key: UniqueKey, in txn: borrowing T) throws -> String? {
        try withUTF8(key.rawValue) { key in
            try txn.get(key, in: uniqueKeys).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The position saved under a consumer's checkpoint name.
    func checkpoint<T: Transaction & ~Copyable>(named name: String, in txn: borrowing T) throws -> UInt64? {
        try withUTF8(name) { key in try txn.get(key, in: checkpoints).map { bigEndianUInt64($0) } }
    }
}
