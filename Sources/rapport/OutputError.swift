import Foundation
import SystemPackage

/// Standard output or an output file that cannot be written: a full disk, a file-size limit,
/// a directory the user may not write in.
struct OutputError: Error, CustomStringConvertible {
    /// What could not be written: a path, or "standard output".
    var target: String
    /// The system's reason ("No space left on device").
    var reason: String

    /// The failure `errno` describes, for `target`.
    init(_ target: String, errno code: Int32 = errno) {
        self.target = target
        self.reason = String(cString: strerror(code))
    }

    var description: String { "cannot write \(target): \(reason)" }
}

/// Writes all of `bytes` to `descriptor`, through short writes and interruptions.
///
/// - Throws: `OutputError` naming `target` and the system's reason.
func writeAll(_ bytes: some ContiguousBytes, to descriptor: Int32, naming target: String) throws(OutputError) {
    do {
        try bytes.withUnsafeBytes { _ = try FileDescriptor(rawValue: descriptor).writeAll($0) }
    } catch {
        throw OutputError(target, errno: (error as? Errno)?.rawValue ?? EIO)
    }
}
