import FuzzDriver

@testable import EventStore

/// Fuzzes the record decoder: a stored record's bytes, as an LMDB value or a sealed chunk's
/// slot hands them to a read, checked by `RecordView` and copied out field by field, and as an
/// import reads them (`RecordedEvent(storedRecord:)`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: count)
    do {
        let view = try RecordView(bytes: bytes, expectedPosition: 1)
        read(view)
    } catch {}
    if let event = try? RecordedEvent(storedRecord: bytes) {
        _ = (event.stream.category, event.stream.id, event.hash.hex)
    }
    return 0
}

/// Every accessor a read, `verify` or an export uses.
private func read(_ view: borrowing RecordView) {
    _ = (view.position, view.streamVersion, view.recordedAt, view.occurredAt, view.id, view.schemaVersion)
    _ = (view.streamBytes.count, view.typeBytes.count, view.contentTypeBytes.count, view.actorBytes.count)
    _ = (view.payload.count, view.canonicalBytes.count, view.hashBytes.count, view.storedBytes.count)
    _ = (view.stream.category, view.stream.id, view.type, view.actor)
    _ = view.streamCategoryMatches(Array("customer".utf8))
    let event = view.decode()
    _ = (event.correlationID, event.causationID, event.hash.hex)
}

/// libFuzzer's entry: SwiftPM renames an executable's `main` to `<module>_main`.
@_cdecl("FuzzRecordDecoder_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}
