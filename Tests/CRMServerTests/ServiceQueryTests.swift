import CRMService
import Foundation
import RapportAPI
import Testing

/// Work orders, complaints and satisfaction over HTTP.
@Suite("Service over HTTP")
struct ServiceQueryTests {
    @Test("the company's figures for overseers; per rep and open now cut to the caller's reps")
    func service() async throws {
        let (server, staff) = try await RunningServer.staffed("service") { crm, staff in
            for (key, owner) in [("c1", "rep"), ("c2", "west")] {
                var customer = NewCustomer(name: "Customer \(key)")
                customer.ownerID = staff[owner]
                staff.ids[key] = try await crm.createCustomer(
                    customer,
                    actor: "setup",
                    occurredAt: ReportTime.at("2026-05-01")
                )
            }
            let fixed = try await crm.openWorkOrder(
                for: staff["c1"],
                title: "Printer",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-05-02")
            )
            try await crm.assignWorkOrder(
                fixed,
                to: staff["rep"],
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-05-02", 11)
            )
            try await crm.resolveWorkOrder(
                fixed,
                resolution: "new toner",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-05-03")
            )
            try await crm.closeWorkOrder(fixed, actor: staff["rep"], occurredAt: ReportTime.at("2026-05-04"))
            _ = try await crm.openWorkOrder(
                for: staff["c2"],
                title: "Router",
                actor: staff["west"],
                occurredAt: ReportTime.at("2026-05-03")
            )
            _ = try await crm.openWorkOrder(
                for: staff["c1"],
                title: "Scanner",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-06-01")
            )
            let late = try await crm.fileComplaint(
                for: staff["c1"],
                category: "delivery",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-05-05")
            )
            try await crm.resolveComplaint(
                late,
                rootCause: "carrier",
                resolution: "refunded shipping",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-05-06")
            )
            _ = try await crm.fileComplaint(
                for: staff["c2"],
                category: "billing",
                actor: staff["west"],
                occurredAt: ReportTime.at("2026-06-02")
            )
            _ = try await crm.recordSurvey(
                for: staff["c1"],
                score: 5,
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-05-07")
            )
        }
        let (manager, rep, admin) = (
            try server.client(as: "manager", staff), try server.client(as: "rep", staff),
            try server.client(as: "admin", staff)
        )
        let statistics = try await manager.serviceStatistics(query: .init(period: "2026-Q2")).ok.body.json
        #expect((statistics.workOrders?.opened, statistics.workOrders?.closed) == (3, 1), "\(statistics)")
        let complaints = statistics.complaints
        #expect((complaints?.filed, complaints?.resolved) == (2, 1))
        #expect(complaints?.byCategory?.compactMap(\.key) == ["billing", "delivery"])
        #expect(statistics.satisfaction?.surveys == 1)

        let months = try await server.client(as: "auditor", staff).serviceMonths(query: .init(period: "2026"))
            .ok.body.json
        #expect(months.period == "2026")
        #expect(
            months.months?.map { "\($0.month ?? "") \($0.statistics?.workOrders?.opened ?? -1)" } == [
                "2026-05 2", "2026-06 1",
            ]
        )

        func perRep(_ counts: [(repID: String?, count: Int?)]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: counts.map { ($0.repID ?? "", $0.count ?? 0) })
        }
        func openedPerRep(as who: String) async throws -> [String: Int] {
            let reps = try await server.client(as: who, staff).serviceReps(query: .init(period: "2026")).ok.body.json
            return perRep(reps.reps?.map { ($0.repID, $0.statistics?.workOrders?.opened) } ?? [])
        }
        #expect(try await openedPerRep(as: "admin") == [staff["rep"]: 2, staff["west"]: 1])
        #expect(try await openedPerRep(as: "manager") == [staff["rep"]: 2])
        #expect(try await openedPerRep(as: "west") == [staff["west"]: 1])

        let everything = try await server.client(as: "finance", staff).serviceOpen().ok.body.json
        #expect((everything.workOrders, everything.complaints) == (2, 1))
        let mine = try await rep.serviceOpen().ok.body.json
        #expect((mine.workOrders, mine.complaints) == (1, 0))
        #expect(perRep(mine.byRep?.map { ($0.repID, $0.workOrders) } ?? []) == [staff["rep"]: 1])

        let repStatistics = try await rep.serviceStatistics(query: .init(period: "2026"))
        #expect(try repStatistics.forbidden.body.json.value1.error.code == "forbidden", "\(repStatistics)")
        let repMonths = try await rep.serviceMonths(query: .init(period: "2026"))
        #expect((try? repMonths.forbidden) != nil, "\(repMonths)")
        let subscriberOpen = try await server.client(as: "subscriber", staff).serviceOpen()
        #expect((try? subscriberOpen.forbidden) != nil, "\(subscriberOpen)")
        let shortMonth = try await admin.serviceStatistics(query: .init(period: "2026-7"))
        #expect(try shortMonth.badRequest.body.json.error.code == "invalid_query_parameter", "\(shortMonth)")
        let notAPeriod = try await admin.serviceReps(query: .init(period: "x"))
        #expect(try notAPeriod.badRequest.body.json.error.code == "invalid_query_parameter", "\(notAPeriod)")
        // Hand-built: `period` is required in the spec, so the typed client cannot leave it out.
        #expect(
            try await server.get("/v1/service/months", as: "admin", staff).json.errorCode == "invalid_query_parameter"
        )
        try await server.stop()
    }
}
