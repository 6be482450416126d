import CRMDomain
import CRMSchema
import CRMService
import Foundation
import Testing

/// Funnel, activity, sales and targets over HTTP, cut to the caller's reps and team.
@Suite("Sales reports over HTTP")
struct SalesQueryTests {
    /// March 2026: `rep` (East) calls and visits their customer, opens two opportunities,
    /// wins one and loses the other, and signs 2,000 yuan against a 4,000 target; `other`
    /// (East) signs 1,000 and `west` (West) 3,000; East's target is 10,000.
    static func marchServer(_ name: String) async throws -> (RunningServer, Staff) {
        try await RunningServer.staffed(name) { crm, staff in
            let seat = try await crm.addProduct(
                NewProduct(sku: "seat", name: "Seat", price: yuan(1_000), cost: yuan(400)),
                actor: "setup",
                occurredAt: ReportTime.at("2026-01-02")
            )
            for (key, owner, seats) in [("c1", "rep", 2), ("c2", "other", 1), ("c3", "west", 3)] {
                var customer = NewCustomer(name: "Customer \(key)")
                customer.ownerID = staff[owner]
                staff.ids[key] = try await crm.createCustomer(
                    customer,
                    actor: "setup",
                    occurredAt: ReportTime.at("2026-03-02", 9)
                )
                _ = try await crm.draftContract(
                    for: staff[key],
                    lines: [.init(productID: seat, quantity: Int32(seats))],
                    actor: staff[owner],
                    occurredAt: ReportTime.at("2026-03-10")
                )
            }
            for channel in [CRMFollowUpChannel.call, .visit] {
                var followUp = CRMFollowUpLogged()
                (followUp.customerID, followUp.channel) = (staff["c1"], channel)
                try await crm.logFollowUp(followUp, actor: staff["rep"], occurredAt: ReportTime.at("2026-03-03", 11))
            }
            let won = try await crm.openOpportunity(
                .init(name: "Won", amount: yuan(2_000)),
                for: staff["c1"],
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-03-04")
            )
            let lost = try await crm.openOpportunity(
                .init(name: "Lost", amount: yuan(500)),
                for: staff["c1"],
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-03-04")
            )
            _ = try await crm.openOpportunity(
                .init(name: "Open", amount: yuan(900)),
                for: staff["c2"],
                actor: staff["other"],
                occurredAt: ReportTime.at("2026-03-05")
            )
            try await crm.winOpportunity(
                won,
                reason: "signed",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-03-10")
            )
            try await crm.loseOpportunity(
                lost,
                reason: "price",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-03-11")
            )
            try await crm.setSalesTarget(
                repID: staff["rep"],
                period: "2026-03",
                amount: yuan(4_000),
                actor: staff["admin"]
            )
            try await crm.setSalesTarget(
                teamID: staff["east"],
                period: "2026-03",
                amount: yuan(10_000),
                actor: staff["admin"]
            )
        }
    }

    @Test("the funnel: a rep's own, a manager's named rep, everyone's for admins; another rep's is refused")
    func funnel() async throws {
        let (server, staff) = try await Self.marchServer("sales-funnel")
        let mine = try await server.get("/v1/funnel?period=2026-03", as: "rep", staff)
        #expect(mine.status == 200, "\(mine.json)")
        #expect(mine.json["rep"] as? String == staff["rep"])
        #expect((mine.json.int("opened"), mine.json.int("won"), mine.json.int("lost")) == (2, 1, 1))
        #expect(mine.json["winRate"] as? Double == 0.5)
        let everyone = try await server.get("/v1/funnel?period=2026-Q1", as: "admin", staff)
        #expect(everyone.json.int("opened") == 3)
        #expect(everyone.json["rep"] == nil)
        let team = try await server.get("/v1/funnel?period=2026&rep=\(staff["other"])", as: "manager", staff)
        #expect(team.json.int("opened") == 1)

        let refused = try await server.get("/v1/funnel?period=2026-03&rep=\(staff["other"])", as: "rep", staff)
        #expect((refused.status, refused.json.errorCode) == (403, "outside_scope"))
        #expect(
            try await server.get("/v1/funnel?period=2026-03&rep=\(staff["west"])", as: "manager", staff).status == 403
        )
        #expect(
            try await server.get("/v1/funnel?period=2026-03", as: "manager", staff).status == 400,
            "a manager names a rep"
        )
        #expect(try await server.get("/v1/funnel?period=2026-03", as: "subscriber", staff).status == 403)
        let malformed = try await server.get("/v1/funnel?period=2026-13", as: "admin", staff)
        #expect((malformed.status, malformed.json.errorCode) == (400, "invalid_query_parameter"))
        #expect(malformed.json.object("error").object("facts")["parameter"] as? String == "period")
        #expect(try await server.get("/v1/funnel", as: "admin", staff).status == 400)
        try await server.stop()
    }

    @Test("activity: a rep's month and day, a manager's team; other reps and teams are refused")
    func activity() async throws {
        let (server, staff) = try await Self.marchServer("sales-activity")
        let month = try await server.get("/v1/activity?month=2026-03", as: "rep", staff)
        #expect(month.status == 200, "\(month.json)")
        let totals = month.json.object("totals")
        #expect(
            (totals.int("calls"), totals.int("visits"), totals.int("followUps"), totals.int("opportunitiesOpened")) == (
                1, 1, 2, 2
            )
        )
        let days = month.json.objects("days")
        #expect(days.first { $0["day"] as? String == "2026-03-03" }?.object("counts").int("followUps") == 2)
        let day = try await server.get("/v1/activity?day=2026-03-03&rep=\(staff["rep"])", as: "manager", staff)
        #expect(day.json.object("totals").int("followUps") == 2)
        let week = try await server.get("/v1/activity?week=2026-W10", as: "rep", staff)
        #expect(week.json.object("totals").int("followUps") == 2, "2026-03-03 is in ISO week 10")

        let team = try await server.get("/v1/activity/team?month=2026-03", as: "manager", staff)
        #expect(team.status == 200, "\(team.json)")
        #expect(team.json["team"] as? String == staff["east"])
        #expect(
            Set(team.json.objects("reps").compactMap { $0["rep"] as? String }).isSuperset(of: [
                staff["rep"], staff["other"],
            ])
        )
        #expect(!team.json.objects("reps").contains { $0["rep"] as? String == staff["west"] })
        #expect(team.json.object("totals").int("followUps") == 2)
        let everyone = try await server.get("/v1/activity/team?month=2026-03", as: "admin", staff)
        #expect(everyone.json.objects("reps").contains { $0["rep"] as? String == staff["west"] })

        #expect(
            try await server.get("/v1/activity?month=2026-03&rep=\(staff["other"])", as: "rep", staff).json.errorCode
                == "outside_scope"
        )
        #expect(
            try await server.get("/v1/activity/team?month=2026-03&team=\(staff["westTeam"])", as: "manager", staff)
                .status == 403
        )
        #expect(try await server.get("/v1/activity/team?month=2026-03", as: "rep", staff).json.errorCode == "forbidden")
        #expect(try await server.get("/v1/activity?day=2026-02-30", as: "rep", staff).status == 400)
        #expect(try await server.get("/v1/activity?day=2026-03-03&month=2026-03", as: "rep", staff).status == 400)
        #expect(try await server.get("/v1/activity/team?week=2026-W99", as: "admin", staff).status == 400)
        try await server.stop()
    }

    @Test("sales by rep are cut to the caller's reps; region and product are the company's")
    func sales() async throws {
        let (server, staff) = try await Self.marchServer("sales-breakdown")
        func signed(_ json: [String: Any]) -> [String: Int] {
            Dictionary(
                uniqueKeysWithValues: json.objects("rows").map { ($0["key"] as? String ?? "", $0.int("signed") ?? 0) }
            )
        }
        let all = try await server.get("/v1/sales?period=2026-03", as: "finance", staff)
        #expect(all.status == 200, "\(all.json)")
        #expect(signed(all.json) == [staff["rep"]: 200_000, staff["other"]: 100_000, staff["west"]: 300_000])
        #expect(all.json.objects("totals").first?.int("signed") == 600_000)
        let mine = try await server.get("/v1/sales?period=2026-03&by=rep", as: "rep", staff)
        #expect(signed(mine.json) == [staff["rep"]: 200_000])
        #expect(mine.json.objects("totals").first?.int("signed") == 200_000, "totals of what the rep may see")
        let team = try await server.get("/v1/sales?period=2026-Q1", as: "manager", staff)
        #expect(signed(team.json) == [staff["rep"]: 200_000, staff["other"]: 100_000])
        let teams = try await server.get("/v1/sales?period=2026&by=team", as: "manager", staff)
        #expect(signed(teams.json) == [staff["east"]: 300_000])
        #expect(
            signed(try await server.get("/v1/sales?period=2026&by=product", as: "auditor", staff).json).values.reduce(
                0,
                +
            ) == 600_000
        )

        let region = try await server.get("/v1/sales?period=2026-03&by=region", as: "manager", staff)
        #expect((region.status, region.json.errorCode) == (403, "outside_scope"))
        #expect(try await server.get("/v1/sales?period=2026-03&by=team", as: "rep", staff).status == 403)
        let dimension = try await server.get("/v1/sales?period=2026-03&by=colour", as: "admin", staff)
        #expect(
            (dimension.status, dimension.json.object("error").object("facts")["parameter"] as? String) == (400, "by")
        )
        try await server.stop()
    }

    @Test("targets: a rep sees their own attainment, a manager their team's")
    func targets() async throws {
        let (server, staff) = try await Self.marchServer("sales-targets")
        let mine = try await server.get("/v1/sales/targets?period=2026-03", as: "rep", staff)
        #expect(mine.status == 200, "\(mine.json)")
        let row = try #require(mine.json.objects("reps").first)
        #expect(mine.json.objects("reps").count == 1)
        #expect(
            (row["holderID"] as? String, row.int("target"), row.int("achieved"), row.int("attainmentBasisPoints")) == (
                staff["rep"], 400_000, 200_000, 5_000
            )
        )
        #expect(mine.json.objects("teams").isEmpty)
        let team = try await server.get("/v1/sales/targets?period=2026-03", as: "manager", staff)
        #expect(
            Set(team.json.objects("reps").compactMap { $0["holderID"] as? String }) == [staff["rep"], staff["other"]]
        )
        let east = try #require(team.json.objects("teams").first)
        #expect(
            (east["holderID"] as? String, east.int("achieved"), east.int("attainmentBasisPoints")) == (
                staff["east"], 300_000, 3_000
            )
        )
        #expect(
            try await server.get("/v1/sales/targets?period=2026-03", as: "admin", staff).json.objects("reps").count == 3
        )

        #expect(try await server.get("/v1/sales/targets?period=2026-03", as: "subscriber", staff).status == 403)
        #expect(try await server.get("/v1/sales/targets?period=March", as: "admin", staff).status == 400)
        try await server.stop()
    }
}
