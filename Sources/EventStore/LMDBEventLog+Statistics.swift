import Foundation
import LMDB

/// Counts and sizes of a log, for `rapport stats` and monitoring.
public struct LogStatistics: Sendable {
    /// Events in the log (the head position: positions are gapless).
    public var events: UInt64
    /// Streams with at least one event.
    public var streams: Int
    /// The head and its chain hash.
    public var head: LogHead
    /// Events per stream category.
    public var eventsByCategory: [String: Int]
    /// Events per event type.
    public var eventsByType: [String: Int]
    /// Unique keys held.
    public var uniqueKeys: Int
    /// Bytes of `data.mdb` on disk.
    public var fileBytes: Int
    /// Bytes of the file in use by pages.
    public var usedBytes: Int
    /// Bytes of the hot records alone (canonical bytes and hashes), not counting sealed ones.
    public var recordBytes: Int
    /// Events sealed into compressed chunks by `compact`.
    public var sealedEvents: UInt64
    /// Bytes the sealed events' records took before sealing.
    public var sealedRecordBytes: UInt64
    /// Bytes of the sealed chunks.
    public var sealedBytes: Int
    /// The compactions run, oldest first.
    public var compactions: [CompactionManifest]
}

extension LMDBEventLog {
    /// Counts the log's events, streams, categories, types and bytes.
    public func statistics() throws(EventStoreError) -> LogStatistics {
        let info: Environment.Info
        do {
            info = try storage.environment.info()
        } catch {
            throw Self.wrap(error, while: "reading statistics")
        }
        return try read("reading statistics") { txn in
            let head = try storage.head(in: txn)
            let manifests = try storage.manifests(in: txn)
            let file = storage.environment.path + "/" + LogStorage.dataFileName
            let fileBytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            return LogStatistics(
                events: head.position,
                streams: try countStreams(in: txn),
                head: head,
                eventsByCategory: try countKeys(storage.categories, in: txn),
                eventsByType: try countKeys(storage.types, in: txn),
                uniqueKeys: try txn.statistics(of: storage.uniqueKeys).entries,
                fileBytes: fileBytes,
                usedBytes: (info.lastPage + 1) * info.pageSize,
                recordBytes: try valueBytes(of: storage.events, in: txn),
                sealedEvents: try storage.sealedThrough(in: txn),
                sealedRecordBytes: manifests.reduce(0) { $0 + $1.recordBytes },
                sealedBytes: try storage.chunks.map { try valueBytes(of: $0, in: txn) } ?? 0,
                compactions: manifests
            )
        }
    }

    /// The bytes of every value in `database`.
    private func valueBytes(of database: Database, in txn: borrowing ReadTransaction) throws -> Int {
        try txn.withCursor(database) { cursor in
            var bytes = 0
            var entry = try cursor.first()
            while let current = entry {
                bytes += current.value.count
                entry = try cursor.next()
            }
            return bytes
        }
    }

    /// The number of streams: one seek per stream, jumping past each one's entries.
    private func countStreams(in txn: borrowing ReadTransaction) throws -> Int {
        try txn.withCursor(storage.streams) { cursor in
            var count = 0
            var entry = try cursor.first()
            while let current = entry {
                count += 1
                // Past every key of this stream: its name followed by 1 instead of the 0 separator.
                var next = Array(current.key.dropLast(9))
                next.append(1)
                entry = try next.withUnsafeBytes { try cursor.seek($0) }
            }
            return count
        }
    }

    /// The number of values under each key of a dup-sorted index.
    private func countKeys(_ index: Database, in txn: borrowing ReadTransaction) throws -> [String: Int] {
        try txn.withCursor(index) { cursor in
            var counts: [String: Int] = [:]
            var entry = try cursor.first()
            while let current = entry {
                counts[String(decoding: current.key, as: UTF8.self)] = try cursor.duplicateCount()
                entry = try cursor.nextKey()
            }
            return counts
        }
    }
}
