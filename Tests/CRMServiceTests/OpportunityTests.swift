import CRMDomain
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import SwiftProtobuf
import Testing

@Suite("Opportunities through the configured pipeline over a real log")
struct OpportunityTests {
    private func stage(_ id: String, _ order: Int32, _ probability: Int32) -> CRMPipelineStage {
        CRMPipelineStage.with {
            ($0.stageID, $0.name, $0.order, $0.winProbabilityPercent) = (id, id.capitalized, order, probability)
        }
    }

    @Test(
        "an opportunity moves through the pipeline in force, is lost with a reason, reopened where it was lost, and won"
    )
    func lifecycle() async throws {
        let world = try CRMWorld("opportunities")
        let crm = world.crm
        let rep = try await world.user("rep")
        let customer = try await world.poolCustomer("武汉光谷制造有限公司")
        let amount = CRMMoney(minorUnits: 120_000_00, currency: "CNY")
        let inPool = await #expect(throws: DomainError.self) {
            try await crm.openOpportunity(.init(name: "Line 2", amount: amount), for: customer, actor: rep)
        }
        #expect(inPool?.code == .customerInPool)
        try await crm.claimCustomer(customer, actor: rep)

        let lastWeek = world.clock.now().addingTimeInterval(-7 * 86_400)
        try await crm.configurePipeline(
            .with { $0.stages = [stage("demo", 2, 40), stage("lead-in", 1, 10), stage("contract", 3, 90)] },
            actor: "admin",
            occurredAt: lastWeek
        )
        #expect(try await crm.pipeline(at: lastWeek.addingTimeInterval(-1)) == .defaults)
        #expect(try await crm.pipeline(at: world.clock.now()).stages.map(\.stageID) == ["lead-in", "demo", "contract"])

        let id = try await crm.openOpportunity(.init(name: "Line 2", amount: amount), for: customer, actor: rep)
        let opened = try CRMOpportunityOpened(serializedBytes: try world.events(of: "opportunity-\(id)")[0].payload)
        #expect(
            (opened.stageID, opened.ownerID, opened.customerID, opened.amount) == ("lead-in", rep, customer, amount)
        )

        let proposal = await #expect(throws: DomainError.self) {
            try await crm.moveOpportunity(id, toStage: "proposal", actor: rep)
        }
        #expect(proposal?.code == .unknownStage, "the default pipeline's stages are gone")
        try await crm.moveOpportunity(id, toStage: "demo", actor: rep)
        let noReason = await #expect(throws: DomainError.self) {
            try await crm.loseOpportunity(id, reason: " ", actor: rep)
        }
        #expect(noReason?.code == .reasonRequired)
        try await crm.loseOpportunity(id, reason: "went with a competitor", actor: rep)
        let closed = await #expect(throws: DomainError.self) {
            try await crm.moveOpportunity(id, toStage: "contract", actor: rep)
        }
        #expect(closed?.code == .opportunityClosed)
        try await crm.reopenOpportunity(id, reason: "competitor failed the pilot", actor: rep)
        let reopenAgain = await #expect(throws: DomainError.self) {
            try await crm.reopenOpportunity(id, reason: "x", actor: rep)
        }
        #expect(reopenAgain?.code == .opportunityOpen)
        try await crm.winOpportunity(
            id,
            reason: "pilot succeeded",
            amount: CRMMoney(minorUnits: 150_000_00, currency: "CNY"),
            actor: rep
        )

        let events = try world.events(of: "opportunity-\(id)")
        #expect(
            events.map(\.type) == [
                "crm.v1.OpportunityOpened", "crm.v1.OpportunityStageChanged", "crm.v1.OpportunityLost",
                "crm.v1.OpportunityReopened", "crm.v1.OpportunityWon",
            ]
        )
        #expect(try CRMOpportunityLost(serializedBytes: events[2].payload).stageID == "demo")
        #expect(try CRMOpportunityReopened(serializedBytes: events[3].payload).stageID == "demo")
        #expect(try CRMOpportunityWon(serializedBytes: events[4].payload).amount.minorUnits == 150_000_00)
        await world.close()
    }

    @Test("a malformed pipeline is refused and the one in force stays")
    func invalidPipeline() async throws {
        let world = try CRMWorld("opportunities")
        for stages in [
            [], [stage("a", 1, 10), stage("a", 2, 20)], [stage("a", 1, 10), stage("b", 1, 20)], [stage("a", 1, 120)],
        ] {
            let error = await #expect(throws: DomainError.self) {
                try await world.crm.configurePipeline(.with { $0.stages = stages }, actor: "admin")
            }
            #expect(error?.code == .invalidPipeline)
        }
        #expect(try world.log.head().position == 0)
        #expect(try await world.crm.pipeline(at: world.clock.now()) == .defaults)
        await world.close()
    }

    @Test("opening refuses a missing customer, a bad amount and an unknown stage, appending nothing")
    func openRefusals() async throws {
        let world = try CRMWorld("opportunities")
        let rep = try await world.user("rep")
        let customer = try await world.poolCustomer("长沙岳麓科技有限公司")
        try await world.crm.claimCustomer(customer, actor: rep)
        let head = try world.log.head().position
        var unknownStage = OpportunityDecisions.NewOpportunity(
            name: "x",
            amount: CRMMoney(minorUnits: 1, currency: "CNY")
        )
        unknownStage.stageID = "nowhere"
        let cases: [(OpportunityDecisions.NewOpportunity, String, DomainError.Code)] = [
            (.init(name: "x", amount: CRMMoney(minorUnits: 1, currency: "CNY")), "nobody", .customerNotFound),
            (.init(name: "x", amount: CRMMoney(minorUnits: -1, currency: "CNY")), customer, .invalidValue),
            (.init(name: "x", amount: CRMMoney(minorUnits: 1, currency: "yuan")), customer, .invalidValue),
            (.init(name: " ", amount: CRMMoney(minorUnits: 1, currency: "CNY")), customer, .fieldRequired),
            (unknownStage, customer, .unknownStage),
        ]
        for (opportunity, customerID, code) in cases {
            let error = await #expect(throws: DomainError.self) {
                try await world.crm.openOpportunity(opportunity, for: customerID, actor: rep)
            }
            #expect(error?.code == code)
        }
        let missing = await #expect(throws: DomainError.self) {
            try await world.crm.winOpportunity("nobody", reason: "x", actor: rep)
        }
        #expect(missing?.code == .opportunityNotFound)
        #expect(try world.log.head().position == head)
        await world.close()
    }
}
