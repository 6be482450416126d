import CRMSchema
import EventStore
import SwiftProtobuf
import Synchronization

/// Who holds each customer, or each lead, as the log says now, for the scope checks of
/// commands: exact to the last commit, where the read models may trail the log by a batch.
///
/// Read from the record's own stream: the newest event that sets its owner, found by walking
/// the stream back from its head. A bounded cache keeps the owners of records asked about
/// lately with the stream version they were read at, so a repeated look-up costs one read of
/// the stream's version, and memory does not grow with the number of records.
final class RecordOwners: Sendable {
    /// Where a record is.
    enum Holding: Equatable, Sendable {
        /// A customer in the public pool, or a lead not assigned to anyone.
        case unowned
        case owner(String)

        /// The owner, `nil` when unowned.
        var owner: String? {
            if case .owner(let id) = self { id } else { nil }
        }
    }

    /// A record's holding as of a version of its stream; `nil` when no event of the stream
    /// up to that version set its owner.
    private struct Known: Sendable {
        var version: UInt64
        var holding: Holding?
    }

    /// Events read per step of the walk back from a stream's head.
    private static let pageSize = 32

    private let log: LMDBEventLog
    private let category: String
    private let types: Set<String>
    private let owner: @Sendable (any SwiftProtobuf.Message) -> String?
    private let catalogue = EventCatalogue.crm
    private let known: Mutex<RecentCache<String, Known>>

    /// Reads the owners of the records of `category` from `types` of events, `owner` giving
    /// each event's new owner (empty: unowned); keeps at most `capacity` records cached.
    private init(
        log: LMDBEventLog,
        category: String,
        types: Set<String>,
        capacity: Int,
        owner: @escaping @Sendable (any SwiftProtobuf.Message) -> String?
    ) {
        self.log = log
        self.category = category
        self.types = types
        self.owner = owner
        known = Mutex(RecentCache(capacity: capacity))
    }

    /// The owners of the customers in `log`: created with one or into the pool, then moved.
    static func customers(in log: LMDBEventLog, capacity: Int = 100_000) -> RecordOwners {
        RecordOwners(
            log: log,
            category: "customer",
            types: ["crm.v1.CustomerCreated", "crm.v1.CustomerOwnershipChanged"],
            capacity: capacity
        ) { message in
            switch message {
            case let created as CRMCustomerCreated: created.ownerID
            case let change as CRMCustomerOwnershipChanged: change.toOwnerID
            default: nil
            }
        }
    }

    /// The owners of the leads in `log`: created with one or unassigned, then assigned.
    static func leads(in log: LMDBEventLog, capacity: Int = 100_000) -> RecordOwners {
        RecordOwners(
            log: log,
            category: "lead",
            types: ["crm.v1.LeadCreated", "crm.v1.LeadAssigned"],
            capacity: capacity
        ) { message in
            switch message {
            case let created as CRMLeadCreated: created.ownerID
            case let assigned as CRMLeadAssigned: assigned.toOwnerID
            default: nil
            }
        }
    }

    /// Where the record `id` is as of the log's head; `nil` when the log has never seen it.
    func holding(of id: String) throws -> Holding? {
        guard let stream = try? StreamName(category: category, id: id),
            let version = try log.currentVersion(of: stream)
        else { return nil }
        let cached = known.withLock { $0.value(for: id) }
        if let cached, cached.version == version { return cached.holding }
        let found =
            if let cached, cached.version < version {
                try readForward(stream, after: cached)
            } else {
                try readBack(stream, from: version)
            }
        known.withLock { $0.insert(found, for: id) }
        return found.holding
    }

    /// `cached` brought up to the stream's head by the events after it.
    private func readForward(_ stream: StreamName, after cached: Known) throws -> Known {
        var found = cached
        for event in try log.readStream(stream, from: cached.version + 1) {
            found.version = event.streamVersion
            if let holding = holding(setBy: event) { found.holding = holding }
        }
        return found
    }

    /// The holding the newest owner event at or before `version` sets, walking back.
    private func readBack(_ stream: StreamName, from version: UInt64) throws -> Known {
        var next = version
        while true {
            let page = try log.readStream(stream, from: next, direction: .backward, limit: Self.pageSize)
            for event in page {
                if let holding = holding(setBy: event) { return Known(version: version, holding: holding) }
            }
            guard page.count == Self.pageSize, let oldest = page.last, oldest.streamVersion > 0 else {
                return Known(version: version, holding: nil)
            }
            next = oldest.streamVersion - 1
        }
    }

    /// What `event` says of the record's owner, `nil` when it says nothing (or cannot be read:
    /// an event the catalogue cannot read changes no one's access).
    private func holding(setBy event: RecordedEvent) -> Holding? {
        guard types.contains(event.type),
            let message = try? catalogue.decode(
                typeName: event.type,
                schemaVersion: event.schemaVersion,
                payload: event.payload
            ),
            let owner = owner(message)
        else { return nil }
        return owner.isEmpty ? .unowned : .owner(owner)
    }
}

/// A cache of at most about `capacity` entries that keeps those used lately: entries live in
/// a recent and an older generation; when the recent one fills, the older is dropped and the
/// recent takes its place. A hit in the older generation moves the entry back to the recent.
struct RecentCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private var recent: [Key: Value] = [:]
    private var older: [Key: Value] = [:]
    private let generationSize: Int

    /// An empty cache of about `capacity` entries.
    init(capacity: Int) {
        generationSize = max(1, capacity / 2)
    }

    /// The value cached for `key`, moved back to the recent generation; `nil` when none is.
    mutating func value(for key: Key) -> Value? {
        if let value = recent[key] { return value }
        guard let value = older.removeValue(forKey: key) else { return nil }
        insert(value, for: key)
        return value
    }

    /// Caches `value` for `key`, dropping the older generation when the recent one is full.
    mutating func insert(_ value: Value, for key: Key) {
        if recent[key] == nil, recent.count >= generationSize {
            older = recent
            recent = [:]
        }
        recent[key] = value
    }
}
