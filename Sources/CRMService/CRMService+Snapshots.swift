import EventStore
import Foundation
import SwiftProtobuf

extension CRMService {
    /// Folds a stream into `state` through its snapshot, and returns it with the version to
    /// expect when appending: the same answer as folding every event, in a time that does not
    /// grow with the stream.
    ///
    /// The snapshot the log keeps is used only when the log's event at the snapshot's version
    /// is its anchor (same position and chain hash, so the same log up to there) and its bytes
    /// decode as this state's format; anything else, a snapshot of another log, of this
    /// directory before a restore, damaged or of an older fold, is ignored and the whole stream
    /// folded. When more than ``SnapshotPolicy/foldThreshold`` events were folded, a snapshot
    /// of the state reached is offered to the log, which writes it with the next append's
    /// commit; a failure there costs nothing but the next load's time.
    func load<State: SnapshotState>(
        _ stream: StreamName,
        into state: State,
        time: KeyPath<RecordedEvent, Timestamp> = \.occurredAt,
        _ apply: (inout State, any SwiftProtobuf.Message, Date) -> Void
    ) async throws -> (State, ExpectedVersion) {
        guard snapshots.isEnabled else {
            let events = try await log.readStream(stream, from: 0, direction: .forward, limit: .max)
            return (try fold(events[...], into: state, time: time, apply), Self.version(after: events[...], base: nil))
        }
        // A snapshot that cannot be read is no snapshot; a log that cannot be read fails below.
        if let snapshot = try? await log.snapshot(of: stream), snapshot.stream == stream,
            let kept = StateSnapshotCoding.decode(snapshot.state, as: State.self)
        {
            // From the snapshot's own version, to check its anchor.
            let events = try await log.readStream(stream, from: snapshot.version, direction: .forward, limit: .max)
            if let anchor = events.first, snapshot.isAnchored(at: anchor) {
                return try foldOffering(events.dropFirst(), into: kept, base: anchor, time: time, apply)
            }
        }
        let events = try await log.readStream(stream, from: 0, direction: .forward, limit: .max)
        return try foldOffering(events[...], into: state, base: nil, time: time, apply)
    }

    /// Folds `events`, which follow `base` (the snapshot's anchor, or nothing), and offers a
    /// snapshot when they were more than the threshold.
    private func foldOffering<State: SnapshotState>(
        _ events: ArraySlice<RecordedEvent>,
        into state: State,
        base: RecordedEvent?,
        time: KeyPath<RecordedEvent, Timestamp>,
        _ apply: (inout State, any SwiftProtobuf.Message, Date) -> Void
    ) throws -> (State, ExpectedVersion) {
        let folded = try fold(events, into: state, time: time, apply)
        if events.count > snapshots.foldThreshold, let last = events.last,
            let bytes = try? StateSnapshotCoding.encode(folded)
        {
            log.offerSnapshot(StreamSnapshot(of: last, state: bytes))
        }
        return (folded, Self.version(after: events, base: base))
    }

    /// The version to expect after `events`, which follow `base`.
    private static func version(after events: ArraySlice<RecordedEvent>, base: RecordedEvent?) -> ExpectedVersion {
        (events.last ?? base).map { .exact($0.streamVersion) } ?? .noStream
    }
}
