import EventStore
import Foundation
import FuzzDriver
import LogArchive

/// Fuzzes a whole import, as `rapport import` runs it: `ImportReader` over the file, then
/// `LogImporter`, which checks how the items fit together (header against the log's head,
/// positions, keys, the end) and appends the events to a log.
///
/// Input: the export file. The log lives in memory (`/dev/shm` when there is one) and is made
/// again whenever an input imported something, so every input meets an empty log.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let file = UnsafeRawBufferPointer(start: data, count: count)
    let descriptor = open(exportPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0, file.isEmpty || write(descriptor, file.baseAddress, file.count) == file.count else {
        fatalError("cannot write \(exportPath)")
    }
    close(descriptor)
    defer { unlink(exportPath) }
    let done = DispatchSemaphore(value: 0)
    Task {
        await importFile()
        done.signal()
    }
    done.wait()
    return 0
}

private let root =
    (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
    + "/rapport-fuzz-import-\(getpid())"
private let exportPath = root + ".export"

/// The log inputs are imported into; a new one once an input changed it.
private final class Target: @unchecked Sendable {
    static let shared = Target()
    private var generation = 0
    private(set) var log: LMDBEventLog

    private init() { log = Self.open(0) }

    private static func open(_ generation: Int) -> LMDBEventLog {
        var options = LMDBEventLog.Options()
        (options.durability, options.initialMapSize) = (.none, 4 << 20)
        do {
            return try LMDBEventLog(directory: "\(root)/\(generation)", options: options)
        } catch {
            fatalError("cannot open a log in \(root): \(error)")
        }
    }

    func renewIfChanged() async {
        guard (try? log.head().position) != 0 else { return }
        await log.close()
        try? FileManager.default.removeItem(atPath: "\(root)/\(generation)")
        generation += 1
        log = Self.open(generation)
    }
}

private func importFile() async {
    let target = Target.shared
    do {
        var reader = try ImportReader(path: exportPath)
        var importer = try LogImporter(log: target.log, batchSize: 4)
        do {
            while let items = try reader.next() {
                for item in items { try await importer.take(item) }
            }
            try await importer.finish()
        } catch {
            try? await importer.settle()
        }
    } catch {}
    await target.renewIfChanged()
}

/// libFuzzer's entry: SwiftPM renames an executable's `main` to `<module>_main`.
@_cdecl("FuzzLogImport_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}
