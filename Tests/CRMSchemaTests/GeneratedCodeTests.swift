import Crypto
import Foundation
import Testing

/// The generated Swift must be what `Tools/generate-schemas` makes of the committed
/// `.proto` files: the script records the digest of every schema and generated file, and
/// this test recomputes them. `Tools/generate-schemas --check` (run by `Tools/test`)
/// regenerates with protoc for the byte-for-byte comparison.
@Suite("Generated schema code")
struct GeneratedCodeTests {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func recordedDigests() throws -> [String: String] {
        let manifest = try String(
            contentsOf: root.appendingPathComponent("Sources/CRMSchema/Generated/schema-digests.txt"),
            encoding: .utf8
        )
        var digests: [String: String] = [:]
        for line in manifest.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            digests[parts[1].trimmingCharacters(in: .whitespaces)] = String(parts[0])
        }
        return digests
    }

    private func files(in folder: String, ending suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            .filter { $0.hasSuffix(suffix) }
            .map { "\(folder)/\($0)" }
    }

    @Test("every .proto and generated file is the one the generator recorded")
    func digestsMatch() throws {
        let digests = try recordedDigests()
        let present =
            try files(in: "Schemas/crm/v1", ending: ".proto")
            + files(in: "Sources/CRMSchema/Generated", ending: ".pb.swift")
        #expect(Set(present) == Set(digests.keys), "files added or removed since Tools/generate-schemas last ran")
        for path in present {
            let data = try Data(contentsOf: root.appendingPathComponent(path))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            #expect(digests[path] == digest, "\(path) changed since Tools/generate-schemas last ran")
        }
    }
}
