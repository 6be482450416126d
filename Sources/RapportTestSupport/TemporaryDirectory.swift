import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is released.
///
/// Tests run in parallel; each one that opens a log or an environment takes its own.
public final class TemporaryDirectory: Sendable {
    /// The directory's path.
    public let path: String

    /// Creates an empty directory named after `label`.
    public init(_ label: String = "rapport") {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory (not created).
    public func appending(_ component: String) -> String {
        path + "/" + component
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Finds an executable built beside the test bundle, such as a crash-test child.
public func builtExecutable(named name: String) -> String? {
    var candidates: [URL] = []
    let arguments = CommandLine.arguments
    if let first = arguments.first {
        var url = URL(fileURLWithPath: first).resolvingSymlinksInPath()
        for _ in 0..<4 {
            url.deleteLastPathComponent()
            candidates.append(url.appendingPathComponent(name))
        }
    }
    if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() {
        candidates.append(bundle.appendingPathComponent(name))
    }
    return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
}
