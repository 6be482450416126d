import EventStore
import Foundation
import Projections
import RapportTestSupport

/// Events of these tests carry their payload as text; a payload starting "undecodable" cannot
/// be decoded and one starting "refuse" is refused by the projector.
let textDecoder = ProjectionDecoder<String> { type, _, payload in
    let text = String(decoding: payload, as: UTF8.self)
    if text.hasPrefix("undecodable") { throw TestFailure("cannot decode \(text)") }
    return text
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Counts events per stream and per type, and sums their positions, so a missed or repeated
/// event changes the rows.
class CountingProjector: Projector {
    class var name: String { "counting" }
    class var version: UInt32 { 1 }
    static let eventTypes: Set<String> = ["test.Happened", "test.Other"]

    struct StreamRow: Codable, Sendable, Hashable {
        var events = 0
        var positionSum: UInt64 = 0
        var lastVersion: UInt64 = 0
        var payloads: [String] = []
    }

    let streams = ReadModelTable<StreamRow>("streams")
    let types = ReadModelTable<Int>("types")
    var tables: [any ReadModelTableProtocol] { [streams, types] }

    required init() {}

    func apply(_ event: ProjectedEvent<String>) throws {
        if event.payload.hasPrefix("refuse") { throw TestFailure("refused \(event.payload)") }
        streams.update(event.stream.rawValue, default: StreamRow()) { row in
            row.events += 1
            row.positionSum += event.position
            row.lastVersion = event.streamVersion
            row.payloads.append(event.payload)
        }
        types.update(event.type, default: 0) { $0 += 1 }
    }
}

/// The same projection at a later version: its read model must be rebuilt.
final class CountingProjectorV2: CountingProjector {
    override class var version: UInt32 { 2 }
}

/// A third version of "counting" whose stream rows are of another type: the last payload.
final class LastPayloadProjector: Projector {
    static let name = "counting"
    static let version: UInt32 = 3
    static let eventTypes: Set<String> = ["test.Happened", "test.Other"]
    let streams = ReadModelTable<String>("streams")
    var tables: [any ReadModelTableProtocol] { [streams] }
    init() {}

    func apply(_ event: ProjectedEvent<String>) throws {
        streams[event.stream.rawValue] = event.payload
    }
}

/// Only counts types, under another name: an independent read model.
final class TypeCounter: Projector {
    static let name = "type-counter"
    static let version: UInt32 = 1
    static let eventTypes: Set<String> = ["test.Other"]
    let types = ReadModelTable<Int>("types")
    var tables: [any ReadModelTableProtocol] { [types] }
    init() {}

    func apply(_ event: ProjectedEvent<String>) throws {
        types.update(event.type, default: 0) { $0 += 1 }
    }
}

/// Appends `count` events over `streams` streams, alternating two types, one per append.
@discardableResult
func appendEvents(
    _ log: LMDBEventLog,
    count: Int,
    streams: Int = 5,
    from first: Int = 0,
    occurredAt: Timestamp? = nil
)
    async throws -> UInt64
{
    var last: UInt64 = 0
    for index in first..<(first + count) {
        let type = index % 3 == 0 ? "test.Other" : "test.Happened"
        let result = try await log.append(
            to: stream("thing-\(index % streams)"),
            [testEvent(type, payload: "event \(index)", occurredAt: occurredAt)]
        )
        last = result.positions.last ?? last
    }
    return last
}

/// A log and a read-model store in one temporary directory.
struct ProjectionWorld {
    let directory: TemporaryDirectory
    let log: LMDBEventLog
    let store: ReadModelStore

    init(_ name: String) throws {
        directory = TemporaryDirectory(name)
        log = try openTestLog(directory)
        store = try ReadModelStore(directory: directory.path + "/read-models")
    }

    func runner(_ projectors: [any Projector<String>.Type] = [CountingProjector.self]) -> ProjectionRunner<String> {
        ProjectionRunner(log: log, store: store, decoder: textDecoder, projectors: projectors)
    }

    /// A store of its own with `projectors` built from the log.
    func built(
        _ projectors: [any Projector<String>.Type] = [CountingProjector.self],
        asOf: AsOf? = nil
    ) async throws
        -> ReadModelStore
    {
        let other = try ReadModelStore(directory: directory.path + "/built-\(UUID().uuidString)")
        try await ProjectionBuilder.build(projectors, log: log, decoder: textDecoder, asOf: asOf, into: other)
        return other
    }
}
