import CRMReadModels
import CRMSchema
import CRMTestSupport
import EventStore
import Foundation
import Projections
import SwiftProtobuf
import Testing

/// The log may hold amounts no command accepts today (written before the bound, or by an
/// import): folding them must not trap, or `rapport serve` dies on every restart.
@Suite("Finance: amounts from the log beyond the bound")
struct FinanceOverflowTests {
    typealias F = FinanceFixtures

    /// Appends `message` to `stream` as it is, bypassing the domain's checks.
    static func appendRaw(
        _ message: any SwiftProtobuf.Message,
        to stream: String,
        in world: CRMWorld,
        at date: Date
    )
        async throws
    {
        let encoded = try EventCatalogue.crm.encode(message)
        let data = EventData(
            type: encoded.typeName,
            schemaVersion: encoded.schemaVersion,
            payload: encoded.payload,
            metadata: EventMetadata(actor: "import", occurredAt: Timestamp(date))
        )
        _ = try await world.log.append(to: try StreamName(stream), [data])
    }

    @Test("Two expenses of Int64.max in one cell saturate instead of trapping the projector")
    func expensesSaturate() async throws {
        let world = try CRMWorld.finance("finance-overflow")
        for id in ["e1", "e2"] {
            var expense = CRMExpenseRecorded()
            (expense.expenseID, expense.category, expense.item, expense.clerkID) = (id, "travel", "flights", "clerk")
            expense.amount = F.fen(.max)
            try await Self.appendRaw(expense, to: "expense-\(id)", in: world, at: F.at("2026-03-05"))
        }
        let store = try await world.readModels([FinanceProjector.self])
        let report = try FinanceQueries(store: store).expenses(period: "2026-03")
        #expect(report.totals.map(\.amount) == [.max])
        #expect(report.totals.map(\.count) == [2])
        #expect(report.byItem.map(\.amount) == [.max])
    }

    @Test(
        "Contracts beyond the bound never enter aging's per-day sums: taking one back out of a saturated sum could not undo it"
    )
    func agingBeyondTheBound() async throws {
        let world = try CRMWorld.finance("aging-overflow")
        for id in ["a", "b"] {
            var drafted = CRMContractDrafted()
            (drafted.contractID, drafted.customerID, drafted.ownerID) = (id, "customer-\(id)", "rep")
            drafted.amount = F.fen(5_000_000_000_000_000_000)
            try await Self.appendRaw(drafted, to: "contract-\(id)", in: world, at: F.at("2026-03-02"))
        }
        var scheduled = CRMInstalmentsScheduled()
        scheduled.contractID = "a"
        var instalment = CRMInstalment()
        (instalment.number, instalment.amount) = (1, F.fen(5_000_000_000_000_000_000))
        instalment.dueAt = Google_Protobuf_Timestamp(date: F.at("2026-06-01"))
        scheduled.instalments = [instalment]
        try await Self.appendRaw(scheduled, to: "contract-a", in: world, at: F.at("2026-03-03"))

        let store = try await world.readModels([ReceivablesProjector.self])
        let figures = try #require(
            try ReceivablesQueries(store: store).aging(asOf: "2026-03-03").currencies.first?.figures
        )
        #expect(figures.unscheduled == 5_000_000_000_000_000_000, "b's amount, none of a's")
        #expect(figures.outstanding == 5_000_000_000_000_000_000, "a's instalment")
        #expect(figures.contracts == 2)
    }
}
