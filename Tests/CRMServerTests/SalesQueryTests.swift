import CRMDomain
import CRMSchema
import CRMService
import Foundation
import RapportAPI
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
        let (rep, manager, admin) = (
            try server.client(as: "rep", staff), try server.client(as: "manager", staff),
            try server.client(as: "admin", staff)
        )
        let mine = try await rep.funnel(query: .init(period: "2026-03"))
        let funnel = try mine.ok.body.json
        #expect(funnel.rep == staff["rep"], "\(mine)")
        #expect((funnel.opened, funnel.won, funnel.lost) == (2, 1, 1))
        #expect(funnel.winRate == 0.5)
        let everyone = try await admin.funnel(query: .init(period: "2026-Q1")).ok.body.json
        #expect(everyone.opened == 3)
        #expect(everyone.rep == nil)
        let team = try await manager.funnel(query: .init(period: "2026", rep: staff["other"]))
        #expect(try team.ok.body.json.opened == 1)

        let refused = try await rep.funnel(query: .init(period: "2026-03", rep: staff["other"]))
        #expect(try refused.forbidden.body.json.value1.error.code == "outside_scope", "\(refused)")
        let west = try await manager.funnel(query: .init(period: "2026-03", rep: staff["west"]))
        #expect((try? west.forbidden) != nil, "\(west)")
        let nameless = try await manager.funnel(query: .init(period: "2026-03"))
        #expect((try? nameless.badRequest) != nil, "a manager names a rep: \(nameless)")
        let service = try await server.client(as: "subscriber", staff).funnel(query: .init(period: "2026-03"))
        #expect((try? service.forbidden) != nil, "\(service)")
        let malformed = try await admin.funnel(query: .init(period: "2026-13")).badRequest.body.json.error
        #expect(malformed.code == "invalid_query_parameter", "\(malformed)")
        #expect(malformed.facts.additionalProperties["parameter"] == "period")
        // The typed client cannot leave out `period`: the spec requires it.
        #expect(try await server.get("/v1/funnel", as: "admin", staff).status == 400)
        try await server.stop()
    }

    @Test("activity: a rep's month and day, a manager's team; other reps and teams are refused")
    func activity() async throws {
        let (server, staff) = try await Self.marchServer("sales-activity")
        let (rep, manager, admin) = (
            try server.client(as: "rep", staff), try server.client(as: "manager", staff),
            try server.client(as: "admin", staff)
        )
        let month = try await rep.repActivity(query: .init(month: "2026-03"))
        let report = try month.ok.body.json
        let totals = report.totals
        #expect(
            (totals?.calls, totals?.visits, totals?.followUps, totals?.opportunitiesOpened) == (1, 1, 2, 2),
            "\(month)"
        )
        #expect(report.days?.first { $0.day == "2026-03-03" }?.counts?.followUps == 2)
        let day = try await manager.repActivity(query: .init(rep: staff["rep"], day: "2026-03-03"))
        #expect(try day.ok.body.json.totals?.followUps == 2)
        let week = try await rep.repActivity(query: .init(week: "2026-W10"))
        #expect(try week.ok.body.json.totals?.followUps == 2, "2026-03-03 is in ISO week 10")

        let team = try await manager.teamActivity(query: .init(month: "2026-03"))
        let east = try team.ok.body.json
        #expect(east.team == staff["east"], "\(team)")
        let reps = Set((east.reps ?? []).compactMap(\.rep))
        #expect(reps.isSuperset(of: [staff["rep"], staff["other"]]))
        #expect(!reps.contains(staff["west"]))
        #expect(east.totals?.followUps == 2)
        let everyone = try await admin.teamActivity(query: .init(month: "2026-03")).ok.body.json
        #expect((everyone.reps ?? []).contains { $0.rep == staff["west"] })

        let other = try await rep.repActivity(query: .init(rep: staff["other"], month: "2026-03"))
        #expect(try other.forbidden.body.json.value1.error.code == "outside_scope", "\(other)")
        let westTeam = try await manager.teamActivity(query: .init(team: staff["westTeam"], month: "2026-03"))
        #expect((try? westTeam.forbidden) != nil, "\(westTeam)")
        let repTeam = try await rep.teamActivity(query: .init(month: "2026-03"))
        #expect(try repTeam.forbidden.body.json.value1.error.code == "forbidden", "\(repTeam)")
        let noSuchDay = try await rep.repActivity(query: .init(day: "2026-02-30"))
        #expect((try? noSuchDay.badRequest) != nil, "\(noSuchDay)")
        let twoPeriods = try await rep.repActivity(query: .init(day: "2026-03-03", month: "2026-03"))
        #expect((try? twoPeriods.badRequest) != nil, "\(twoPeriods)")
        let noSuchWeek = try await admin.teamActivity(query: .init(week: "2026-W99"))
        #expect((try? noSuchWeek.badRequest) != nil, "\(noSuchWeek)")
        try await server.stop()
    }

    @Test("sales by rep are cut to the caller's reps; region and product are the company's")
    func sales() async throws {
        let (server, staff) = try await Self.marchServer("sales-breakdown")
        let (rep, manager) = (try server.client(as: "rep", staff), try server.client(as: "manager", staff))
        func signed(_ breakdown: Components.Schemas.SalesBreakdown) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: (breakdown.rows ?? []).map { ($0.key ?? "", $0.signed ?? 0) })
        }
        let all = try await server.client(as: "finance", staff).sales(query: .init(period: "2026-03"))
        let company = try all.ok.body.json
        #expect(signed(company) == [staff["rep"]: 200_000, staff["other"]: 100_000, staff["west"]: 300_000])
        #expect(company.totals?.first?.signed == 600_000)
        let mine = try await rep.sales(query: .init(period: "2026-03", by: .rep)).ok.body.json
        #expect(signed(mine) == [staff["rep"]: 200_000])
        #expect(mine.totals?.first?.signed == 200_000, "totals of what the rep may see")
        let team = try await manager.sales(query: .init(period: "2026-Q1")).ok.body.json
        #expect(signed(team) == [staff["rep"]: 200_000, staff["other"]: 100_000])
        let teams = try await manager.sales(query: .init(period: "2026", by: .team)).ok.body.json
        #expect(signed(teams) == [staff["east"]: 300_000])
        let products = try await server.client(as: "auditor", staff).sales(query: .init(period: "2026", by: .product))
        #expect(signed(try products.ok.body.json).values.reduce(0, +) == 600_000)

        let region = try await manager.sales(query: .init(period: "2026-03", by: .region))
        #expect(try region.forbidden.body.json.value1.error.code == "outside_scope", "\(region)")
        let repTeams = try await rep.sales(query: .init(period: "2026-03", by: .team))
        #expect((try? repTeams.forbidden) != nil, "\(repTeams)")
        // The typed client cannot send a `by` the spec does not list.
        let dimension = try await server.get("/v1/sales?period=2026-03&by=colour", as: "admin", staff)
        #expect(
            (dimension.status, dimension.json.object("error").object("facts")["parameter"] as? String) == (400, "by")
        )
        try await server.stop()
    }

    @Test("targets: a rep sees their own attainment, a manager their team's")
    func targets() async throws {
        let (server, staff) = try await Self.marchServer("sales-targets")
        let admin = try server.client(as: "admin", staff)
        let answer = try await server.client(as: "rep", staff).salesTargets(query: .init(period: "2026-03"))
        let mine = try answer.ok.body.json
        let row = try #require(mine.reps?.first, "\(answer)")
        #expect(mine.reps?.count == 1)
        #expect(
            (row.holderID, row.target, row.achieved, row.attainmentBasisPoints) == (
                staff["rep"], 400_000, 200_000, 5_000
            )
        )
        #expect(mine.teams?.isEmpty ?? true)
        let team = try await server.client(as: "manager", staff).salesTargets(query: .init(period: "2026-03")).ok
            .body.json
        #expect(Set(team.reps?.compactMap(\.holderID) ?? []) == [staff["rep"], staff["other"]])
        let east = try #require(team.teams?.first)
        #expect((east.holderID, east.achieved, east.attainmentBasisPoints) == (staff["east"], 300_000, 3_000))
        #expect(try await admin.salesTargets(query: .init(period: "2026-03")).ok.body.json.reps?.count == 3)

        let service = try await server.client(as: "subscriber", staff).salesTargets(query: .init(period: "2026-03"))
        #expect((try? service.forbidden) != nil, "\(service)")
        let march = try await admin.salesTargets(query: .init(period: "March"))
        #expect((try? march.badRequest) != nil, "\(march)")
        try await server.stop()
    }
}
