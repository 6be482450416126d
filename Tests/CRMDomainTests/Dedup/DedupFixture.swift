import CRMDomain
import Foundation
import Testing

/// One row of `Fixtures/dedup-keys.tsv`: an input and its key, or `nil` when it must be refused.
struct DedupCase: Sendable, CustomTestStringConvertible {
    let line: Int
    let kind: DedupKey.Kind
    let input: String
    let expected: String?
    let note: String

    var testDescription: String {
        "line \(line): \(kind) \(input.debugDescription) → \(expected ?? "INVALID") (\(note))"
    }
}

/// The shared dedup cases, read from the test bundle's copy, never from `../shared`.
enum DedupFixture {
    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    /// Every case in the fixture, in file order.
    static func cases() throws -> [DedupCase] {
        guard let url = Bundle.module.url(forResource: "dedup-keys", withExtension: "tsv", subdirectory: "Fixtures")
        else {
            throw FormatError(description: "Fixtures/dedup-keys.tsv is not in the test bundle")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        var cases: [DedupCase] = []
        // Split on "\n" only: blank inputs ("   ", "") are cases, so fields are never trimmed.
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else {
                throw FormatError(description: "line \(offset + 1) has \(fields.count) fields, not 4")
            }
            guard let kind = DedupKey.Kind(rawValue: fields[0]) else {
                throw FormatError(description: "line \(offset + 1) has unknown kind \(fields[0])")
            }
            let expected = fields[2] == "INVALID" ? nil : fields[2]
            cases.append(DedupCase(line: offset + 1, kind: kind, input: fields[1], expected: expected, note: fields[3]))
        }
        return cases
    }

    /// The cases with a key, for properties that hold of every key.
    static func validCases() throws -> [DedupCase] {
        try cases().filter { $0.expected != nil }
    }
}

/// The error code each kind refuses an input with.
func expectedCode(for kind: DedupKey.Kind) -> DedupKeyError.Code {
    switch kind {
    case .company: .invalidCompanyName
    case .creditCode: .invalidCreditCode
    case .phone: .invalidPhone
    case .email: .invalidEmail
    }
}
