import Foundation
import LMDB

extension LogStorage {
    /// The last record's position, hash and time, as `txn` sees it.
    func head<T: Transaction & ~Copyable>(in txn: borrowing T) throws -> LogHead {
        try txn.withCursor(events) { cursor in
            guard let last = try cursor.last() else {
                return LogHead(position: 0, hash: .genesis, recordedAt: Timestamp(nanosecondsSinceEpoch: 0))
            }
            let position = bigEndianUInt64(last.key)
            let view = try RecordView(bytes: last.value, expectedPosition: position)
            return LogHead(position: position, hash: ChainHash(bytes: Array(view.hashBytes)), recordedAt: view.recordedAt)
        }
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

    /// The stored record at `position`, checked for structure.
    func withRecord<T: Transaction & ~Copyable, R>(
        at position: UInt64,
        in txn: borrowing T,
        _ body: (borrowing RecordView) throws -> R
    ) throws -> R? {
        guard let bytes = try withBigEndian(position, { try txn.get($0, in: events) }) else { return nil }
        let view = try RecordView(bytes: bytes, expectedPosition: position)
        return try body(view)
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
