import LMDB

extension LMDBEventLog {
    public func readStream(
        _ stream: StreamName,
        from version: UInt64 = 0,
        direction: ReadDirection = .forward,
        limit: Int = .max
    ) throws(EventStoreError) -> [RecordedEvent] {
        try read("reading stream \(stream)") { txn in
            var events: [RecordedEvent] = []
            guard limit > 0 else { return events }
            let start = streamIndexKey(stream, version: version)
            let prefix = start.dropLast(8)
            let cache = SealedChunkCache()
            try txn.withCursor(storage.streams) { cursor in
                var entry = try start.withUnsafeBytes { try cursor.seek($0) }
                if direction == .backward, !(entry.map { $0.key.elementsEqual(start) } ?? false) {
                    // Landed past `version` (or past the end): the walk starts one before.
                    entry = entry == nil ? try cursor.last() : try cursor.previous()
                }
                while let current = entry, current.key.count == start.count, current.key.starts(with: prefix) {
                    try appendRecord(at: bigEndianUInt64(current.value), to: &events, in: txn, cache: cache)
                    guard events.count < limit else { return }
                    entry = direction == .forward ? try cursor.next() : try cursor.previous()
                }
            }
            return events
        }
    }

    public func readAll(
        from position: UInt64 = 1,
        direction: ReadDirection = .forward,
        limit: Int = .max,
        filter: EventFilter = .all
    ) throws(EventStoreError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        guard limit > 0 else { return events }
        try scan(from: position, direction: direction, filter: filter) { record in
            events.append(record.decode())
            return events.count < limit
        }
        return events
    }

    public func readCategory(
        _ category: String,
        from position: UInt64 = 1,
        direction: ReadDirection = .forward,
        limit: Int = .max
    ) throws(EventStoreError) -> [RecordedEvent] {
        try readIndex(storage.categories, key: category, from: position, direction: direction, limit: limit)
    }

    public func readType(
        _ type: String,
        from position: UInt64 = 1,
        direction: ReadDirection = .forward,
        limit: Int = .max
    ) throws(EventStoreError) -> [RecordedEvent] {
        try readIndex(storage.types, key: type, from: position, direction: direction, limit: limit)
    }

    /// The first position recorded at or after `time`, or the head's plus one when every
    /// event is older.
    ///
    /// Recorded-at times never go back along the log, so this is a binary search: about 20
    /// record reads for a million events, hot or sealed.
    public func firstPosition(recordedAtOrAfter time: Timestamp) throws(EventStoreError) -> UInt64 {
        try read("finding the first event recorded at or after \(time)") { txn in
            let cache = SealedChunkCache()
            var low: UInt64 = 1
            var high = try storage.head(in: txn).position + 1
            while low < high {
                let middle = low + (high - low) / 2
                guard let recordedAt = try storage.withRecord(at: middle, in: txn, cache: cache, { $0.recordedAt })
                else {
                    throw EventStoreError.corruptRecord(at: middle, "missing, though the head is past it")
                }
                if recordedAt >= time { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }

    /// Walks the log in place from `position`, handing `body` each record that matches
    /// `filter` until it returns `false` or the log ends.
    ///
    /// The fastest way through the log: nothing is copied unless `body` copies it. Everything
    /// happens in one read snapshot, so appends committed meanwhile are not seen.
    public func scan(
        from position: UInt64 = 1,
        direction: ReadDirection = .forward,
        filter: EventFilter = .all,
        _ body: (borrowing RecordView) throws -> Bool
    ) throws(EventStoreError) {
        let matcher = filter.isAll ? nil : RecordMatcher(filter)
        try read("reading the log from position \(position)") { txn in
            try storage.walkRecords(from: position, direction: direction, in: txn) { at, bytes in
                let view = try RecordView(bytes: bytes, expectedPosition: at)
                if let matcher, !matcher.matches(view) { return true }
                return try body(view)
            }
        }
    }

    // MARK: - Indexes

    private func readIndex(
        _ index: Database,
        key: String,
        from position: UInt64,
        direction: ReadDirection,
        limit: Int
    ) throws(EventStoreError) -> [RecordedEvent] {
        try read("reading the events of \(key)") { txn in
            var events: [RecordedEvent] = []
            guard !key.isEmpty, key.utf8.count <= EventData.maxNameLength else { return events }
            let cache = SealedChunkCache()
            try withBigEndian(position) { seekValue in
                try withUTF8(key) { key in
                    try walkIndex(index, key: key, seekValue: seekValue, direction: direction, in: txn) { value in
                        try appendRecord(at: bigEndianUInt64(value), to: &events, in: txn, cache: cache)
                        return events.count < limit
                    }
                }
            }
            return events
        }
    }

    /// Walks the sorted values of `key` in a dup-sorted index (categories, types) from the first value at or
    /// after (forward) or at or before (backward) `seekValue`, comparing their leading
    /// big-endian u64 (a position, or a stream version).
    private func walkIndex(
        _ index: Database,
        key: UnsafeRawBufferPointer,
        seekValue: UnsafeRawBufferPointer,
        direction: ReadDirection,
        in txn: borrowing ReadTransaction,
        _ body: (UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try txn.withCursor(index) { cursor in
            var entry = try cursor.seek(key, value: seekValue)
            if direction == .backward {
                if entry == nil {
                    entry = try cursor.find(key) != nil ? try cursor.lastDuplicate() : nil
                } else if let found = entry, bigEndianUInt64(found.value) != bigEndianUInt64(seekValue) {
                    // Landed past the seek value: the walk starts at the one before it.
                    entry = try cursor.previousDuplicate()
                }
            }
            while let current = entry {
                guard try body(current.value) else { return }
                entry = direction == .forward ? try cursor.nextDuplicate() : try cursor.previousDuplicate()
            }
        }
    }

    private func appendRecord(
        at position: UInt64,
        to events: inout [RecordedEvent],
        in txn: borrowing ReadTransaction,
        cache: SealedChunkCache
    ) throws {
        guard let event = try storage.withRecord(at: position, in: txn, cache: cache, { $0.decode() }) else {
            throw EventStoreError.corruptRecord(at: position, "an index points at a position with no record")
        }
        events.append(event)
    }
}
