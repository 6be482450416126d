import Foundation
import LMDB

/// A unique key and the stream that holds it: one entry of the log's reservation table.
public struct UniqueKeyOwnership: Sendable, Hashable {
    /// The key.
    public var key: UniqueKey
    /// The stream holding it.
    public var owner: StreamName

    /// Pairs a key with its holder.
    public init(key: UniqueKey, owner: StreamName) {
        self.key = key
        self.owner = owner
    }
}

// MARK: - Reading what an export copies

extension RecordView {
    /// The stored bytes exactly: the canonical bytes (see `RecordFormat`) then the 32-byte
    /// chain hash. Valid only while the view is.
    public var storedBytes: UnsafeRawBufferPointer { bytes }
}

extension RecordedEvent {
    /// Decodes a record in its stored form (canonical bytes ‖ chain hash), as
    /// ``RecordView/storedBytes`` hands it out; the hash is carried, not checked.
    ///
    /// - Throws: `.corruptRecord` when the bytes are not a well-formed envelope.
    public init(storedRecord bytes: UnsafeRawBufferPointer) throws(EventStoreError) {
        guard bytes.count >= RecordFormat.fixedSize + RecordFormat.hashSize else {
            throw .corruptRecord(at: 0, "only \(bytes.count) bytes")
        }
        let position = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
        let view = try RecordView(bytes: bytes, expectedPosition: position)
        // The log's own records hold valid names; a file's may not, and a stream named
        // outside the rules could be neither read by name nor exported as JSON.
        let name = String(decoding: view.streamBytes, as: UTF8.self)
        guard (try? StreamName(name)) != nil else {
            throw .corruptRecord(at: position, "the stream \"\(name.prefix(200))\" is not a stream name")
        }
        self = view.decode()
    }
}

extension LMDBEventLog {
    /// Walks positions `from...through` in one read snapshot, then, when `uniqueKeys` is given,
    /// every entry of the unique-key table in that same snapshot.
    ///
    /// One snapshot makes an export consistent while a writer appends beside it: the keys
    /// are exactly those held at the snapshot's head.
    ///
    /// - Parameters:
    ///   - through: the last position wanted; clamped to the snapshot's head.
    ///   - start: called once, before any record, with the snapshot's head and the chain
    ///     hash just before `from` (what an importing log's head must be).
    /// - Returns: the snapshot's head.
    /// - Throws: `EventStoreError` when the log cannot be read, or what a closure throws.
    @discardableResult
    public func readSnapshot(
        from: UInt64 = 1,
        through: UInt64 = .max,
        start: (_ head: LogHead, _ previousHash: ChainHash) throws -> Void,
        record: (borrowing RecordView) throws -> Void,
        uniqueKeys: ((UniqueKeyOwnership) throws -> Void)? = nil
    ) throws -> LogHead {
        guard !isClosed else { throw EventStoreError.closed }
        do {
            return try storage.environment.withReadTransaction { txn in
                try snapshot(
                    in: txn,
                    from: from,
                    through: through,
                    start: start,
                    record: record,
                    uniqueKeys: uniqueKeys
                )
            }
        } catch let error as LMDBError {
            throw Self.wrap(error, while: "reading the log from position \(from)")
        }
    }

    private func snapshot(
        in txn: borrowing ReadTransaction,
        from: UInt64,
        through: UInt64,
        start: (_ head: LogHead, _ previousHash: ChainHash) throws -> Void,
        record: (borrowing RecordView) throws -> Void,
        uniqueKeys: ((UniqueKeyOwnership) throws -> Void)?
    ) throws -> LogHead {
        let head = try storage.head(in: txn)
        let first = max(from, 1)
        var previous = ChainHash.genesis
        if first > 1, first - 1 <= head.position {
            guard let hash = try storage.withRecord(at: first - 1, in: txn, { ChainHash(bytes: Array($0.hashBytes)) })
            else {
                throw EventStoreError.corruptRecord(at: first - 1, "missing")
            }
            previous = hash
        }
        try start(head, previous)
        let last = min(through, head.position)
        if first <= last {
            try storage.walkRecords(from: first, direction: .forward, in: txn) { position, bytes in
                guard position <= last else { return false }
                try record(try RecordView(bytes: bytes, expectedPosition: position))
                return true
            }
        }
        if let uniqueKeys {
            try txn.withCursor(storage.uniqueKeys) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    let key = try UniqueKey(String(decoding: current.key, as: UTF8.self))
                    let owner = StreamName(trusted: String(decoding: current.value, as: UTF8.self))
                    try uniqueKeys(UniqueKeyOwnership(key: key, owner: owner))
                    entry = try cursor.next()
                }
            }
        }
        return head
    }

    // MARK: - Appending recorded events

    /// Appends events that another log already recorded, exactly as they were: same
    /// positions, stream versions, recorded-at times and ids, so the chain hashes come out the
    /// same. This is how an import reproduces a log.
    ///
    /// The batch is all-or-nothing, in one transaction. Before anything is written, every
    /// event is checked: its position is the head's plus one (so the first must follow the
    /// log's head), its stream version follows the stream's, its recorded-at time does not go
    /// back, its id is new, it passes the append limits, and the chain hash recomputed from
    /// its fields and the previous hash equals the hash it carries. `uniqueKeys` are then set
    /// (a key another stream holds is refused).
    ///
    /// - Parameters:
    ///   - events: the events in position order; their `hash` is what the chain must give.
    ///   - uniqueKeys: reservations to restore with them, typically with the last batch.
    /// - Returns: the log's head after the batch.
    /// - Throws: `EventStoreError` with `.recordMismatch` (with `position`) when an event does
    ///   not continue the log, `.uniqueKeyTaken`, the append limits' codes, or `.storage`.
    public func appendRecorded(_ events: [RecordedEvent], uniqueKeys: [UniqueKeyOwnership] = []) async throws -> LogHead
    {
        guard let writer else { throw EventStoreError(.readOnly, "the log at \(directory) is open read-only") }
        guard !isClosed else { throw EventStoreError.closed }
        for event in events {
            do {
                try limits.check(EventData(recorded: event))
            } catch var error {
                error.position = event.position
                throw error
            }
        }
        let batch = RecordedBatch(events: events, uniqueKeys: uniqueKeys)
        return try await withCheckedThrowingContinuation { continuation in
            do {
                try writer.submit(.recorded(batch) { continuation.resume(with: $0) })
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}

/// Recorded events and reservations that go into the log as they are.
struct RecordedBatch: Sendable {
    var events: [RecordedEvent]
    var uniqueKeys: [UniqueKeyOwnership]
}

extension EventData {
    /// The data of a recorded event, with its occurred-at time set so that the canonical
    /// bytes come out as they were recorded.
    init(recorded event: RecordedEvent) {
        self.init(
            id: event.id,
            type: event.type,
            schemaVersion: event.schemaVersion,
            contentType: event.contentType,
            payload: event.payload,
            metadata: EventMetadata(
                actor: event.actor,
                correlationID: event.correlationID,
                causationID: event.causationID,
                occurredAt: event.occurredAt
            )
        )
    }
}

extension EventStoreError.Code {
    /// A recorded event does not continue the log: wrong position, stream version, time,
    /// a reused id, or a chain hash that does not follow.
    public static let recordMismatch = EventStoreError.Code(rawValue: "recorded_event_mismatch")
}

// MARK: - The writer's side

extension LogStorage {
    /// Checks a recorded batch against the log and writes it, inside the writer's transaction.
    ///
    /// Every check runs before the first write, so a refusal leaves the transaction as it
    /// found it; storage failures throw `LMDBError` and abort the whole transaction.
    func applyRecorded(
        _ batch: RecordedBatch,
        in txn: borrowing WriteTransaction,
        chain: inout ChainState,
        pending: inout PendingIndexes
    ) throws -> LogHead {
        func refuse(_ event: RecordedEvent, _ why: String) -> EventStoreError {
            var error = EventStoreError(.recordMismatch, "the event at position \(event.position) \(why)")
            error.position = event.position
            error.stream = event.stream.rawValue
            error.eventID = event.id.uuidString
            return error
        }
        // MARK: Checks: the canonical bytes of the whole batch, end to end.
        var state = chain
        var versions: [StreamName: UInt64] = [:]
        versions.reserveCapacity(batch.events.count)
        var ids: Set<UUID> = []
        ids.reserveCapacity(batch.events.count)
        var canonical: [UInt8] = []
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(batch.events.count)
        var hash = [UInt8](repeating: 0, count: RecordFormat.hashSize)
        for event in batch.events {
            guard event.position == state.position + 1 else {
                throw refuse(event, "does not follow the log's head at position \(state.position)")
            }
            let current =
                try versions[event.stream] ?? pending.streamVersions[event.stream]
                ?? currentVersion(of: event.stream, in: txn)
            let expected = current.map { $0 + 1 } ?? 0
            guard event.streamVersion == expected else {
                throw refuse(
                    event,
                    "has version \(event.streamVersion) in \(event.stream), which is at \(current.map(String.init) ?? "no version")"
                )
            }
            guard event.recordedAt >= state.recordedAt else {
                throw refuse(
                    event,
                    "was recorded at \(event.recordedAt), before the log's last event (\(state.recordedAt))"
                )
            }
            let reused = try event.id.withBytes { try txn.get($0, in: eventIDs) } != nil
            guard !reused, ids.insert(event.id).inserted else { throw refuse(event, "reuses event id \(event.id)") }
            let data = EventData(recorded: event)
            let size = RecordFormat.canonicalSize(streamBytes: event.stream.rawValue.utf8.count, event: data)
            let start = canonical.count
            canonical.append(contentsOf: repeatElement(0, count: size))
            canonical.withUnsafeMutableBytes { all in
                let bytes = UnsafeMutableRawBufferPointer(rebasing: all[start..<start + size])
                RecordFormat.encode(
                    into: bytes,
                    position: event.position,
                    stream: event.stream,
                    streamVersion: event.streamVersion,
                    recordedAt: event.recordedAt,
                    event: data
                )
                state.hash.withUnsafeBytes { previous in
                    hash.withUnsafeMutableBytes { output in
                        RecordFormat.chainHash(
                            previous: previous,
                            canonical: UnsafeRawBufferPointer(bytes),
                            into: output
                        )
                    }
                }
            }
            guard hash == event.hash.bytes else {
                throw refuse(
                    event,
                    "does not give its chain hash \(event.hash) from the log's hash before it: altered, or not the log's continuation"
                )
            }
            ranges.append(start..<start + size)
            state.position = event.position
            state.hash = hash
            state.recordedAt = event.recordedAt
            versions[event.stream] = event.streamVersion
        }
        for ownership in batch.uniqueKeys {
            if let holder = try owner(of: ownership.key, in: txn), holder != ownership.owner.rawValue {
                throw EventStoreError.uniqueKeyTaken(ownership.key, owner: holder, claimant: ownership.owner)
            }
        }

        // MARK: Writes: nothing below refuses, only storage can fail.
        for (event, range) in zip(batch.events, ranges) {
            try withBigEndian(event.position) { positionKey in
                try txn.put(
                    reserving: range.count + RecordFormat.hashSize,
                    for: positionKey,
                    in: events,
                    flags: .append
                ) { record in
                    canonical.withUnsafeBytes { record.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[range])) }
                    event.hash.bytes.withUnsafeBytes {
                        UnsafeMutableRawBufferPointer(rebasing: record[range.count...]).copyMemory(from: $0)
                    }
                }
                try event.id.withBytes { try txn.put(positionKey, for: $0, in: eventIDs, flags: .noOverwrite) }
            }
            pending.add(event.stream, version: event.streamVersion, type: event.type, position: event.position)
            pending.streamVersions[event.stream] = event.streamVersion
        }
        for ownership in batch.uniqueKeys {
            try withUTF8(ownership.key.rawValue) { key in
                try withUTF8(ownership.owner.rawValue) { owner in try txn.put(owner, for: key, in: uniqueKeys) }
            }
        }
        chain = state
        return chain.head
    }
}
