import LMDB

extension LogStorage {
    /// The snapshot kept for `stream`, or `nil` when none is kept or what is kept cannot be
    /// read (damaged, or written by another format): a cache that cannot be read is no cache.
    func snapshot<T: Transaction & ~Copyable>(of stream: StreamName, in txn: borrowing T) throws -> StreamSnapshot? {
        guard let snapshots else { return nil }
        return try withUTF8(stream.rawValue) { key in
            try txn.get(key, in: snapshots).flatMap { StreamSnapshot(stream: stream, encoded: $0) }
        }
    }

    /// Keeps `snapshot` for its stream, replacing the one kept.
    ///
    /// The newest offer wins even when the one kept is of a later version: the kept one may
    /// belong to a log this directory held before a restore, and must not block this log's.
    func saveSnapshot(_ snapshot: StreamSnapshot, in txn: borrowing WriteTransaction) throws {
        guard let snapshots else { return }
        let encoded = snapshot.encoded
        try withUTF8(snapshot.stream.rawValue) { key in
            try encoded.withUnsafeBytes { try txn.put($0, for: key, in: snapshots) }
        }
    }
}
