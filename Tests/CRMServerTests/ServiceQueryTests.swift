import CRMService
import Foundation
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
        let statistics = try await server.get("/v1/service/statistics?period=2026-Q2", as: "manager", staff)
        #expect(statistics.status == 200, "\(statistics.json)")
        #expect(
            (statistics.json.object("workOrders").int("opened"), statistics.json.object("workOrders").int("closed"))
                == (3, 1)
        )
        let complaints = statistics.json.object("complaints")
        #expect((complaints.int("filed"), complaints.int("resolved")) == (2, 1))
        #expect(complaints.objects("byCategory").compactMap { $0["key"] as? String } == ["billing", "delivery"])
        #expect(statistics.json.object("satisfaction").int("surveys") == 1)

        let months = try await server.get("/v1/service/months?period=2026", as: "auditor", staff)
        #expect(months.json["period"] as? String == "2026")
        #expect(
            months.json.objects("months").map {
                "\($0["month"] ?? "") \($0.object("statistics").object("workOrders")["opened"] ?? "")"
            } == ["2026-05 2", "2026-06 1"]
        )

        func reps(_ json: [String: Any], _ list: String) -> [String: Int] {
            Dictionary(
                uniqueKeysWithValues: json.objects(list).map {
                    (
                        $0["repID"] as? String ?? "",
                        $0.int("workOrders") ?? $0.object("statistics").object("workOrders").int("opened") ?? 0
                    )
                }
            )
        }
        #expect(
            reps(try await server.get("/v1/service/reps?period=2026", as: "admin", staff).json, "reps") == [
                staff["rep"]: 2, staff["west"]: 1,
            ]
        )
        #expect(
            reps(try await server.get("/v1/service/reps?period=2026", as: "manager", staff).json, "reps") == [
                staff["rep"]: 2
            ]
        )
        #expect(
            reps(try await server.get("/v1/service/reps?period=2026", as: "west", staff).json, "reps") == [
                staff["west"]: 1
            ]
        )

        let everything = try await server.get("/v1/service/open", as: "finance", staff)
        #expect((everything.json.int("workOrders"), everything.json.int("complaints")) == (2, 1))
        let mine = try await server.get("/v1/service/open", as: "rep", staff)
        #expect((mine.json.int("workOrders"), mine.json.int("complaints")) == (1, 0))
        #expect(reps(mine.json, "byRep") == [staff["rep"]: 1])

        #expect(
            try await server.get("/v1/service/statistics?period=2026", as: "rep", staff).json.errorCode == "forbidden"
        )
        #expect(try await server.get("/v1/service/months?period=2026", as: "rep", staff).status == 403)
        #expect(try await server.get("/v1/service/open", as: "subscriber", staff).status == 403)
        for path in ["statistics?period=2026-7", "months", "reps?period=x"] {
            #expect(
                try await server.get("/v1/service/\(path)", as: "admin", staff).json.errorCode
                    == "invalid_query_parameter",
                "\(path)"
            )
        }
        try await server.stop()
    }
}
