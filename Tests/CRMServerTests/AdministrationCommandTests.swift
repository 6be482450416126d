import CRMSchema
import Foundation
import NIOHTTP1
import Testing

/// Settings and users over a real socket: what `PUT` records `GET` reads back, as of any
/// business time; teams and users are added, moved, promoted and deactivated.
@Suite("Administration commands over HTTP")
struct AdministrationCommandTests {
    @Test("settings read back as configured, the defaults before, and impossible settings refuse")
    func settings() async throws {
        let crm = try await CommandServer.start("commands-settings")
        let defaults = try await crm.send(.GET, "/v1/settings/pool-rules", as: .rep)
        #expect(defaults.status == 200 && defaults.json["holdingCap"] as? Int == 200, "\(defaults.json)")

        var head = try crm.head()
        let rules =
            #"{"dailyClaimLimit":5,"holdingCap":50,"previousOwnerCooldownDays":7,"idleLimits":[{"level":"","idleDays":20},{"level":"A","idleDays":45}],"warningDaysBeforeRelease":2,"occurredAt":"2026-07-01T00:00:00Z"}"#
        let configured = try await crm.send(.PUT, "/v1/settings/pool-rules", rules, as: .admin)
        #expect(configured.status == 200 && configured.json["changed"] as? Bool == true, "\(configured.json)")
        #expect(try crm.event(CRMPoolRulesConfigured.self, after: head).holdingCap == 50)
        let now = try await crm.send(.GET, "/v1/settings/pool-rules", as: .auditor)
        #expect(
            now.json["holdingCap"] as? Int == 50 && (now.json["idleLimits"] as? [[String: Any]])?.count == 2,
            "\(now.json)"
        )
        let before = try await crm.send(.GET, "/v1/settings/pool-rules?at=2026-06-30T00:00:00Z", as: .rep)
        #expect(before.json["holdingCap"] as? Int == 200, "the rules in force before July are the defaults")
        let badTime = try await crm.send(.GET, "/v1/settings/pool-rules?at=June", as: .rep)
        #expect(badTime.status == 400)

        head = try crm.head()
        let noCap = try await crm.send(
            .PUT,
            "/v1/settings/pool-rules",
            #"{"dailyClaimLimit":5,"holdingCap":0,"previousOwnerCooldownDays":7,"idleLimits":[],"warningDaysBeforeRelease":2}"#,
            as: .admin
        )
        #expect(noCap.status == 400 && noCap.code == "invalid_value", "\(noCap.json)")
        let empty = try await crm.send(.PUT, "/v1/settings/pipeline", #"{"stages":[]}"#, as: .admin)
        #expect(empty.status == 400 && empty.code == "invalid_pipeline", "\(empty.json)")
        let auditorChain = try await crm.send(
            .PUT,
            "/v1/settings/approval-policy",
            #"{"discountThresholdPercent":10,"chain":["auditor"]}"#,
            as: .admin
        )
        #expect(auditorChain.status == 400 && auditorChain.code == "invalid_value", "\(auditorChain.json)")
        let tooHigh = try await crm.send(
            .PUT,
            "/v1/settings/commission-rate",
            #"{"rateBasisPoints":20000}"#,
            as: .admin
        )
        #expect(tooHigh.status == 400 && tooHigh.code == "invalid_value", "\(tooHigh.json)")
        #expect(try crm.head() == head, "no impossible setting was recorded")

        let stages =
            #"{"stages":[{"stageId":"lead","name":"Lead","order":1,"winProbabilityPercent":5},{"stageId":"deal","name":"Deal","order":2,"winProbabilityPercent":60}]}"#
        #expect(try await crm.send(.PUT, "/v1/settings/pipeline", stages, as: .admin).status == 200)
        let pipeline = try await crm.send(.GET, "/v1/settings/pipeline", as: .rep)
        #expect(
            (pipeline.json["stages"] as? [[String: Any]])?.compactMap { $0["stageId"] as? String } == ["lead", "deal"],
            "\(pipeline.json)"
        )

        let policy =
            #"{"discountThresholdPercent":15,"amountThreshold":{"amount":10000000,"currency":"CNY"},"chain":["manager","finance"]}"#
        #expect(try await crm.send(.PUT, "/v1/settings/approval-policy", policy, as: .admin).status == 200)
        let readPolicy = try await crm.send(.GET, "/v1/settings/approval-policy", as: .finance)
        #expect(
            readPolicy.json["chain"] as? [String] == ["manager", "finance"]
                && readPolicy.json["discountThresholdPercent"] as? Int == 15,
            "\(readPolicy.json)"
        )
        #expect((readPolicy.json["amountThreshold"] as? [String: Any])?["amount"] as? Int == 10_000_000)

        #expect(
            try await crm.send(.PUT, "/v1/settings/commission-rate", #"{"rateBasisPoints":150}"#, as: .admin).status
                == 200
        )
        let rate = try await crm.send(.GET, "/v1/settings/commission-rate", as: .manager)
        #expect(rate.json["rateBasisPoints"] as? Int == 150)
        try await crm.stop()
    }

    @Test("teams and users are created once, moved, promoted and deactivated within the actor's reach")
    func users() async throws {
        let crm = try await CommandServer.start("commands-users")
        var head = try crm.head()
        let team = try await crm.post("/v1/teams", #"{"name":"West"}"#, as: .admin)
        #expect(team.status == 201, "\(team.json)")
        let west = try team.id("teamId")
        #expect(try crm.event(CRMTeamCreated.self, after: head).name == "West")
        let again = try await crm.post("/v1/teams", #"{"name":"west"}"#, as: .admin)
        #expect(again.status == 409 && again.code == "duplicate_team", "\(again.json)")

        head = try crm.head()
        let added = try await crm.post(
            "/v1/users",
            #"{"name":"Wu","email":"Wu@Example.com","role":"sales_rep","teamId":"\#(crm.north)"}"#,
            as: .admin
        )
        #expect(added.status == 201, "\(added.json)")
        let wu = try added.id("userId")
        #expect(try crm.event(CRMUserAdded.self, after: head).email == "wu@example.com")
        let sameEmail = try await crm.post(
            "/v1/users",
            #"{"name":"Wu 2","email":"wu@example.com","role":"finance"}"#,
            as: .admin
        )
        #expect(sameEmail.status == 409 && sameEmail.code == "duplicate_user", "\(sameEmail.json)")

        head = try crm.head()
        #expect(try await crm.post("/v1/users/\(wu)/team", #"{"teamId":"\#(west)"}"#, as: .admin).status == 200)
        #expect(try crm.event(CRMUserMovedToTeam.self, after: head).toTeamID == west)
        let stay = try await crm.post("/v1/users/\(wu)/team", #"{"teamId":"\#(west)"}"#, as: .admin)
        #expect(stay.status == 422 && stay.code == "no_change", "\(stay.json)")
        head = try crm.head()
        #expect(try await crm.post("/v1/users/\(wu)/role", #"{"role":"manager"}"#, as: .admin).status == 200)
        #expect(try crm.event(CRMUserRoleChanged.self, after: head).toRole == .manager)

        // Rui holds a customer; when he leaves, Oto takes it over.
        let customer = try await crm.post(
            "/v1/customers",
            #"{"name":"Ningbo Port Tea","ownerId":"\#(crm.id(.rep))"}"#,
            as: .rep
        ).id("customerId")
        head = try crm.head()
        let foreign = try await crm.post(
            "/v1/users/\(crm.id(.outsider))/deactivate",
            #"{"reason":"left"}"#,
            as: .manager
        )
        #expect(foreign.status == 403 && foreign.code == "outside_scope", "\(foreign.json)")
        let silent = try await crm.post("/v1/users/\(crm.id(.rep))/deactivate", #"{"reason":""}"#, as: .manager)
        #expect(silent.status == 400 && silent.code == "reason_required", "\(silent.json)")
        #expect(try crm.head() == head)
        let left = try await crm.post(
            "/v1/users/\(crm.id(.rep))/deactivate",
            #"{"reason":"moved abroad","successorId":"\#(crm.id(.otherRep))"}"#,
            as: .manager
        )
        #expect(left.status == 200, "\(left.json)")
        let handover = try crm.event(CRMCustomerOwnershipChanged.self, after: head)
        #expect(
            handover.customerID == customer && handover.toOwnerID == crm.id(.otherRep)
                && handover.reason == .ownerDeparted
        )
        let gone = try await crm.post("/v1/leads", #"{"companyName":"After hours"}"#, as: .rep)
        #expect(gone.status == 403 || gone.status == 401, "a deactivated user's token no longer commands: \(gone.json)")
        try await crm.stop()
    }
}
