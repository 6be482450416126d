import EventStore
import FuzzDriver

@testable import LogArchive

/// Fuzzes the NDJSON import parser: the header line, event lines (checked against their
/// rendering), unique-key lines and the end line, however the file's bytes are split.
///
/// Input: a byte choosing the chunk size the bytes are handed over in (1…256), then the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: count)
    guard let first = input.first else { return 0 }
    let file = UnsafeRawBufferPointer(rebasing: input[1...])
    var parser = NDJSONExportParser()
    parse(file, chunkSize: Int(first) + 1, with: &parser)
    return 0
}

/// Hands `file` to `parser` in chunks of `chunkSize` bytes, then ends it, as `ImportReader`
/// does; stops at the first error, as an import does.
func parse(_ file: UnsafeRawBufferPointer, chunkSize: Int, with parser: inout some ExportParser) {
    var items = 0
    do {
        var start = 0
        while start < file.count {
            let end = min(start + chunkSize, file.count)
            try parser.consume(UnsafeRawBufferPointer(rebasing: file[start..<end])) { _ in items += 1 }
            start = end
        }
        try parser.finish()
    } catch {
        _ = parser.location
    }
}

/// libFuzzer's entry: SwiftPM renames an executable's `main` to `<module>_main`.
@_cdecl("FuzzNDJSONImport_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}
