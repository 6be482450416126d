import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import Foundation
import Projections
import Testing

@Suite("Churn timeline read model")
struct ChurnTests {
    @Test("losses by stage and reason, time from first follow-up, win-backs, and customers won and lost per month")
    func timeline() async throws {
        let world = try CRMWorld("sales-churn")
        world.salesClockToNextYear()
        let crm = world.crm
        let (a, b) = (try await world.user("alice"), try await world.user("bob"))
        let product = try await crm.addProduct(
            NewProduct(sku: "seat", name: "Seat", price: salesCNY(1_000), cost: salesCNY(100)),
            actor: "admin"
        )
        func at(_ day: String) -> Date { SalesTime.at(day) }

        // January: five customers created with owners.
        let c1 = try await world.salesCustomer("上海流失一号有限公司", owner: a, on: "2026-01-05")
        let c2 = try await world.salesCustomer("上海流失二号有限公司", owner: a, on: "2026-01-05")
        let c3 = try await world.salesCustomer("上海流失三号有限公司", owner: b, on: "2026-01-02")
        let c4 = try await world.salesCustomer("上海流失四号有限公司", owner: a, on: "2026-01-05")
        let c5 = try await world.salesCustomer("上海流失五号有限公司", owner: b, on: "2026-01-10")

        // c1: first follow-up 01-06 (another 01-20 changes nothing); its deal is lost at
        // proposal on 01-26: 20 days after the first follow-up.
        try await world.salesFollowUp(c1, by: a, .call, on: "2026-01-06")
        try await world.salesFollowUp(c1, by: a, .visit, on: "2026-01-20")
        let deal1 = try await crm.openOpportunity(
            .init(name: "one", amount: salesCNY(1)),
            for: c1,
            actor: a,
            occurredAt: at("2026-01-06")
        )
        try await crm.moveOpportunity(deal1, toStage: "proposal", actor: a, occurredAt: at("2026-01-10"))
        try await crm.loseOpportunity(deal1, reason: "price too high", actor: a, occurredAt: at("2026-01-26"))
        // c2: never followed up; lost at qualification 01-08: counted, not timed.
        let deal2 = try await crm.openOpportunity(
            .init(name: "two", amount: salesCNY(1)),
            for: c2,
            actor: a,
            occurredAt: at("2026-01-07")
        )
        try await crm.loseOpportunity(deal2, reason: "no budget", actor: a, occurredAt: at("2026-01-08"))
        // c3: followed up 01-02, lost at qualification 02-10 (39 days), then signs a contract
        // 02-20: a win-back.
        try await world.salesFollowUp(c3, by: b, .email, on: "2026-01-02", hour: 15)
        let deal3 = try await crm.openOpportunity(
            .init(name: "three", amount: salesCNY(1)),
            for: c3,
            actor: b,
            occurredAt: at("2026-01-03")
        )
        try await crm.loseOpportunity(deal3, reason: " price too high ", actor: b, occurredAt: at("2026-02-10"))
        _ = try await crm.draftContract(
            for: c3,
            lines: [.init(productID: product, quantity: 1)],
            actor: b,
            occurredAt: at("2026-02-20")
        )
        // c1's deal is reopened 02-05 (a win-back), so its contract in March is not one.
        try await crm.reopenOpportunity(deal1, reason: "budget found", actor: a, occurredAt: at("2026-02-05"))
        _ = try await crm.draftContract(
            for: c1,
            lines: [.init(productID: product, quantity: 2)],
            actor: a,
            occurredAt: at("2026-03-02")
        )

        // c4: released 01-15 and claimed back by bob 01-20: not lost (back within the month),
        // but a win-back. c5: released 01-30, claimed by alice 02-04: lost in January, won back
        // in February. c6: created into the pool 02-01 and claimed 02-02: never lost, no win-back.
        try await crm.releaseCustomer(c4, actor: a, occurredAt: at("2026-01-15"))
        try await crm.claimCustomer(c4, actor: b, occurredAt: at("2026-01-20"))
        try await crm.releaseCustomer(c5, actor: b, occurredAt: at("2026-01-30"))
        try await crm.claimCustomer(c5, actor: a, occurredAt: at("2026-02-04"))
        let c6 = try await world.salesCustomer("上海流失六号有限公司", owner: "", on: "2026-02-01")
        try await crm.claimCustomer(c6, actor: a, occurredAt: at("2026-02-02"))

        let churn = ChurnQueries(store: try await world.readModels([ChurnProjector.self]))

        // January: deal1 at proposal (timed, 20 days) and deal2 at qualification (untimed).
        let january = try churn.lossesByStage(period: "2026-01")
        #expect(january.lost == 2)
        #expect(january.stages.map(\.stageID) == ["qualification", "proposal"])
        #expect(january.stages.map(\.name) == ["Qualification", "Proposal"])
        #expect(january.stages.map(\.lost) == [1, 1])
        #expect(january.stages.map(\.share) == [0.5, 0.5])
        #expect(january.stages.map(\.timeToLoss.timed) == [0, 1])
        #expect(january.stages[1].timeToLoss.totalDays == 20)
        #expect(january.stages[1].timeToLoss.buckets.map(\.count) == [0, 1, 0, 0])
        #expect(january.stages[0].timeToLoss.averageDays == nil)
        // The quarter adds deal3 at qualification, 39 days: timed 2, 59 days, 29.5 on average,
        // one in 8-30 and one in 31-90. deal1's reopen does not undo its loss.
        let quarter = try churn.lossesByStage(period: "2026-Q1")
        #expect(quarter.lost == 3)
        #expect(quarter.stages.map(\.lost) == [2, 1])
        #expect(quarter.stages[0].timeToLoss.totalDays == 39)
        #expect(quarter.timeToLoss.timed == 2 && quarter.timeToLoss.totalDays == 59)
        #expect(quarter.timeToLoss.averageDays == 29.5)
        #expect(quarter.timeToLoss.buckets.map(\.bucket.label) == ["0-7", "8-30", "31-90", "91+"])
        #expect(quarter.timeToLoss.buckets.map(\.count) == [0, 1, 1, 0])

        // Reasons, trimmed: "price too high" twice, "no budget" once.
        let reasons = try churn.reasons(period: "2026-Q1")
        #expect(reasons.lost == 3)
        #expect(reasons.reasons.map(\.reason) == ["price too high", "no budget"])
        #expect(reasons.reasons.map(\.count) == [2, 1])
        #expect(reasons.reasons.map(\.rank) == [1, 2])
        // January alone: one each, sharing rank 1, by name.
        let januaryReasons = try churn.reasons(period: "2026-01")
        #expect(januaryReasons.reasons.map(\.reason) == ["no budget", "price too high"])
        #expect(januaryReasons.reasons.map(\.rank) == [1, 1])

        let januaryBack = try churn.winBacks(period: "2026-01")
        #expect(
            (januaryBack.reclaimedCustomers, januaryBack.reopenedOpportunities, januaryBack.contractsAfterLoss) == (
                1, 0, 0
            )
        )
        let februaryBack = try churn.winBacks(period: "2026-02")
        #expect(
            (februaryBack.reclaimedCustomers, februaryBack.reopenedOpportunities, februaryBack.contractsAfterLoss) == (
                1, 1, 1
            )
        )
        #expect(februaryBack.total == 3)
        #expect(try churn.winBacks(period: "2026-03").total == 0)

        // January: 5 new (all owned); released c4, c5; claimed c4; lost c5 only; won back c4;
        // owned 5 + 1 − 2 = 4. February: c6 new (in the pool); claimed c5, c6; owned 4 + 2 = 6.
        let flow = try churn.customerFlow(from: "2025-12", to: "2026-03")
        #expect(flow.months.map(\.month) == ["2025-12", "2026-01", "2026-02", "2026-03"])
        #expect(flow.months.map(\.newCustomers) == [0, 5, 1, 0])
        #expect(flow.months.map(\.lostCustomers) == [0, 1, 0, 0])
        #expect(flow.months.map(\.wonBackCustomers) == [0, 1, 1, 0])
        #expect(flow.months.map(\.released) == [0, 2, 0, 0])
        #expect(flow.months.map(\.claimed) == [0, 1, 2, 0])
        #expect(flow.months.map(\.totalCustomers) == [0, 5, 6, 6])
        #expect(flow.months.map(\.ownedCustomers) == [0, 4, 6, 6])
        #expect(flow.months.map(\.lostOpportunities) == [0, 2, 1, 0])
        #expect(flow.months.map(\.reopenedOpportunities) == [0, 0, 1, 0])
        #expect(flow.months.map(\.contractsAfterLoss) == [0, 0, 1, 0])
        // Totals carry from months before the range.
        let february = try churn.customerFlow(from: "2026-02", to: "2026-02")
        #expect(february.months.map(\.totalCustomers) == [6])
        #expect(february.months.map(\.ownedCustomers) == [6])
        await world.close()
    }

    @Test("a customer released twice in a month and claimed between counts lost once; the idle sweep's release counts")
    func releasesWithinAMonth() async throws {
        let world = try CRMWorld("sales-churn")
        world.salesClockToNextYear()
        let crm = world.crm
        let (a, b) = (try await world.user("alice"), try await world.user("bob"))
        let customer = try await world.salesCustomer("苏州反复有限公司", owner: a, on: "2026-04-01")
        try await crm.releaseCustomer(customer, actor: a, occurredAt: SalesTime.at("2026-04-03"))
        try await crm.claimCustomer(customer, actor: b, occurredAt: SalesTime.at("2026-04-10"))
        try await crm.releaseCustomer(customer, actor: b, occurredAt: SalesTime.at("2026-04-30", 23.9))
        // Claimed back on 1 May (by carol: alice's 30-day cooldown runs): April lost it, since it
        // was in the pool at April's end.
        let carol = try await world.user("carol")
        try await crm.claimCustomer(customer, actor: carol, occurredAt: SalesTime.at("2026-05-01", 0.1))
        // An idle customer swept into the pool in June stays lost.
        let idle = try await world.salesCustomer("苏州闲置有限公司", owner: a, on: "2026-04-01")
        let report = try await crm.sweepPool(at: SalesTime.at("2026-06-15"))
        #expect(report.released.map(\.customerID).contains(idle))

        let flow = try ChurnQueries(store: try await world.readModels([ChurnProjector.self])).customerFlow(
            from: "2026-04",
            to: "2026-06"
        )
        // April: +1 −1 (claimed back within April) +1 = 1 lost; two releases, one claim; both won back (10th, 1 May).
        #expect(flow.months.map(\.lostCustomers) == [1, 0, report.released.count])
        #expect(flow.months.map(\.released) == [2, 0, report.released.count])
        #expect(flow.months.map(\.wonBackCustomers) == [1, 1, 0])
        // Owned: April 2 created − 2 released + 1 claimed = 1; May +1 = 2; June less the sweep.
        #expect(flow.months.map(\.ownedCustomers) == [1, 2, 2 - report.released.count])
        #expect(flow.months.map(\.totalCustomers) == [2, 2, 2])
        await world.close()
    }

    @Test("malformed periods and month ranges are refused")
    func badParameters() async throws {
        let world = try CRMWorld("sales-churn")
        let churn = ChurnQueries(store: try await world.readModels([ChurnProjector.self]))
        for period in ["2026-Q0", "Q1-2026", "2026-13", "", "2026-1"] {
            #expect(throws: ReadModelQueryError.self) { try churn.lossesByStage(period: period) }
            #expect(throws: ReadModelQueryError.self) { try churn.reasons(period: period) }
            #expect(throws: ReadModelQueryError.self) { try churn.winBacks(period: period) }
        }
        let backwards = #expect(throws: ReadModelQueryError.self) {
            try churn.customerFlow(from: "2026-03", to: "2026-01")
        }
        #expect(backwards?.parameter == "to")
        let badFrom = #expect(throws: ReadModelQueryError.self) {
            try churn.customerFlow(from: "2026-1", to: "2026-03")
        }
        #expect(badFrom?.parameter == "from")
        let badTo = #expect(throws: ReadModelQueryError.self) { try churn.customerFlow(from: "2026-01", to: "2026-Q1") }
        #expect(badTo?.parameter == "to")
        // 2000-01 to 2030-12 is 372 months, more than the 240 allowed.
        #expect(throws: ReadModelQueryError.self) { try churn.customerFlow(from: "2000-01", to: "2030-12") }
        #expect(try churn.customerFlow(from: "2011-01", to: "2030-12").months.count == 240)
        #expect(try churn.lossesByStage(period: "2026").lost == 0)
        await world.close()
    }
}
