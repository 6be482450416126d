import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import CRMWorkload
import EventStore
import Foundation
import Projections
import RapportTestSupport
import SwiftProtobuf
import Synchronization
import Testing

@Suite("The pool sweep over the pool-idle read model")
struct PoolIdleTests {
    /// A generated history written once and copied, so two logs hold the same events: one is
    /// swept over the whole log, the other over the read model's candidates.
    private static func twinLogs() async throws -> (
        whole: LMDBEventLog, indexed: LMDBEventLog, end: Date, keep: [TemporaryDirectory]
    ) {
        let original = TemporaryDirectory("pool-idle-whole")
        let copy = TemporaryDirectory("pool-idle-indexed")
        var options = WorkloadOptions()
        (options.customers, options.reps, options.teams, options.days) = (1_500, 8, 2, 120)
        let log = try openTestLog(original)
        _ = try await WorkloadGenerator(options: options, log: log).run()
        await log.close()
        try FileManager.default.removeItem(atPath: copy.path)
        try FileManager.default.copyItem(atPath: original.path, toPath: copy.path)
        let end = options.start.addingTimeInterval(Double(options.days) * 86_400)
        return (try openTestLog(original), try openTestLog(copy), end, [original, copy])
    }

    @Test(
        "swept over the read model's candidates, a generated history loses and warns exactly the customers the whole-log sweep does, day after day, reading fewer customers"
    )
    func candidatesDecideAsTheWholeLog() async throws {
        let (whole, indexed, end, directories) = try await Self.twinLogs()
        let store = try ReadModelStore(directory: directories[1].appending("read-models"))
        let runner = ProjectionRunner(
            log: indexed,
            store: store,
            decoder: CRMProjections.decoder,
            projectors: [PoolIdleProjector.self]
        )
        try await runner.start()
        let viaLog = CRMService(log: whole)
        let viaReadModel = CRMService(log: indexed)
        var released = 0
        var warned = 0
        for days in [1.0, 10, 26, 28, 29, 31, 45, 90] {
            let time = end.addingTimeInterval(days * 86_400)
            let expected = try await viaLog.sweepPool(at: time)
            try await runner.catchUp()
            let got = try await viaReadModel.sweepPool(at: time, candidates: PoolIdleQueries(store: store))
            #expect(
                got.released.map(\.customerID).sorted() == expected.released.map(\.customerID).sorted(),
                "day +\(days)"
            )
            #expect(got.warned.map(\.customerID).sorted() == expected.warned.map(\.customerID).sorted(), "day +\(days)")
            #expect(got.released.map(\.note).sorted() == expected.released.map(\.note).sorted())
            #expect(
                got.warned.sorted { $0.customerID < $1.customerID }.map(\.releaseDueAt)
                    == expected.warned.sorted { $0.customerID < $1.customerID }.map(\.releaseDueAt)
            )
            #expect(got.unreadable.isEmpty && expected.unreadable.isEmpty)
            #expect(got.customersChecked < expected.customersChecked, "the candidates are fewer than every customer")
            #expect(got.customersChecked >= got.released.count + got.warned.count)
            #expect(got.streamsRead == 0, "day +\(days): decided from the read model's rows alone")
            try await runner.catchUp()
            let again = try await viaReadModel.sweepPool(at: time, candidates: PoolIdleQueries(store: store))
            #expect(again.released.isEmpty && again.warned.isEmpty, "day +\(days): nothing left to do at that time")
            #expect(
                again.streamsRead == 0 && (got.warned.isEmpty || again.customersChecked > 0),
                "day +\(days): the owners just warned are not read again until their release is due"
            )
            released += expected.released.count
            warned += expected.warned.count
        }
        #expect(
            released > 100 && warned > 100,
            "the history has idle customers to sweep: \(released) released, \(warned) warned"
        )
        #expect(try whole.head().position == indexed.head().position, "both logs hold the same events")
        // Every customer left owned without an open contract is now idle for less than the
        // shortest limit, less the warning: the read model lists none as due.
        try await runner.catchUp()
        let later = try await viaReadModel.sweepPool(
            at: end.addingTimeInterval(90 * 86_400),
            candidates: PoolIdleQueries(store: store)
        )
        #expect(later.released.isEmpty && later.warned.isEmpty)
        await whole.close()
        await indexed.close()
    }

    @Test(
        "over the read model as over the whole log, deals restart the idle clock and a customer with money still to collect is never swept"
    )
    func businessActivity() async throws {
        let world = try CRMWorld("pool-idle-deals")
        let store = try ReadModelStore(directory: world.directory.appending("read-models"))
        let runner = ProjectionRunner(
            log: world.log,
            store: store,
            decoder: CRMProjections.decoder,
            projectors: [PoolIdleProjector.self]
        )
        try await runner.start()
        var sweeps = 0
        var leftAfterDay61: [PoolCandidate] = []
        let steps = try await PoolSweepScenario.businessActivity(in: world) {
            try await runner.catchUp()
            let released = try await world.crm.sweepPool(candidates: PoolIdleQueries(store: store)).released
            sweeps += 1
            if sweeps == 2 {
                // Only the customer held by its open contract is still owned: no candidate.
                try await runner.catchUp()
                leftAfterDay61 = try PoolIdleQueries(store: store).page(
                    idleSince: { _ in world.clock.now() },
                    after: nil,
                    limit: 10
                ).candidates
            }
            return released.map(\.customerID)
        }
        #expect(steps.count == 4)
        #expect(leftAfterDay61.isEmpty, "a customer with an open contract is no candidate")
        for step in steps { #expect(step.released == step.expected, "\(step.step)") }
        await world.close()
    }

    @Test(
        "a sweep appends many releases in one commit, each owner's entries together; a follow-up logged while it decides wins"
    )
    func batchedReleases() async throws {
        let world = try CRMWorld("pool-idle-batch")
        let (crm, clock) = (world.crm, world.clock)
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap, rules.warningDaysBeforeRelease) = (20, 20, 1)
        rules.idleLimits = [CRMIdleLimit.with { ($0.customerLevel, $0.idleDays) = ("", 5) }]
        try await crm.configurePoolRules(rules, actor: "admin", occurredAt: clock.now().addingTimeInterval(-1))
        let reps = [try await world.user("rep1"), try await world.user("rep2")]
        var ids: [String] = []
        for index in 0..<12 {
            if index == 8 { clock.advance(days: 3) }
            let id = try await crm.createCustomer(NewCustomer(name: "Batch \(index) Co., Ltd."), actor: reps[index % 2])
            try await crm.claimCustomer(id, actor: reps[index % 2])
            ids.append(id)
        }

        // Day 6: the first eight are past their five days; the last four warn from day 7.
        clock.advance(days: 3)
        var store = try await world.readModels([PoolIdleProjector.self])
        let first = try await crm.sweepPool(candidates: PoolIdleQueries(store: store))
        #expect(Set(first.released.map(\.customerID)) == Set(ids[0..<8]) && first.warned.isEmpty)
        #expect(first.streamsRead == 0)
        let changes = try ids[0..<8].map { id in
            try #require(world.events(of: "customer-\(id)").last { $0.type == "crm.v1.CustomerOwnershipChanged" })
        }
        #expect(Set(changes.map(\.recordedAt)).count == 1, "one commit")
        for rep in reps {
            let entries = try world.events(of: "user-\(rep)").suffix(4)
            #expect(entries.allSatisfy { $0.recordedAt == changes[0].recordedAt })
            let lost = try entries.map { try CRMRepHoldingChanged(serializedBytes: $0.payload) }
            #expect(
                lost.map(\.customerID)
                    == ids[0..<8].enumerated().filter { $0.offset % 2 == reps.firstIndex(of: rep)! }.map(\.element)
            )
            #expect(lost.allSatisfy { !$0.gained && $0.reason == .releasedBySweep })
        }

        // Day 8.5: the last four are due; one gets a follow-up while the sweep decides.
        clock.advance(days: 2.5)
        store = try await world.readModels([PoolIdleProjector.self])
        var followUp = CRMFollowUpLogged()
        (followUp.customerID, followUp.channel) = (ids[8], .call)
        let interrupted = FewAtATime(queries: PoolIdleQueries(store: store)) { [followUp] in
            _ = try await crm.logFollowUp(followUp, actor: reps[0])
        }
        let second = try await crm.sweepPool(candidates: interrupted)
        #expect(second.customersChecked == 4)
        #expect(Set(second.released.map(\.customerID)) == Set(ids[9..<12]), "the followed-up customer stays")
        #expect(second.streamsRead == 4, "the batch's streams are read again after the conflict")
        let kept = try world.events(of: "customer-\(ids[8])").last { $0.type == "crm.v1.CustomerOwnershipChanged" }
        #expect(try CRMCustomerOwnershipChanged(serializedBytes: try #require(kept).payload).toOwnerID == reps[0])
        await world.close()
    }

    @Test("a candidate whose stream holds an event this build cannot read is left as it is; the others are swept")
    func unreadableEvents() async throws {
        let world = try CRMWorld("pool-idle-unreadable")
        let rep = try await world.user("rep")
        let (readable, foreign) = (
            try await world.poolCustomer("Idle Co., Ltd."), try await world.poolCustomer("Foreign Co., Ltd.")
        )
        try await world.crm.claimCustomer(readable, actor: rep)
        try await world.crm.claimCustomer(foreign, actor: rep)
        // Brought in from elsewhere: a type the catalogue does not know, which the read model
        // passes over.
        try await world.log.append(to: StreamName("customer-\(foreign)"), [testEvent("othercrm.Visited")])
        world.clock.advance(days: 31)
        let store = try await world.readModels([PoolIdleProjector.self])
        let report = try await world.crm.sweepPool(candidates: PoolIdleQueries(store: store))
        #expect(report.released.map(\.customerID) == [readable])
        #expect(report.unreadable == [foreign])
        #expect(try world.events(of: "customer-\(foreign)").last?.type == "othercrm.Visited", "nothing appended to it")
        await world.close()
    }

    @Test("pages follow the idle clock and end at the cutoff")
    func paging() async throws {
        let world = try CRMWorld("pool-idle-pages")
        let (crm, clock) = (world.crm, world.clock)
        let rep = try await world.user("rep")
        var ids: [String] = []
        for index in 0..<5 {
            let id = try await crm.createCustomer(NewCustomer(name: "Paged \(index) Co., Ltd."), actor: rep)
            try await crm.claimCustomer(id, actor: rep)
            ids.append(id)
            clock.advance(days: 1)
        }
        let queries = PoolIdleQueries(store: try await world.readModels([PoolIdleProjector.self]))
        let now = clock.now()
        let first = try queries.page(idleSince: { _ in now }, after: nil, limit: 2)
        #expect(first.candidates.map(\.customerID) == Array(ids[0..<2]))
        let second = try queries.page(idleSince: { _ in now }, after: first.next, limit: 2)
        #expect(second.candidates.map(\.customerID) == Array(ids[2..<4]))
        let third = try queries.page(idleSince: { _ in now }, after: second.next, limit: 2)
        #expect(third.candidates.map(\.customerID) == [ids[4]] && third.next == nil)
        let upToSecond = try queries.page(
            idleSince: { _ in now.addingTimeInterval(-3.5 * 86_400) },
            after: nil,
            limit: 10
        )
        #expect(upToSecond.candidates.map(\.customerID) == Array(ids[0..<2]) && upToSecond.next == nil)
        await world.close()
    }

    @Test("each level is read up to its own cutoff, pages run across levels, and a change of level moves the customer")
    func levels() async throws {
        let world = try CRMWorld("pool-idle-levels")
        let (crm, clock) = (world.crm, world.clock)
        let rep = try await world.user("rep")
        var ids: [String: String] = [:]
        for (name, level) in [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B"), ("plain", "")] {
            var new = NewCustomer(name: "\(name) Co., Ltd.")
            new.level = level
            ids[name] = try await crm.createCustomer(new, actor: rep)
            try await crm.claimCustomer(ids[name]!, actor: rep)
        }
        clock.advance(days: 10)
        let now = clock.now()
        // B's and unlisted levels' cutoffs are now; A's is 20 days ago: no A customer is due.
        let cutoffs: (String) -> Date = { level in level == "A" ? now.addingTimeInterval(-20 * 86_400) : now }
        var queries = PoolIdleQueries(store: try await world.readModels([PoolIdleProjector.self]))
        var all: [String] = []
        var cursor: String?
        repeat {
            let page = try queries.page(idleSince: cutoffs, after: cursor, limit: 1)
            all += page.candidates.map(\.customerID)
            cursor = page.next
        } while cursor != nil
        #expect(Set(all) == [ids["b1"]!, ids["b2"]!, ids["plain"]!] && all.count == 3, "one page at a time")
        let everyone = try queries.page(idleSince: { _ in now }, after: nil, limit: 10).candidates.map(\.customerID)
        #expect(Set(everyone) == Set(ids.values))

        var changes = CustomerDecisions.ProfileChanges()
        changes.level = "B"
        try await crm.updateCustomerProfile(ids["a1"]!, changes, actor: rep)
        queries = PoolIdleQueries(store: try await world.readModels([PoolIdleProjector.self]))
        let afterChange = try queries.page(idleSince: cutoffs, after: nil, limit: 10).candidates.map(\.customerID)
        #expect(Set(afterChange) == [ids["a1"]!, ids["b1"]!, ids["b2"]!, ids["plain"]!])
        await world.close()
    }
}

/// The read model's candidates two at a time, running `interruption` before the second page,
/// after the first page's customers are decided and before their batch is appended.
private final class FewAtATime: PoolCandidates {
    let queries: PoolIdleQueries
    let interruption: @Sendable () async throws -> Void
    private let pages = Mutex(0)

    init(queries: PoolIdleQueries, interruption: @escaping @Sendable () async throws -> Void) {
        (self.queries, self.interruption) = (queries, interruption)
    }

    func page(
        idleSince cutoff: (String) -> Date,
        after cursor: String?,
        limit: Int
    ) async throws -> (candidates: [PoolCandidate], next: String?) {
        if pages.withLock({ pages in
            pages += 1
            return pages == 2
        }) {
            try await interruption()
        }
        return try queries.page(idleSince: cutoff, after: cursor, limit: min(limit, 2))
    }
}
