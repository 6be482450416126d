public import EventStore
public import Foundation

/// Small events for tests: a type, a payload made from text, and an actor.
public func testEvent(
    _ type: String = "test.Happened",
    payload: String = "{}",
    id: UUID = UUID(),
    actor: String = "tester",
    occurredAt: Timestamp? = nil
) -> EventData {
    EventData(
        id: id,
        type: type,
        contentType: "application/json",
        payload: Array(payload.utf8),
        metadata: EventMetadata(actor: actor, occurredAt: occurredAt)
    )
}

/// A stream name known to be valid.
public func stream(_ name: String) -> StreamName {
    do {
        return try StreamName(name)
    } catch {
        preconditionFailure("test stream name \(name) is invalid: \(error)")
    }
}

/// Opens a writable log in `directory` with small defaults suited to tests.
public func openTestLog(
    _ directory: TemporaryDirectory,
    durability: LMDBEventLog.Durability = .none
) throws -> LMDBEventLog {
    var options = LMDBEventLog.Options()
    options.durability = durability
    options.initialMapSize = 16 << 20
    return try LMDBEventLog(directory: directory.path, options: options)
}

/// Opens the log in `directory` read-only.
public func openReadOnlyLog(_ directory: TemporaryDirectory) throws -> LMDBEventLog {
    var options = LMDBEventLog.Options()
    options.readOnly = true
    options.pollInterval = .milliseconds(5)
    return try LMDBEventLog(directory: directory.path, options: options)
}

/// Flips one bit of the first occurrence of `marker` in the log's file on disk, the way a bad
/// sector or a tamperer would change a stored record; the log must be closed.
///
/// - Returns: whether the marker was found.
@discardableResult
public func flipStoredByte(of marker: String, in directory: TemporaryDirectory) throws -> Bool {
    let file = URL(fileURLWithPath: directory.appending("data.mdb"))
    var bytes = try Data(contentsOf: file)
    guard let range = bytes.range(of: Data(marker.utf8)) else { return false }
    bytes[range.lowerBound] ^= 0x01
    try bytes.write(to: file)
    return true
}
