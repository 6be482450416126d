import CRMDomain
import CRMSchema
import CRMService
import Foundation
import Testing

/// Churn over HTTP: company-wide figures for those who oversee more than their own customers.
@Suite("Churn over HTTP")
struct ChurnQueryTests {
    @Test("losses by stage, reasons, win-backs and the customer flow; reps may not read them")
    func churn() async throws {
        let (server, staff) = try await RunningServer.staffed("churn") { crm, staff in
            var customer = NewCustomer(name: "Lost Deals Ltd")
            customer.ownerID = staff["rep"]
            let owned = try await crm.createCustomer(customer, actor: "setup", occurredAt: ReportTime.at("2026-04-01"))
            _ = try await crm.createCustomer(
                NewCustomer(name: "Pool Co"),
                actor: "setup",
                occurredAt: ReportTime.at("2026-04-01")
            )
            var followUp = CRMFollowUpLogged()
            (followUp.customerID, followUp.channel) = (owned, .call)
            try await crm.logFollowUp(followUp, actor: staff["rep"], occurredAt: ReportTime.at("2026-04-02"))
            var deals: [String] = []
            for (day, reason) in [("2026-04-12", "price"), ("2026-04-13", "price"), ("2026-04-14", "timing")] {
                let deal = try await crm.openOpportunity(
                    .init(name: reason, amount: yuan(100)),
                    for: owned,
                    actor: staff["rep"],
                    occurredAt: ReportTime.at("2026-04-03")
                )
                try await crm.loseOpportunity(deal, reason: reason, actor: staff["rep"], occurredAt: ReportTime.at(day))
                deals.append(deal)
            }
            try await crm.reopenOpportunity(
                deals[2],
                reason: "budget found",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-05-02")
            )
            try await crm.releaseCustomer(owned, actor: staff["rep"], occurredAt: ReportTime.at("2026-05-05"))
            try await crm.claimCustomer(owned, actor: staff["other"], occurredAt: ReportTime.at("2026-06-01"))
        }
        let losses = try await server.get("/v1/churn/losses?period=2026-04", as: "manager", staff)
        #expect(losses.status == 200, "\(losses.json)")
        #expect(losses.json.int("lost") == 3)
        #expect(
            (losses.json.object("timeToLoss").int("timed"), losses.json.object("timeToLoss").int("totalDays")) == (
                3, 10 + 11 + 12
            )
        )
        #expect(losses.json.objects("stages").compactMap { $0.int("lost") }.reduce(0, +) == 3)

        let reasons = try await server.get("/v1/churn/reasons?period=2026-Q2", as: "finance", staff)
        #expect(
            reasons.json.objects("reasons").map { "\($0["reason"] ?? "") \($0["count"] ?? "") \($0["rank"] ?? "")" }
                == ["price 2 1", "timing 1 2"]
        )

        let winBacks = try await server.get("/v1/churn/win-backs?period=2026", as: "auditor", staff)
        #expect(
            (
                winBacks.json.int("reopenedOpportunities"), winBacks.json.int("reclaimedCustomers"),
                winBacks.json.int("total")
            ) == (1, 1, 2)
        )

        let flow = try await server.get("/v1/churn/customer-flow?from=2026-04&to=2026-06", as: "admin", staff)
        let months = flow.json.objects("months")
        #expect(months.compactMap { $0["month"] as? String } == ["2026-04", "2026-05", "2026-06"])
        #expect(
            months.map {
                [$0.int("newCustomers"), $0.int("lostCustomers"), $0.int("wonBackCustomers"), $0.int("totalCustomers")]
            } == [
                [2, 0, 0, 2], [0, 1, 0, 2], [0, 0, 1, 2],
            ]
        )

        for path in [
            "losses?period=2026-04", "reasons?period=2026-04", "win-backs?period=2026-04",
            "customer-flow?from=2026-04&to=2026-06",
        ] {
            let refused = try await server.get("/v1/churn/\(path)", as: "rep", staff)
            #expect((refused.status, refused.json.errorCode) == (403, "forbidden"), "\(path)")
        }
        #expect(try await server.get("/v1/churn/losses?period=2026-04", as: "subscriber", staff).status == 403)
        for path in [
            "losses?period=2026-Q5", "reasons", "win-backs?period=26", "customer-flow?from=2026-06&to=2026-04",
            "customer-flow?from=2026-04",
        ] {
            let malformed = try await server.get("/v1/churn/\(path)", as: "admin", staff)
            #expect((malformed.status, malformed.json.errorCode) == (400, "invalid_query_parameter"), "\(path)")
        }
        try await server.stop()
    }
}
