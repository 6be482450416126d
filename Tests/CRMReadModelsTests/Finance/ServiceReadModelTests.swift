import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import Testing

@Suite("Service: work orders, complaints and satisfaction per month and rep")
struct ServiceReadModelTests {
    typealias F = FinanceFixtures

    struct History {
        let world: CRMWorld
        let r1: String, r2: String
    }

    /// Customers A (r1 until released on 04-05, r2 from 04-06), B (r2) and C (in the pool).
    ///
    /// - W1 A opened 03-02 10:00, closed 03-03 12:30: 26 h 30 min = 1,590 minutes (r1).
    /// - W2 B opened 03-30 09:00, closed 04-02 09:45: 3 days 45 min = 4,365 minutes (r2).
    /// - W3 A opened 04-10 (now r2's), W4 C opened 04-11 (the pool): both still open.
    /// - C1 A "delivery" filed 03-05 10:00, resolved 03-06 10:00 ("carrier late"): 1,440 min (r1).
    /// - C2 B "quality" filed 03-10 10:00, resolved 04-01 10:00 ("defective batch"): 22 days =
    ///   31,680 min (r2). C3 B "delivery" filed 04-02, open (r2).
    /// - Surveys: A 5 on 03-04 and 4 on 03-20 (r1), B 2 on 03-21 (r2), A 3 on 04-07 (r2).
    static func history() async throws -> History {
        let world = try CRMWorld.finance("service")
        let crm = world.crm
        let r1 = try await world.user("r1")
        let r2 = try await world.user("r2")
        let engineer = try await world.user("engineer")
        let a = try await world.ownedCustomer("A 公司", owner: r1)
        let b = try await world.ownedCustomer("B 公司", owner: r2)
        var pooled = NewCustomer(name: "C 公司")
        pooled.region = "华东"
        let c = try await crm.createCustomer(pooled, actor: "admin", occurredAt: F.at("2026-01-05"))

        func workOrder(_ customer: String, opened: Date, closed: Date?) async throws {
            let id = try await crm.openWorkOrder(
                for: customer,
                title: "Pump vibrates",
                actor: "support",
                occurredAt: opened
            )
            try await crm.assignWorkOrder(id, to: engineer, actor: "support", occurredAt: opened.addingTimeInterval(60))
            guard let closed else { return }
            try await crm.resolveWorkOrder(
                id,
                resolution: "part replaced",
                actor: engineer,
                occurredAt: closed.addingTimeInterval(-60)
            )
            try await crm.closeWorkOrder(id, actor: "support", occurredAt: closed)
        }
        func complaint(_ customer: String, _ category: String, filed: Date, resolved: (Date, String)?) async throws {
            let id = try await crm.fileComplaint(for: customer, category: category, actor: "support", occurredAt: filed)
            guard let (time, cause) = resolved else { return }
            try await crm.resolveComplaint(
                id,
                rootCause: cause,
                resolution: "apologised",
                actor: "support",
                occurredAt: time
            )
        }
        try await workOrder(a, opened: F.at("2026-03-02", 10), closed: F.at("2026-03-03", 12, 30))
        try await workOrder(b, opened: F.at("2026-03-30", 9), closed: F.at("2026-04-02", 9, 45))
        try await complaint(a, "delivery", filed: F.at("2026-03-05"), resolved: (F.at("2026-03-06"), "carrier late"))
        try await complaint(b, "quality", filed: F.at("2026-03-10"), resolved: (F.at("2026-04-01"), "defective batch"))
        try await complaint(b, "delivery", filed: F.at("2026-04-02"), resolved: nil)
        _ = try await crm.recordSurvey(for: a, score: 5, actor: "support", occurredAt: F.at("2026-03-04"))
        _ = try await crm.recordSurvey(for: a, score: 4, actor: "support", occurredAt: F.at("2026-03-20"))
        _ = try await crm.recordSurvey(for: b, score: 2, actor: "support", occurredAt: F.at("2026-03-21"))
        try await crm.releaseCustomer(a, actor: r1, occurredAt: F.at("2026-04-05"))
        try await crm.claimCustomer(a, actor: r2, occurredAt: F.at("2026-04-06"))
        _ = try await crm.recordSurvey(for: a, score: 3, actor: "support", occurredAt: F.at("2026-04-07"))
        try await workOrder(a, opened: F.at("2026-04-10"), closed: nil)
        try await workOrder(c, opened: F.at("2026-04-11"), closed: nil)
        return History(world: world, r1: r1, r2: r2)
    }

    /// Opened, closed and mean minutes to close.
    private func wo(_ statistics: WorkOrderStatistics) -> [Int64?] {
        [Int64(statistics.opened), Int64(statistics.closed), statistics.meanMinutesToClose]
    }

    /// `key=count`, in the order given.
    private func counts(_ list: [KeyedCount]) -> [String] {
        list.map { "\($0.key)=\($0.count)" }
    }

    struct SatisfactionSummary: Equatable {
        var surveys: Int, scores: [Int], average: Int?
        init(surveys: Int, scores: [Int], average: Int?) {
            (self.surveys, self.scores, self.average) = (surveys, scores, average)
        }
        init(_ statistics: SatisfactionStatistics) {
            self.init(surveys: statistics.surveys, scores: statistics.scores, average: statistics.averageHundredths)
        }
    }

    @Test("Month and year figures: counts, mean minutes, categories, root causes, score distribution")
    func periods() async throws {
        let h = try await Self.history()
        let service = ServiceQueries(store: try await h.world.readModels([ServiceProjector.self]))

        // March: W1 and W2 opened, W1 closed in 1,590 min; C1 and C2 filed, C1 resolved in 1,440;
        // scores 5, 4, 2: mean 11/3 = 3.666… → 367 hundredths.
        let march = try service.statistics(period: "2026-03")
        #expect(wo(march.workOrders) == [2, 1, 1_590])
        #expect(
            (march.complaints.filed, march.complaints.resolved, march.complaints.meanMinutesToResolve) == (2, 1, 1_440)
        )
        #expect(counts(march.complaints.byCategory) == ["delivery=1", "quality=1"])
        #expect(counts(march.complaints.byRootCause) == ["carrier late=1"])
        #expect(
            SatisfactionSummary(march.satisfaction)
                == SatisfactionSummary(surveys: 3, scores: [0, 1, 0, 1, 1], average: 367)
        )
        #expect(try service.statistics(period: "2026-Q1") == march, "January and February had nothing")

        // April: W3 and W4 opened, W2 closed in 4,365 min (counted in April, when it closed).
        let april = try service.statistics(period: "2026-04")
        #expect(wo(april.workOrders) == [2, 1, 4_365])
        #expect(
            (april.complaints.filed, april.complaints.resolved, april.complaints.meanMinutesToResolve) == (1, 1, 31_680)
        )

        // The year: mean close (1,590 + 4,365) / 2 = 2,977.5 → 2,977; resolve (1,440 + 31,680) / 2
        // = 16,560; delivery 2 ranks before quality 1; scores 5, 4, 2, 3 → 350.
        let year = try service.statistics(period: "2026")
        #expect(wo(year.workOrders) == [4, 2, 2_977])
        #expect(year.complaints.meanMinutesToResolve == 16_560)
        #expect(counts(year.complaints.byCategory) == ["delivery=2", "quality=1"])
        #expect(year.complaints.byRootCause.map(\.key) == ["carrier late", "defective batch"])
        #expect(
            SatisfactionSummary(year.satisfaction)
                == SatisfactionSummary(surveys: 4, scores: [0, 1, 1, 1, 1], average: 350)
        )
        #expect(try service.months(period: "2026").map(\.month) == ["2026-03", "2026-04"])
        #expect(try service.months(period: "2026").map(\.statistics.workOrders.opened) == [2, 2])

        let empty = try service.statistics(period: "2025")
        #expect(empty.workOrders.meanMinutesToClose == nil && empty.satisfaction.averageHundredths == nil)
        await h.world.close()
    }

    @Test("Per rep: the customer's owner at the time; open now per rep")
    func reps() async throws {
        let h = try await Self.history()
        let service = ServiceQueries(store: try await h.world.readModels([ServiceProjector.self]))
        let reps = Dictionary(uniqueKeysWithValues: try service.reps(period: "2026").map { ($0.repID, $0.statistics) })
        #expect(Set(reps.keys) == [h.r1, h.r2, ""])
        // r1: W1, C1, surveys 5 and 4 (4.50). A's April survey and W3 are r2's after the claim.
        #expect(reps[h.r1].map { wo($0.workOrders) } == [1, 1, 1_590])
        #expect(reps[h.r1]?.satisfaction.averageHundredths == 450)
        #expect(reps[h.r1]?.complaints.filed == 1)
        // r2: W2 and W3 opened, W2 closed; C2 and C3 filed, C2 resolved; surveys 2 and 3 (2.50).
        #expect(reps[h.r2].map { wo($0.workOrders) } == [2, 1, 4_365])
        #expect(reps[h.r2].map { [$0.complaints.filed, $0.complaints.resolved] } == [2, 1])
        #expect(reps[h.r2]?.satisfaction.averageHundredths == 250)
        // The pool: W4.
        #expect(reps[""]?.workOrders.opened == 1)

        let open = try service.openNow()
        #expect((open.workOrders, open.complaints) == (2, 1))
        #expect(open.byRep.map(\.repID) == ["", h.r2])
        #expect(open.byRep.map(\.workOrders) == [1, 1] && open.byRep.map(\.complaints) == [0, 1])
        await h.world.close()
    }

    @Test("Malformed periods are refused", arguments: ["2026-Q5", "March", "2026-3"])
    func refusals(_ period: String) async throws {
        let world = try CRMWorld.finance("service-refusals")
        let service = ServiceQueries(store: try await world.readModels([ServiceProjector.self]))
        for call in [
            { _ = try service.statistics(period: period) }, { _ = try service.months(period: period) },
            { _ = try service.reps(period: period) },
        ]
            as [() throws -> Void]
        {
            let error = #expect(throws: ReadModelQueryError.self) { try call() }
            #expect(error?.code == .invalidParameter && error?.parameter == "period")
        }
        await world.close()
    }
}
