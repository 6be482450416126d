import EventStore
import Foundation
import FuzzDriver

@testable import LogArchive

/// Fuzzes the binary (`RAPPORTX`) import parser, and `ImportReader` over a file, which tells
/// zstd, NDJSON and binary apart and decompresses.
///
/// Input: a mode byte, then the file. Mode bit 7 set: the file is written out and read by
/// `ImportReader`, as `rapport import` reads it. Otherwise the bytes go to the binary parser
/// in chunks of (mode + 1) bytes. Every event read is rendered as an export line, as `replay`
/// and an NDJSON export would.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: count)
    guard let mode = input.first else { return 0 }
    let file = UnsafeRawBufferPointer(rebasing: input[1...])
    if mode & 0x80 != 0 {
        readFile(file)
        return 0
    }
    var parser = BinaryExportParser()
    do {
        var start = 0
        let chunkSize = Int(mode) + 1
        while start < file.count {
            let end = min(start + chunkSize, file.count)
            try parser.consume(UnsafeRawBufferPointer(rebasing: file[start..<end])) { render($0) }
            start = end
        }
        try parser.finish()
    } catch {
        _ = parser.location
    }
    return 0
}

/// In memory when the machine has `/dev/shm`: a file on disk costs more than the parsing.
private let path =
    (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
    + "/rapport-fuzz-\(getpid()).export"

private func readFile(_ file: UnsafeRawBufferPointer) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0, file.isEmpty || write(descriptor, file.baseAddress, file.count) == file.count else {
        fatalError("cannot write \(path)")
    }
    close(descriptor)
    defer { unlink(path) }
    do {
        var reader = try ImportReader(path: path)
        while let items = try reader.next() { items.forEach(render) }
    } catch {}
}

private func render(_ item: ImportItem) {
    guard case .event(let event, _) = item else { return }
    var line: [UInt8] = []
    EventLine().render(event, withStoredBytes: true, into: &line)
}

/// libFuzzer's entry: SwiftPM renames an executable's `main` to `<module>_main`.
@_cdecl("FuzzBinaryImport_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}
