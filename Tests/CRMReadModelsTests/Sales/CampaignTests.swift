import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import Foundation
import Projections
import Testing

@Suite("Campaign effect read model")
struct CampaignTests {
    @Test(
        "responses, leads, conversions, revenue of converted customers, cost per response and conversion, return on budget"
    )
    func effect() async throws {
        let world = try CRMWorld("sales-campaigns")
        world.salesClockToNextYear()
        let crm = world.crm
        let team = try await world.team("East")
        let rep = try await world.user("alice", team: team)
        let manager = try await world.user("erin", role: .manager, team: team)
        let finance = try await world.user("fay", role: .finance)
        let big = try await crm.addProduct(
            NewProduct(sku: "big", name: "Big", price: salesCNY(30_000), cost: salesCNY(1)),
            actor: "admin"
        )
        let mid = try await crm.addProduct(
            NewProduct(sku: "mid", name: "Mid", price: salesCNY(20_000), cost: salesCNY(1)),
            actor: "admin"
        )
        func at(_ day: String, _ hour: Double = 10) -> Date { SalesTime.at(day, hour) }

        // The expo: 10,000 yuan (1,000,000 fen) from 2 March to 30 April.
        let expo = try await crm.launchCampaign(
            named: "Spring expo",
            targetSegment: "manufacturing, East China",
            channel: .event,
            budget: salesCNY(10_000),
            endsAt: at("2026-04-30", 18),
            actor: "admin",
            occurredAt: at("2026-03-02")
        )
        func lead(_ name: String, campaign: String) async throws -> String {
            var lead = NewLead(companyName: name)
            (lead.ownerID, lead.campaignID) = (rep, campaign)
            return try await crm.createLead(lead, actor: "admin", occurredAt: at("2026-03-05"))
        }
        func convert(_ lead: String) async throws -> String {
            try await crm.qualifyLead(lead, actor: rep, occurredAt: at("2026-03-07"))
            return try await crm.convertLead(
                lead,
                opportunity: .init(name: "deal", amount: salesCNY(1)),
                actor: rep,
                occurredAt: at("2026-03-08")
            )
            .customerID
        }
        // Three leads from the expo, one from elsewhere.
        let (lead1, lead2, lead3) = (
            try await lead("展会一号有限公司", campaign: expo), try await lead("展会二号有限公司", campaign: expo),
            try await lead("展会三号有限公司", campaign: expo)
        )
        let other = try await lead("展会外有限公司", campaign: "")
        let visitor = try await world.salesCustomer("展会老客户有限公司", owner: rep, on: "2026-03-01")
        // Four responses: two "registered" and two "attended" (one from a customer).
        try await crm.recordCampaignResponse(
            expo,
            leadID: lead1,
            response: "registered",
            actor: "admin",
            occurredAt: at("2026-03-06")
        )
        try await crm.recordCampaignResponse(
            expo,
            leadID: lead2,
            response: "registered",
            actor: "admin",
            occurredAt: at("2026-03-06")
        )
        try await crm.recordCampaignResponse(
            expo,
            customerID: visitor,
            response: "attended",
            actor: "admin",
            occurredAt: at("2026-03-10")
        )
        try await crm.recordCampaignResponse(
            expo,
            leadID: lead1,
            response: "attended",
            actor: "admin",
            occurredAt: at("2026-03-10")
        )
        // Two of the three convert; the third is disqualified. The other lead converts too.
        let (customer1, customer2) = (try await convert(lead1), try await convert(lead2))
        try await crm.disqualifyLead(lead3, reason: "student", actor: rep, occurredAt: at("2026-03-07"))
        let outsider = try await convert(other)

        // customer1: 30,000 binding at once. customer2: 20,000 at 25% off = 15,000, binding on
        // approval; another at 30% off is rejected. The outsider's 30,000 is not the expo's.
        let contract1 = try await crm.draftContract(
            for: customer1,
            lines: [.init(productID: big, quantity: 1)],
            actor: rep,
            occurredAt: at("2026-03-10")
        )
        let contract2 = try await crm.draftContract(
            for: customer2,
            lines: [.init(productID: mid, quantity: 1, discountBasisPoints: 2_500)],
            actor: rep,
            occurredAt: at("2026-03-10")
        )
        let rejected = try await crm.draftContract(
            for: customer2,
            lines: [.init(productID: mid, quantity: 1, discountBasisPoints: 3_000)],
            actor: rep,
            occurredAt: at("2026-03-10")
        )
        try await crm.approveContract(contract2, actor: manager, occurredAt: at("2026-03-12"))
        try await crm.rejectContract(rejected, comment: "no", actor: manager, occurredAt: at("2026-03-12"))
        let outsiderContract = try await crm.draftContract(
            for: outsider,
            lines: [.init(productID: big, quantity: 1)],
            actor: rep,
            occurredAt: at("2026-03-10")
        )
        // Collected: 10,000 and 15,000 paid, 2,000 refunded on contract1: 23,000.
        for (contract, amount) in [
            (contract1, salesCNY(30_000)), (contract2, salesCNY(15_000)), (outsiderContract, salesCNY(30_000)),
        ] {
            try await crm.scheduleInstalments(
                contract,
                [.init(dueAt: at("2026-04-30"), amount: amount)],
                actor: rep,
                occurredAt: at("2026-03-13")
            )
        }
        _ = try await crm.recordPayment(
            contract1,
            amount: salesCNY(10_000),
            method: .bankTransfer,
            actor: finance,
            occurredAt: at("2026-03-15")
        )
        _ = try await crm.recordPayment(
            contract2,
            amount: salesCNY(15_000),
            method: .alipay,
            actor: finance,
            occurredAt: at("2026-03-15")
        )
        _ = try await crm.recordPayment(
            outsiderContract,
            amount: salesCNY(30_000),
            method: .alipay,
            actor: finance,
            occurredAt: at("2026-03-15")
        )
        let refund = try await crm.requestRefund(
            contract1,
            amount: salesCNY(2_000),
            reason: "one unit short",
            returnGoods: false,
            actor: rep,
            occurredAt: at("2026-03-16")
        )
        try await crm.approveRefund(refund, of: contract1, actor: manager, occurredAt: at("2026-03-16"))
        try await crm.payRefund(
            refund,
            of: contract1,
            method: .bankTransfer,
            actor: finance,
            occurredAt: at("2026-03-17")
        )

        // A small email campaign: 1,000.01 yuan (100,001 fen), two responses, no leads.
        let mail = try await crm.launchCampaign(
            named: "Newsletter",
            targetSegment: "all",
            channel: .email,
            budget: CRMMoney(minorUnits: 100_001, currency: "CNY"),
            endsAt: at("2026-04-30"),
            actor: "admin",
            occurredAt: at("2026-03-20")
        )
        try await crm.recordCampaignResponse(
            mail,
            customerID: customer1,
            response: "opened",
            actor: "admin",
            occurredAt: at("2026-03-21")
        )
        try await crm.recordCampaignResponse(
            mail,
            customerID: outsider,
            response: "opened",
            actor: "admin",
            occurredAt: at("2026-03-21")
        )
        // A lead naming a campaign that was never launched.
        _ = try await lead("展会幽灵有限公司", campaign: "ghost")

        let campaigns = CampaignQueries(store: try await world.readModels([CampaignProjector.self]))
        let effect = try campaigns.campaign(id: expo, at: at("2026-03-15"))
        #expect((effect.name, effect.segment, effect.channel) == ("Spring expo", "manufacturing, East China", "event"))
        #expect((effect.budget, effect.currency) == (1_000_000, "CNY"))
        #expect((effect.launchedOn, effect.endsOn, effect.status) == ("2026-03-02", "2026-04-30", .running))
        #expect(try campaigns.campaign(id: expo, at: at("2026-05-01")).status == .ended)
        #expect(effect.responses == 4)
        #expect(
            effect.responsesByKind == [.init(response: "attended", count: 2), .init(response: "registered", count: 2)]
        )
        #expect((effect.leadResponses, effect.customerResponses) == (3, 1))
        #expect((effect.leads, effect.conversions) == (3, 2))
        #expect(effect.conversionRate == 2.0 / 3.0)
        // Revenue: 3,000,000 + 1,500,000 fen of binding contracts.
        #expect(effect.contracts == 2)
        #expect(effect.contracted == [.init(currency: "CNY", minorUnits: 4_500_000)])
        #expect(effect.revenue == 4_500_000)
        #expect(effect.collected == [.init(currency: "CNY", minorUnits: 2_300_000)])
        // 1,000,000 / 4 responses = 250,000; / 2 conversions = 500,000;
        // (4,500,000 − 1,000,000) / 1,000,000 = 3.5 = 35,000 basis points.
        #expect(effect.costPerResponse == 250_000)
        #expect(effect.costPerConversion == 500_000)
        #expect(effect.returnOnBudgetBasisPoints == 35_000)

        // 100,001 / 2 = 50,000.5, rounded half up; no conversions; nothing back: −100%.
        let newsletter = try campaigns.campaign(id: mail, at: at("2026-03-25"))
        #expect((newsletter.responses, newsletter.channel, newsletter.leads) == (2, "email", 0))
        #expect(newsletter.costPerResponse == 50_001)
        #expect(newsletter.costPerConversion == nil && newsletter.conversionRate == nil)
        #expect(newsletter.returnOnBudgetBasisPoints == -10_000)
        let ghost = try campaigns.campaign(id: "ghost")
        #expect(
            (ghost.status, ghost.leads, ghost.launchedOn, ghost.returnOnBudgetBasisPoints) == (.notLaunched, 1, "", nil)
        )

        // Latest launched first, the never-launched last.
        let all = try campaigns.campaigns(at: at("2026-03-25"))
        #expect(all.map(\.campaignID) == [mail, expo, "ghost"])
        #expect(all[1] == effect.with(status: .running))
        await world.close()
    }

    @Test("unknown and malformed campaign ids are refused")
    func badParameters() async throws {
        let world = try CRMWorld("sales-campaigns")
        let campaigns = CampaignQueries(store: try await world.readModels([CampaignProjector.self]))
        let missing = #expect(throws: ReadModelQueryError.self) { try campaigns.campaign(id: "nope") }
        #expect(missing?.code == .notFound)
        let empty = #expect(throws: ReadModelQueryError.self) { try campaigns.campaign(id: "") }
        #expect(empty?.code == .invalidParameter && empty?.parameter == "id")
        #expect(try campaigns.campaigns().isEmpty)
        await world.close()
    }
}

extension CampaignEffect {
    fileprivate func with(status: Status) -> CampaignEffect {
        var copy = self
        copy.status = status
        return copy
    }
}
