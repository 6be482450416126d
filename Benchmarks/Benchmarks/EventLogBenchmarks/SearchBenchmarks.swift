import Benchmark
import CRMReadModels
import Foundation
import Projections

/// The search index (``SearchProjector``) over the default generated history: building it, and
/// queries of each kind a rep types before claiming from the pool (a company's full name, a
/// fragment of it, its characters in order, pinyin, initials, a phone's last digits, an email,
/// a credit code, a contact's name, a typo), one query per iteration so the wall-clock
/// percentiles are the query's own. `Search: mixed` draws the kinds in turn.
///
/// Beside them, `Search: the limit` is one `ReadModelStore.rows` prefix read of a single posting
/// of the same index: the store's own cost for a query that reads one row, which no query can
/// go below.
///
/// package-benchmark runs each benchmark in a process of its own, so each builds the index
/// (about 20 s) over the default history, generated in the process (about 40 s) unless
/// `RAPPORT_BENCHMARK_HISTORY` names a directory holding it (`rapport demo --data-dir DIR`, or
/// a copy of one a run generated). The build benchmark builds it again each iteration and
/// reports its rows and bytes.
func searchBenchmarks(metrics: [BenchmarkMetric]) {
    Benchmark(
        "Search: build the index over the default history",
        configuration: .init(
            metrics: metrics + [.peakMemoryResident, .indexRows, .indexBytes, .storeFileBytes],
            warmupIterations: 0,
            scalingFactor: .one,
            maxDuration: .seconds(120),
            maxIterations: 3
        )
    ) { benchmark in
        let log = try await GeneratedHistory.shared.log()
        let store = try TemporaryReadModels("search-build")
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        let reached = try await ProjectionBuilder.build(
            [SearchProjector.self],
            log: log,
            decoder: CRMProjections.decoder,
            into: store.store
        )
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        benchmark.measurement(.events, elapsed.rate(of: Int(reached)))
        let rows = try store.store.contents(of: SearchProjector.name)
        benchmark.measurement(.indexRows, rows.count)
        benchmark.measurement(
            .indexBytes,
            rows.reduce(0) { $0 + $1.table.utf8.count + 1 + $1.key.utf8.count + $1.bytes.count }
        )
        let file = try FileManager.default.attributesOfItem(atPath: store.directory + "/data.mdb")[.size] as? Int
        benchmark.measurement(.storeFileBytes, file ?? 0)
        store.remove()
    }

    let configuration = Benchmark.Configuration(
        metrics: metrics,
        warmupIterations: 200,
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 5_000
    )
    for kind in SearchMix.Kind.allCases {
        Benchmark("Search: \(kind.rawValue)", configuration: configuration) { benchmark in
            let built = try await BuiltSearchIndex.shared.value()
            let queries = built.mix.queries[kind]!
            let q = queries[benchmark.currentIteration % queries.count]
            benchmark.startMeasurement()
            let page = try built.search.search(q: q, visibleOwner: { $0 == built.mix.rep })
            benchmark.stopMeasurement()
            blackHole(page)
        } teardown: {
            await BuiltSearchIndex.shared.remove()
        }
    }
    Benchmark(
        "Search: mixed",
        configuration: .init(metrics: metrics, warmupIterations: 500, maxDuration: .seconds(20), maxIterations: 20_000)
    ) { benchmark in
        let built = try await BuiltSearchIndex.shared.value()
        let q = built.mix.mixed[benchmark.currentIteration % built.mix.mixed.count]
        benchmark.startMeasurement()
        let page = try built.search.search(q: q, visibleOwner: { $0 == built.mix.rep })
        benchmark.stopMeasurement()
        blackHole(page)
    } teardown: {
        await BuiltSearchIndex.shared.remove()
    }
    Benchmark(
        "Search: the limit, one prefix read of one posting",
        configuration: .init(metrics: metrics, warmupIterations: 500, maxDuration: .seconds(5), maxIterations: 20_000)
    ) { benchmark in
        let built = try await BuiltSearchIndex.shared.value()
        let key = built.mix.postings[benchmark.currentIteration % built.mix.postings.count]
        benchmark.startMeasurement()
        let rows = try built.store.rows(
            Int.self,
            projector: SearchProjector.name,
            table: "phones",
            prefix: key,
            limit: 1
        )
        benchmark.stopMeasurement()
        precondition(rows.count == 1)
        blackHole(rows)
    } teardown: {
        await BuiltSearchIndex.shared.remove()
    }
}

extension BenchmarkMetric {
    static var indexRows: Self { .custom("Index rows (#)", polarity: .prefersSmaller, useScalingFactor: false) }
    static var indexBytes: Self { .custom("Index bytes (#)", polarity: .prefersSmaller, useScalingFactor: false) }
    static var storeFileBytes: Self {
        .custom("Store file bytes (#)", polarity: .prefersSmaller, useScalingFactor: false)
    }
}

/// The search index of the default history, built once per process, and the queries to run.
actor BuiltSearchIndex {
    static let shared = BuiltSearchIndex()

    struct Index: Sendable {
        let store: ReadModelStore
        let search: SearchQueries
        let mix: SearchMix
    }

    private var built: Index?
    private var temporary: TemporaryReadModels?

    func value() async throws -> Index {
        if let built { return built }
        let log = try await GeneratedHistory.shared.log()
        let fresh = try TemporaryReadModels("search")
        _ = try await ProjectionBuilder.build(
            [SearchProjector.self],
            log: log,
            decoder: CRMProjections.decoder,
            into: fresh.store
        )
        temporary = fresh
        let index = Index(
            store: fresh.store,
            search: SearchQueries(store: fresh.store),
            mix: try SearchMix(fresh.store)
        )
        built = index
        return index
    }

    /// Deletes the index: package-benchmark runs each benchmark in a process of its own, which
    /// would otherwise leave one behind in the temporary directory.
    func remove() {
        temporary?.remove()
        (temporary, built) = (nil, nil)
    }
}

/// Queries of each kind, drawn with a fixed seed from the records the index holds.
struct SearchMix: Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case fullName = "a company's full name"
        case fragment = "two characters from inside a company name"
        case inOrder = "a company's city, then a character of its trade (杭州茶)"
        case pinyin = "pinyin of a company's first three characters"
        case initials = "initials of a company's first four characters"
        case phone = "a phone's last 4 digits"
        case email = "an email, whole or its local part"
        case creditCode = "a credit code, lower case"
        case contact = "a contact's name"
        case typo = "a Latin name with a typo"
    }

    /// A record as the index stores it: the fields the mix needs (rows decode by field name).
    struct Record: Decodable {
        var kind: String
        var name: String
        var phone: String
        var email: String
        var creditCode: String
        var ownerID: String
    }

    var queries: [Kind: [String]] = [:]
    /// Every kind in turn.
    var mixed: [String] = []
    /// Keys of single phone postings, for the limit.
    var postings: [String] = []
    /// The rep the queries run as: they see their own records and the pool's.
    var rep = ""

    init(_ store: ReadModelStore) throws {
        let records = try store.rows(Record.self, projector: SearchProjector.name, table: "records").map(\.row)
        var random = BenchmarkRandom(seed: 2026)
        let companies = records.filter { $0.kind != "contact" && $0.name.hasSuffix("有限公司") }
        let contacts = records.filter { $0.kind == "contact" && !$0.name.isEmpty }
        precondition(companies.count > 1_000 && contacts.count > 100, "the history has too few records")
        let count = 2_000
        func pick<T>(_ from: [T]) -> T { from[random.int(below: from.count)] }
        func pinyin(_ text: Substring) -> [String] {
            text.map { character in
                let latin = String(character).applyingTransform(.toLatin, reverse: false) ?? ""
                return (latin.applyingTransform(.stripDiacritics, reverse: false) ?? "").lowercased()
                    .filter { $0.isLetter && $0.isASCII }
            }
        }
        let withPhone = records.filter { $0.phone.count > 4 }
        let withEmail = companies.filter { $0.email.contains("@") }
        let withCode = companies.filter { !$0.creditCode.isEmpty }
        for _ in 0..<count {
            let company = pick(companies)
            let brand = Array(company.name.dropLast("有限公司".count))
            queries[.fullName, default: []].append(company.name)
            let start = min(2, brand.count - 2)
            queries[.fragment, default: []].append(String(brand[start..<start + 2]))
            queries[.inOrder, default: []].append(String(brand.prefix(2)) + String(brand.last!))
            queries[.pinyin, default: []].append(pinyin(company.name.prefix(3)).joined())
            queries[.initials, default: []].append(
                pinyin(company.name.prefix(4)).compactMap(\.first).map(String.init).joined()
            )
            queries[.phone, default: []].append(String(pick(withPhone).phone.suffix(4)))
            let email = pick(withEmail).email
            queries[.email, default: []].append(
                random.int(below: 2) == 0 ? email : String(email.prefix { $0 != "@" })
            )
            queries[.creditCode, default: []].append(pick(withCode).creditCode.lowercased())
            queries[.contact, default: []].append(pick(contacts).name)
            queries[.typo, default: []].append(
                pick(["Acme Robtics", "Blue Ocaen Trading", "Hangzhuo Tea", "Sunrise Elecronics"])
            )
        }
        rep = records.first { !$0.ownerID.isEmpty }?.ownerID ?? ""
        for index in 0..<count {
            for kind in Kind.allCases { mixed.append(queries[kind]![index]) }
        }
        postings = try store.rows(Int.self, projector: SearchProjector.name, table: "phones", limit: 5_000).map(\.key)
    }
}

/// SplitMix64, so the mix is the same in every run.
struct BenchmarkRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
