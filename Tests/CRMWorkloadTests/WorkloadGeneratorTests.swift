import CRMSchema
import CRMWorkload
import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("The workload generator")
struct WorkloadGeneratorTests {
    /// A small history: 300 customers over 120 days.
    static var small: WorkloadOptions {
        var options = WorkloadOptions()
        (options.customers, options.reps, options.teams, options.days) = (300, 8, 2, 120)
        return options
    }

    private func generate(_ options: WorkloadOptions, into name: String) async throws -> (LMDBEventLog, WorkloadSummary)
    {
        let log = try openTestLog(TemporaryDirectory("workload-\(name)"))
        let summary = try await WorkloadGenerator(options: options, log: log).run()
        return (log, summary)
    }

    @Test("one seed gives one history: the same events, streams, types, business times and ids")
    func deterministic() async throws {
        let (first, summary) = try await generate(Self.small, into: "first")
        let (second, _) = try await generate(Self.small, into: "second")
        let a = try first.readAll(from: 1)
        let b = try second.readAll(from: 1)
        #expect(a.count == summary.events)
        #expect(a.count > 3_000)
        #expect(a.map(\.id) == b.map(\.id))
        #expect(a.map(\.stream) == b.map(\.stream))
        #expect(a.map(\.payload) == b.map(\.payload))
        #expect(a.map(\.occurredAt) == b.map(\.occurredAt))
        var other = Self.small
        other.seed += 1
        let (third, _) = try await generate(other, into: "third")
        #expect(try third.readAll(from: 1).map(\.payload) != a.map(\.payload))
        for log in [first, second, third] { await log.close() }
    }

    @Test("the history is a valid log of catalogued crm.v1 events in business-time order, covering every area")
    func wellFormed() async throws {
        let (log, summary) = try await generate(Self.small, into: "log")
        #expect(try log.verify().problem == nil)
        let events = try log.readAll(from: 1)
        let types = Set(events.map(\.type))
        for recorded in events {
            _ = try EventCatalogue.crm.decode(
                typeName: recorded.type,
                schemaVersion: recorded.schemaVersion,
                payload: recorded.payload
            )
        }
        let occurred = events.map(\.occurredAt)
        #expect(zip(occurred, occurred.dropFirst()).allSatisfy { $0 <= $1 }, "decided in business-time order")
        let start = Self.small.start
        #expect(occurred.first!.date >= start)
        #expect(occurred.last!.date < start.addingTimeInterval(Double(Self.small.days) * 86_400))
        for type in [
            "TeamCreated", "UserAdded", "PoolRulesConfigured", "PipelineConfigured", "LeadCreated", "LeadConverted",
            "CustomerCreated",
            "CustomerOwnershipChanged", "FollowUpLogged", "OpportunityStageChanged", "QuoteCreated", "ContractDrafted",
            "InstalmentsScheduled",
            "PaymentReceived", "CommissionEarned", "InvoiceRequested", "CampaignLaunched", "SalesTargetSet",
            "ExpenseRecorded",
        ] {
            #expect(types.contains("crm.v1.\(type)"), "\(type)")
        }
        #expect(summary.customers > 200 && summary.leads > 100)
        await log.close()
    }
}
