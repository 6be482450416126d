import Foundation
import LMDB

/// The end of the chain as the writer carries it from one append to the next.
struct ChainState {
    var position: UInt64
    var hash: [UInt8]
    var recordedAt: Timestamp

    init(_ head: LogHead) {
        position = head.position
        hash = head.hash.bytes
        recordedAt = head.recordedAt
    }

    var head: LogHead { LogHead(position: position, hash: ChainHash(bytes: hash), recordedAt: recordedAt) }
}

/// The index entries a batch has made so far, written together just before its commit.
///
/// One sorted pass per index (and one `MDB_MULTIPLE` put per category or type) costs far less
/// than a tree search per event, and puts each stream's new entries side by side.
struct PendingIndexes {
    /// Each stream's version after the batch's appends so far: what the index will say.
    var streamVersions: [StreamName: UInt64] = [:]
    var streamEntries: [StreamName: [(version: UInt64, position: UInt64)]] = [:]
    var categoryPositions: [String: [UInt64]] = [:]
    var typePositions: [String: [UInt64]] = [:]

    mutating func add(_ stream: StreamName, version: UInt64, type: String, position: UInt64) {
        streamEntries[stream, default: []].append((version, position))
        categoryPositions[stream.category, default: []].append(position)
        typePositions[type, default: []].append(position)
    }
}

extension LogStorage {
    /// Applies one append, already checked against ``AppendLimits``, inside the writer's
    /// transaction.
    ///
    /// Every rule is checked before the first write, so a refused append (an `EventStoreError`)
    /// leaves the transaction as it found it and the batch's other appends go on. Storage
    /// failures throw `LMDBError` and abort the whole batch.
    func apply(
        _ request: AppendRequest,
        in txn: borrowing WriteTransaction,
        chain: inout ChainState,
        pending: inout PendingIndexes,
        recordedAt: Timestamp
    ) throws -> AppendResult {
        if let replay = try replayedResult(of: request, in: txn) { return replay }

        var startVersions: [UInt64?] = []
        startVersions.reserveCapacity(request.streams.count)
        for append in request.streams {
            let current = try pending.streamVersions[append.stream] ?? currentVersion(of: append.stream, in: txn)
            guard append.expectedVersion.isSatisfied(by: current) else {
                throw EventStoreError.wrongExpectedVersion(
                    stream: append.stream,
                    expected: append.expectedVersion,
                    actual: current
                )
            }
            startVersions.append(current)
        }
        try checkKeys(of: request, in: txn)
        try checkReceipt(of: request, in: txn)

        // MARK: Writes: nothing below refuses, only storage can fail.
        for (key, _) in request.releases {
            _ = try withUTF8(key.rawValue) { try txn.delete($0, in: uniqueKeys) }
        }
        for (key, owner) in request.reservations {
            try withUTF8(key.rawValue) { key in
                try withUTF8(owner.rawValue) { owner in try txn.put(owner, for: key, in: uniqueKeys) }
            }
        }
        var positions: [UInt64] = []
        positions.reserveCapacity(request.eventCount)
        var streamVersions: [StreamName: UInt64] = [:]
        for (append, current) in zip(request.streams, startVersions) {
            // A stream with no events was only a condition: its version stays as it was.
            guard !append.events.isEmpty else {
                if let current { streamVersions[append.stream] = current }
                continue
            }
            var version = current.map { $0 + 1 } ?? 0
            for event in append.events {
                chain.position += 1
                try write(event, to: append.stream, version: version, in: txn, chain: &chain, recordedAt: recordedAt)
                pending.add(append.stream, version: version, type: event.type, position: chain.position)
                positions.append(chain.position)
                version += 1
            }
            streamVersions[append.stream] = version - 1
            pending.streamVersions[append.stream] = version - 1
        }
        chain.recordedAt = recordedAt
        if let receipt = request.receipt, let receipts, let first = positions.first, let last = positions.last {
            let stored = StoredReceipt(
                note: receipt.note,
                firstPosition: first,
                lastPosition: last,
                recordedAt: recordedAt
            )
            try txn.put(stored.encoded, for: receipt.key, in: receipts)
        }
        return AppendResult(
            positions: positions,
            streamVersions: streamVersions,
            recordedAt: recordedAt,
            wasAlreadyAppended: false
        )
    }

    /// Refuses an append whose receipt key an earlier append has taken.
    private func checkReceipt(of request: AppendRequest, in txn: borrowing WriteTransaction) throws {
        guard let receipt = request.receipt else { return }
        guard let receipts else { throw EventStoreError(.readOnly, "this log was opened without a receipts database") }
        if let stored = try txn.get(receipt.key, in: receipts).flatMap(StoredReceipt.init(encoded:)) {
            var error = EventStoreError(
                .receiptTaken,
                "an append at positions \(stored.firstPosition)-\(stored.lastPosition) left a receipt under this key"
            )
            error.position = stored.firstPosition
            throw error
        }
    }

    /// The receipt kept under `key`, if any.
    func receipt<T: Transaction & ~Copyable>(for key: [UInt8], in txn: borrowing T) throws -> StoredReceipt? {
        guard let receipts else { return nil }
        return try txn.get(key, in: receipts).flatMap(StoredReceipt.init(encoded:))
    }

    /// Removes the receipts recorded before `cutoff`; returns how many.
    func purgeReceipts(recordedBefore cutoff: Timestamp, in txn: borrowing WriteTransaction) throws -> Int {
        guard let receipts else { return 0 }
        var removed = 0
        try txn.withCursor(receipts) { cursor in
            var entry = try cursor.first()
            while let current = entry {
                // An entry that cannot be read is no receipt anyone can use.
                if StoredReceipt(encoded: current.value).map({ $0.recordedAt < cutoff }) ?? true {
                    try cursor.deleteCurrent()
                    removed += 1
                }
                entry = try cursor.next()
            }
        }
        return removed
    }

    private func write(
        _ event: EventData,
        to stream: StreamName,
        version: UInt64,
        in txn: borrowing WriteTransaction,
        chain: inout ChainState,
        recordedAt: Timestamp
    ) throws {
        let position = chain.position
        let canonicalSize = RecordFormat.canonicalSize(streamBytes: stream.rawValue.utf8.count, event: event)
        try withBigEndian(position) { positionKey in
            try txn.put(reserving: canonicalSize + RecordFormat.hashSize, for: positionKey, in: events, flags: .append)
            { record in
                let canonical = UnsafeMutableRawBufferPointer(rebasing: record[..<canonicalSize])
                RecordFormat.encode(
                    into: canonical,
                    position: position,
                    stream: stream,
                    streamVersion: version,
                    recordedAt: recordedAt,
                    event: event
                )
                let hash = UnsafeMutableRawBufferPointer(rebasing: record[canonicalSize...])
                chain.hash.withUnsafeBytes { previous in
                    RecordFormat.chainHash(previous: previous, canonical: UnsafeRawBufferPointer(canonical), into: hash)
                }
                chain.hash.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(hash)) }
            }
            // The event-id index is written at once: a later append in the same batch may
            // retry this one. The other indexes wait for `writeIndexes`.
            try event.id.withBytes { try txn.put(positionKey, for: $0, in: eventIDs, flags: .noOverwrite) }
        }
    }

    /// Writes a batch's stream, category and type entries.
    func writeIndexes(_ pending: PendingIndexes, in txn: borrowing WriteTransaction) throws {
        try txn.withCursor(streams) { cursor in
            for stream in pending.streamEntries.keys.sorted() {
                var key = streamIndexKey(stream, version: 0)
                let versionOffset = key.count - 8
                for (version, position) in pending.streamEntries[stream] ?? [] {
                    key.withUnsafeMutableBytes {
                        $0.storeBytes(of: version.bigEndian, toByteOffset: versionOffset, as: UInt64.self)
                    }
                    try key.withUnsafeBytes { key in try withBigEndian(position) { try cursor.put($0, for: key) } }
                }
            }
        }
        for (index, entries) in [(categories, pending.categoryPositions), (types, pending.typePositions)] {
            try txn.withCursor(index) { cursor in
                for (name, positions) in entries {
                    let bigEndian = positions.map(\.bigEndian)
                    try bigEndian.withUnsafeBytes { values in
                        try withUTF8(name) {
                            try cursor.putMultiple(values, valueSize: 8, for: $0, flags: .appendDuplicate)
                        }
                    }
                }
            }
        }
    }

    /// When every event id of `request` is in the log with the same content, the original
    /// result: the append already happened and retrying it is harmless.
    private func replayedResult(of request: AppendRequest, in txn: borrowing WriteTransaction) throws -> AppendResult? {
        var positions: [UInt64] = []
        var missing = 0
        var streamVersions: [StreamName: UInt64] = [:]
        var recordedAt = Timestamp(nanosecondsSinceEpoch: 0)
        for append in request.streams {
            for event in append.events {
                guard let stored = try event.id.withBytes({ try txn.get($0, in: eventIDs) }) else {
                    missing += 1
                    continue
                }
                let position = bigEndianUInt64(stored)
                let original = try withRecord(at: position, in: txn) { view in
                    (Self.sameContent(view, event, stream: append.stream), view.streamVersion, view.recordedAt)
                }
                guard let original, original.0 else {
                    var error = EventStoreError(
                        .eventIDReused,
                        "event id \(event.id) is already at position \(position) with different content"
                    )
                    error.eventID = event.id.uuidString
                    error.position = position
                    error.stream = append.stream.rawValue
                    throw error
                }
                positions.append(position)
                streamVersions[append.stream] = max(streamVersions[append.stream] ?? 0, original.1)
                recordedAt = max(recordedAt, original.2)
            }
        }
        if positions.isEmpty { return nil }
        guard missing == 0 else {
            var error = EventStoreError(
                .partialDuplicate,
                "\(positions.count) of the append's \(positions.count + missing) event ids are in the log already (first at position \(positions[0])); an append is retried whole or not at all"
            )
            error.position = positions[0]
            throw error
        }
        return AppendResult(
            positions: positions,
            streamVersions: streamVersions,
            recordedAt: recordedAt,
            wasAlreadyAppended: true
        )
    }

    private static func sameContent(_ view: borrowing RecordView, _ event: EventData, stream: StreamName) -> Bool {
        view.schemaVersion == event.schemaVersion
            && view.streamBytes.elementsEqual(stream.rawValue.utf8)
            && view.typeBytes.elementsEqual(event.type.utf8)
            && view.contentTypeBytes.elementsEqual(event.contentType.utf8)
            && view.payload.elementsEqual(event.payload)
    }

    private func checkKeys(of request: AppendRequest, in txn: borrowing WriteTransaction) throws {
        var released: Set<UniqueKey> = []
        for (key, owner) in request.releases {
            guard let holder = try self.owner(of: key, in: txn) else { continue }
            guard holder == owner.rawValue else {
                var error = EventStoreError(
                    .uniqueKeyNotOwned,
                    "stream \(owner) cannot release unique key \(key): it is held by stream \(holder)"
                )
                error.key = key.rawValue
                error.stream = holder
                throw error
            }
            released.insert(key)
        }
        for (key, owner) in request.reservations where !released.contains(key) {
            if let holder = try self.owner(of: key, in: txn), holder != owner.rawValue {
                throw EventStoreError.uniqueKeyTaken(key, owner: holder, claimant: owner)
            }
        }
    }

    /// Saves a consumer's checkpoint.
    func saveCheckpoint(_ name: String, position: UInt64, in txn: borrowing WriteTransaction) throws {
        try withUTF8(name) { key in try withBigEndian(position) { try txn.put($0, for: key, in: checkpoints) } }
    }
}

/// What the log accepts in one event and one append: checked by the appending task before
/// the append is queued, so the writer thread spends its time writing.
struct AppendLimits: Sendable {
    var maxEventSize: Int
    var maxEventsPerAppend: Int

    func check(_ request: AppendRequest) throws(EventStoreError) {
        let count = request.eventCount
        guard count > 0 else { throw EventStoreError(.emptyAppend, "the append carries no events") }
        guard count <= maxEventsPerAppend else {
            throw EventStoreError(
                .eventTooLarge,
                "the append carries \(count) events; the limit is \(maxEventsPerAppend)"
            )
        }
        var streams: Set<StreamName> = []
        var ids: Set<UUID> = []
        ids.reserveCapacity(count)
        for append in request.streams {
            guard streams.insert(append.stream).inserted else {
                var error = EventStoreError(.duplicateInAppend, "stream \(append.stream) appears twice in one append")
                error.stream = append.stream.rawValue
                throw error
            }
            for event in append.events {
                guard ids.insert(event.id).inserted else {
                    var error = EventStoreError(.duplicateInAppend, "event id \(event.id) appears twice in one append")
                    error.eventID = event.id.uuidString
                    throw error
                }
                try check(event)
            }
        }
        var keys: [UniqueKey: StreamName] = [:]
        for (key, owner) in request.reservations {
            if let other = keys.updateValue(owner, forKey: key), other != owner {
                var error = EventStoreError(
                    .duplicateInAppend,
                    "unique key \(key) is reserved for both \(other) and \(owner)"
                )
                error.key = key.rawValue
                throw error
            }
        }
    }

    func check(_ event: EventData) throws(EventStoreError) {
        let type = Array(event.type.utf8)
        guard !type.isEmpty, type.count <= EventData.maxNameLength, Self.isTypeStart(type[0]),
            type.allSatisfy(Self.isTypeCharacter)
        else {
            throw .invalidField(
                "event type",
                event.type,
                "must be 1 to \(EventData.maxNameLength) letters, digits, '_' or '.', starting with a letter"
            )
        }
        let contentType = event.contentType.utf8
        guard !contentType.isEmpty, contentType.count <= EventData.maxNameLength,
            contentType.allSatisfy({ (0x20..<0x7F).contains($0) })
        else {
            throw .invalidField(
                "content type",
                event.contentType,
                "must be 1 to \(EventData.maxNameLength) printable ASCII characters"
            )
        }
        guard event.metadata.actor.utf8.count <= EventData.maxNameLength else {
            throw .invalidField("actor", event.metadata.actor, "is longer than \(EventData.maxNameLength) bytes")
        }
        guard event.payload.count <= maxEventSize else {
            var error = EventStoreError(
                .eventTooLarge,
                "event \(event.id) has a \(event.payload.count)-byte payload; the limit is \(maxEventSize) bytes"
            )
            error.eventID = event.id.uuidString
            throw error
        }
    }

    private static func isTypeStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isTypeCharacter(_ byte: UInt8) -> Bool {
        isTypeStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ".")
    }
}
