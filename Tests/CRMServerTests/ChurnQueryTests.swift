import CRMDomain
import CRMSchema
import CRMService
import Foundation
import RapportAPI
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
        let (rep, admin) = (try server.client(as: "rep", staff), try server.client(as: "admin", staff))
        let answer = try await server.client(as: "manager", staff).churnLosses(query: .init(period: "2026-04"))
        let losses = try answer.ok.body.json
        #expect(losses.lost == 3, "\(answer)")
        #expect((losses.timeToLoss?.timed, losses.timeToLoss?.totalDays) == (3, 10 + 11 + 12))
        #expect((losses.stages ?? []).compactMap(\.lost).reduce(0, +) == 3)

        let reasons = try await server.client(as: "finance", staff).churnReasons(query: .init(period: "2026-Q2"))
        #expect(
            try (reasons.ok.body.json.reasons ?? []).map {
                "\($0.reason ?? "") \($0.count.map(String.init) ?? "") \($0.rank.map(String.init) ?? "")"
            } == ["price 2 1", "timing 1 2"]
        )

        let winBacks = try await server.client(as: "auditor", staff).churnWinBacks(query: .init(period: "2026")).ok
            .body.json
        #expect((winBacks.reopenedOpportunities, winBacks.reclaimedCustomers, winBacks.total) == (1, 1, 2))

        let flow = try await admin.customerFlow(query: .init(from: "2026-04", to: "2026-06"))
        let months = try flow.ok.body.json.months ?? []
        #expect(months.compactMap(\.month) == ["2026-04", "2026-05", "2026-06"])
        #expect(
            months.map { [$0.newCustomers, $0.lostCustomers, $0.wonBackCustomers, $0.totalCustomers] } == [
                [2, 0, 0, 2], [0, 1, 0, 2], [0, 0, 1, 2],
            ]
        )

        let refusals = [
            ("losses", try await rep.churnLosses(query: .init(period: "2026-04")).forbidden.body.json.value1.error),
            ("reasons", try await rep.churnReasons(query: .init(period: "2026-04")).forbidden.body.json.value1.error),
            (
                "win-backs",
                try await rep.churnWinBacks(query: .init(period: "2026-04")).forbidden.body.json.value1.error
            ),
            (
                "customer-flow",
                try await rep.customerFlow(query: .init(from: "2026-04", to: "2026-06")).forbidden.body.json.value1
                    .error
            ),
        ]
        for (path, refused) in refusals {
            #expect(refused.code == "forbidden", "\(path): \(refused)")
        }
        let service = try await server.client(as: "subscriber", staff).churnLosses(query: .init(period: "2026-04"))
        #expect((try? service.forbidden) != nil, "\(service)")
        let malformed = [
            ("losses?period=2026-Q5", try await admin.churnLosses(query: .init(period: "2026-Q5")).badRequest),
            ("win-backs?period=26", try await admin.churnWinBacks(query: .init(period: "26")).badRequest),
            (
                "customer-flow?from=2026-06&to=2026-04",
                try await admin.customerFlow(query: .init(from: "2026-06", to: "2026-04")).badRequest
            ),
        ]
        for (path, refused) in malformed {
            #expect(try refused.body.json.error.code == "invalid_query_parameter", "\(path): \(refused)")
        }
        // The typed client cannot leave out a parameter the spec requires (`period`, `to`).
        for path in ["reasons", "customer-flow?from=2026-04"] {
            let missing = try await server.get("/v1/churn/\(path)", as: "admin", staff)
            #expect((missing.status, missing.json.errorCode) == (400, "invalid_query_parameter"), "\(path)")
        }
        try await server.stop()
    }
}
