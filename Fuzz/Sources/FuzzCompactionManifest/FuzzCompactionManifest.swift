import FuzzDriver

@testable import EventStore

/// Fuzzes the compaction manifest decoder, and what `verify`, `stats` and `compact` read of a
/// decoded manifest; a manifest that decodes must encode back to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: count)
    guard let manifest = try? CompactionManifest(decoding: bytes) else { return 0 }
    _ = (manifest.events, manifest.ratio, manifest.hashBefore.hex, manifest.hashAfter.hex)
    guard manifest.encoded().elementsEqual(bytes) else { fatalError("a decoded manifest encodes to other bytes") }
    return 0
}

/// libFuzzer's entry: SwiftPM renames an executable's `main` to `<module>_main`.
@_cdecl("FuzzCompactionManifest_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}
