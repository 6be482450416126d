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
        let (crm, clock) = (world.crm, world.clock)
        let store = try ReadModelStore(directory: world.directory.appending("read-models"))
        let runner = ProjectionRunner(
            log: world.log,
            store: store,
            decoder: CRMProjections.decoder,
            projectors: [PoolIdleProjector.self]
        )
        try await runner.start()
        func sweep() async throws -> [String] {
            try await runner.catchUp()
            return try await crm.sweepPool(candidates: PoolIdleQueries(store: store)).released.map(\.customerID)
        }
        let rep = try await world.user("rep")
        let finance = try await world.user("finance", role: .finance)
        let product = try await crm.addProduct(
            NewProduct(
                sku: "seat",
                name: "Seat",
                price: CRMMoney(minorUnits: 100_000, currency: "CNY"),
                cost: CRMMoney(minorUnits: 1, currency: "CNY")
            ),
            actor: "admin"
        )
        var ids: [String: String] = [:]
        for name in ["idle", "dealing", "contracted"] {
            ids[name] = try await world.poolCustomer("\(name) Co., Ltd.")
            try await crm.claimCustomer(ids[name]!, actor: rep)
        }
        clock.advance(days: 1)
        let contract = try await crm.draftContract(
            for: ids["contracted"]!,
            lines: [.init(productID: product, quantity: 2)],
            actor: rep
        )
        clock.advance(days: 19)
        _ = try await crm.openOpportunity(
            .init(name: "Spring order", amount: CRMMoney(minorUnits: 500_000, currency: "CNY")),
            for: ids["dealing"]!,
            actor: rep
        )

        // Day 31 under the defaults (30 idle days): only the customer with no business at all goes.
        clock.advance(days: 11)
        #expect(try await sweep() == [ids["idle"]!])
        // Day 61: the deal went quiet 41 days ago; the unpaid contract still holds its customer.
        clock.advance(days: 30)
        #expect(try await sweep() == [ids["dealing"]!])
        try await runner.catchUp()
        let held = try PoolIdleQueries(store: store).page(idleSince: clock.now(), after: nil, limit: 10)
        #expect(held.candidates.isEmpty, "a customer with an open contract is no candidate")
        // Paid in full at day 61, the contract is closed: its last activity starts the clock.
        let whole = CRMMoney(minorUnits: 200_000, currency: "CNY")
        try await crm.scheduleInstalments(contract, [.init(dueAt: clock.now(), amount: whole)], actor: rep)
        _ = try await crm.recordPayment(contract, amount: whole, method: .bankTransfer, actor: finance)
        clock.advance(days: 29)
        #expect(try await sweep().isEmpty)
        clock.advance(days: 2)
        #expect(try await sweep() == [ids["contracted"]!])
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
        let first = try queries.page(idleSince: clock.now(), after: nil, limit: 2)
        #expect(first.candidates.map(\.customerID) == Array(ids[0..<2]))
        let second = try queries.page(idleSince: clock.now(), after: first.next, limit: 2)
        #expect(second.candidates.map(\.customerID) == Array(ids[2..<4]))
        let third = try queries.page(idleSince: clock.now(), after: second.next, limit: 2)
        #expect(third.candidates.map(\.customerID) == [ids[4]] && third.next == nil)
        let upToSecond = try queries.page(
            idleSince: clock.now().addingTimeInterval(-3.5 * 86_400),
            after: nil,
            limit: 10
        )
        #expect(upToSecond.candidates.map(\.customerID) == Array(ids[0..<2]) && upToSecond.next == nil)
        await world.close()
    }
}
