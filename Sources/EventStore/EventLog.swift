/// The operations every log backend offers: append, read, subscribe, checkpoints.
///
/// Callers (the CRM service, projections, the HTTP server) depend on this protocol, so a
/// second backend (PostgreSQL) can stand in for the embedded LMDB log without changing them.
public protocol EventLog: Sendable {
    /// The live event sequence a subscription yields.
    associatedtype Subscription: AsyncSequence<RecordedEvent, any Error> & Sendable

    /// Appends atomically: every event and key change happens, or none does.
    ///
    /// - Throws: `EventStoreError` saying which rule the append broke, with its facts.
    func append(_ request: AppendRequest) async throws -> AppendResult

    /// Appends the requests in order, each all-or-nothing on its own; a backend may commit
    /// them together. A refused request changes nothing and the others still go in.
    func append(contentsOf requests: [AppendRequest]) async throws -> [Result<AppendResult, EventStoreError>]

    /// The last position and chain hash.
    func head() async throws -> LogHead

    /// The version of `stream`'s last event, or `nil` when it has none.
    func currentVersion(of stream: StreamName) async throws -> UInt64?

    /// Up to `limit` events of `stream`, from `version` in `direction` (inclusive).
    func readStream(
        _ stream: StreamName,
        from version: UInt64,
        direction: ReadDirection,
        limit: Int
    ) async throws
        -> [RecordedEvent]

    /// Up to `limit` events of the whole log matching `filter`, from `position` in `direction`.
    func readAll(
        from position: UInt64,
        direction: ReadDirection,
        limit: Int,
        filter: EventFilter
    ) async throws
        -> [RecordedEvent]

    /// Up to `limit` events of streams in `category`, from `position` in `direction`.
    func readCategory(
        _ category: String,
        from position: UInt64,
        direction: ReadDirection,
        limit: Int
    ) async throws
        -> [RecordedEvent]

    /// Up to `limit` events of `type`, from `position` in `direction`.
    func readType(
        _ type: String,
        from position: UInt64,
        direction: ReadDirection,
        limit: Int
    ) async throws
        -> [RecordedEvent]

    /// The stream holding `key`, if any.
    func owner(of key: UniqueKey) async throws -> StreamName?

    /// The receipt an append left under `key` (``AppendRequest/receipt``), if any.
    func receipt(for key: [UInt8]) async throws -> StoredReceipt?

    /// Removes the receipts recorded before `cutoff`, so the log does not keep every
    /// command's receipt forever; a removed receipt's key can be taken again.
    ///
    /// - Returns: how many were removed.
    @discardableResult
    func purgeReceipts(recordedBefore cutoff: Timestamp) async throws -> Int

    /// Events from `start` on, first those in the log, then live ones as they are committed,
    /// with no gap and no duplicate between the two.
    func subscribe(from start: SubscriptionStart, filter: EventFilter) async throws -> Subscription

    /// Durably records that consumer `name` has handled everything up to `position`.
    func saveCheckpoint(_ name: String, position: UInt64) async throws

    /// The position consumer `name` last saved.
    func checkpoint(named name: String) async throws -> UInt64?

    /// The snapshot kept for `stream`, if any: a cache, to be used only when the log's event
    /// at its version is its anchor (``StreamSnapshot/isAnchored(at:)``). `nil` too when what
    /// is kept cannot be read.
    func snapshot(of stream: StreamName) async throws -> StreamSnapshot?

    /// Offers `snapshot` to be kept for its stream in place of the one kept, best effort:
    /// the log may write it later or not at all (a backend without snapshots ignores it), and
    /// never lets it fail or delay an append.
    func offerSnapshot(_ snapshot: StreamSnapshot)
}

extension EventLog {
    /// Appends the requests one after another.
    public func append(contentsOf requests: [AppendRequest]) async throws -> [Result<AppendResult, EventStoreError>] {
        var results: [Result<AppendResult, EventStoreError>] = []
        for request in requests {
            do {
                results.append(.success(try await append(request)))
            } catch let refusal as EventStoreError {
                results.append(.failure(refusal))
            }
        }
        return results
    }

    /// Appends `events` to one stream.
    @discardableResult
    public func append(
        to stream: StreamName,
        expecting expectedVersion: ExpectedVersion = .any,
        _ events: [EventData]
    ) async throws -> AppendResult {
        try await append(
            AppendRequest([StreamAppend(stream: stream, expectedVersion: expectedVersion, events: events)])
        )
    }
}

/// Which way a read walks.
public enum ReadDirection: Sendable, Hashable {
    /// Ascending positions or versions.
    case forward
    /// Descending positions or versions.
    case backward
}

/// Where a subscription starts.
public enum SubscriptionStart: Sendable, Hashable {
    /// The first event of the log.
    case beginning
    /// The event at this position and everything after.
    case position(UInt64)
    /// Everything after this position (for resuming from the last event handled).
    case after(UInt64)
    /// Only events committed after the subscription is made.
    case now
    /// Everything after the position consumer `name` last saved (the beginning if none).
    case checkpoint(String)
}

/// Which events a read or subscription wants: by stream category and event type.
public struct EventFilter: Sendable, Hashable {
    /// Wanted categories; `nil` wants all.
    public var categories: Set<String>?
    /// Wanted event types; `nil` wants all.
    public var types: Set<String>?

    /// Every event.
    public static let all = EventFilter()

    /// Events matching both sets (`nil`: any).
    public init(categories: Set<String>? = nil, types: Set<String>? = nil) {
        self.categories = categories
        self.types = types
    }

    /// Events of streams in these categories.
    public static func categories(_ categories: String...) -> EventFilter { EventFilter(categories: Set(categories)) }

    /// Events of these types.
    public static func types(_ types: String...) -> EventFilter { EventFilter(types: Set(types)) }

    /// Whether every event passes.
    public var isAll: Bool { categories == nil && types == nil }

    /// Whether `event` passes.
    public func matches(_ event: RecordedEvent) -> Bool {
        (categories?.contains(event.stream.category) ?? true) && (types?.contains(event.type) ?? true)
    }
}

/// An ``EventFilter`` prepared for matching records in place, without making strings.
struct RecordMatcher {
    private let categories: [[UInt8]]?
    private let types: [[UInt8]]?

    init(_ filter: EventFilter) {
        categories = filter.categories.map { $0.map { Array($0.utf8) } }
        types = filter.types.map { $0.map { Array($0.utf8) } }
    }

    func matches(_ view: borrowing RecordView) -> Bool {
        if let categories, !categories.contains(where: { view.streamCategoryMatches($0) }) { return false }
        if let types {
            let type = view.typeBytes
            if !types.contains(where: { type.elementsEqual($0) }) { return false }
        }
        return true
    }
}
