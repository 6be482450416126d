import CRMDomain
import Testing

/// The shared cases in `Fixtures/dedup-keys.tsv`, a copy of `../shared/testdata/dedup-keys.tsv`.
@Suite("dedup keys: shared fixture")
struct DedupKeyFixtureTests {
    @Test("the fixture loads, with every kind and both outcomes")
    func fixtureLoads() throws {
        let cases = try DedupFixture.cases()
        #expect(cases.count == 42)
        for kind in DedupKey.Kind.allCases {
            #expect(cases.contains { $0.kind == kind && $0.expected != nil }, "no valid \(kind) case")
            #expect(cases.contains { $0.kind == kind && $0.expected == nil }, "no invalid \(kind) case")
        }
    }

    @Test("each row normalizes to its key, or is refused with its kind's code", arguments: try DedupFixture.cases())
    func row(_ row: DedupCase) throws {
        if let expected = row.expected {
            let key = try DedupKey(row.kind, normalizing: row.input)
            #expect(key.value == expected)
            #expect(key.kind == row.kind)
            #expect(key.uniqueKey == "\(row.kind.rawValue):\(expected)")
        } else {
            let error = #expect(throws: DedupKeyError.self) { try DedupKey(row.kind, normalizing: row.input) }
            #expect(error?.code == expectedCode(for: row.kind))
            #expect(error?.kind == row.kind)
            #expect(error?.input == row.input)
            #expect(error?.message.isEmpty == false)
        }
    }

    @Test("normalizing a key gives it back", arguments: try DedupFixture.validCases())
    func idempotent(_ row: DedupCase) throws {
        let key = try DedupKey(row.kind, normalizing: row.input)
        #expect(try DedupKey(row.kind, normalizing: key.value) == key)
    }
}
