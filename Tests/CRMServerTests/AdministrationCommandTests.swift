import CRMSchema
import Foundation
import NIOHTTP1
import RapportAPI
import Testing

/// Settings and users over a real socket: what `PUT` records `GET` reads back, as of any
/// business time; teams and users are added, moved, promoted and deactivated.
@Suite("Administration commands over HTTP")
struct AdministrationCommandTests {
    @Test("settings read back as configured, the defaults before, and impossible settings refuse")
    func settings() async throws {
        let crm = try await CommandServer.start("commands-settings")
        let (admin, rep) = (try crm.client(as: .admin), try crm.client(as: .rep))
        let defaults = try await rep.poolRules()
        #expect(try defaults.ok.body.json.holdingCap == 200, "\(defaults)")

        var head = try crm.head()
        let rules = Components.Schemas.PoolRules(
            dailyClaimLimit: 5,
            holdingCap: 50,
            previousOwnerCooldownDays: 7,
            idleLimits: [.init(level: "", idleDays: 20), .init(level: "A", idleDays: 45)],
            warningDaysBeforeRelease: 2,
            occurredAt: "2026-07-01T00:00:00Z"
        )
        let configured = try await admin.configurePoolRules(body: .json(rules))
        #expect(try configured.ok.body.json.changed == true, "\(configured)")
        #expect(try crm.event(CRMPoolRulesConfigured.self, after: head).holdingCap == 50)
        let now = try await crm.client(as: .auditor).poolRules()
        #expect(try now.ok.body.json.holdingCap == 50 && now.ok.body.json.idleLimits.count == 2, "\(now)")
        let before = try await rep.poolRules(query: .init(at: "2026-06-30T00:00:00Z"))
        #expect(try before.ok.body.json.holdingCap == 200, "the rules in force before July are the defaults")
        let badTime = try await rep.poolRules(query: .init(at: "June"))
        #expect(try badTime.badRequest.body.json.error.code == "invalid_query_parameter", "\(badTime)")

        head = try crm.head()
        let noCap = try await admin.configurePoolRules(
            body: .json(
                .init(
                    dailyClaimLimit: 5,
                    holdingCap: 0,
                    previousOwnerCooldownDays: 7,
                    idleLimits: [],
                    warningDaysBeforeRelease: 2
                )
            )
        )
        #expect(try noCap.badRequest.body.json.error.code == "invalid_value", "\(noCap)")
        let empty = try await admin.configurePipeline(body: .json(.init(stages: [])))
        #expect(try empty.badRequest.body.json.error.code == "invalid_pipeline", "\(empty)")
        // Hand-built: the spec's chain enum has no `auditor`, so the typed client cannot send this chain.
        let auditorChain = try await crm.send(
            .PUT,
            "/v1/settings/approval-policy",
            #"{"discountThresholdPercent":10,"chain":["auditor"]}"#,
            as: .admin
        )
        #expect(auditorChain.status == 400 && auditorChain.code == "invalid_value", "\(auditorChain.json)")
        let tooHigh = try await admin.configureCommissionRate(body: .json(.init(rateBasisPoints: 20_000)))
        #expect(try tooHigh.badRequest.body.json.error.code == "invalid_value", "\(tooHigh)")
        #expect(try crm.head() == head, "no impossible setting was recorded")

        let stages = try await admin.configurePipeline(
            body: .json(
                .init(stages: [
                    .init(stageId: "lead", name: "Lead", order: 1, winProbabilityPercent: 5),
                    .init(stageId: "deal", name: "Deal", order: 2, winProbabilityPercent: 60),
                ])
            )
        )
        #expect(try stages.ok.body.json.changed, "\(stages)")
        let pipeline = try await rep.pipeline()
        #expect(try pipeline.ok.body.json.stages.map(\.stageId) == ["lead", "deal"], "\(pipeline)")

        let policy = try await admin.configureApprovalPolicy(
            body: .json(
                .init(
                    discountThresholdPercent: 15,
                    amountThreshold: .init(amount: 10_000_000, currency: "CNY"),
                    chain: [.manager, .finance]
                )
            )
        )
        #expect(try policy.ok.body.json.changed, "\(policy)")
        let readPolicy = try await crm.client(as: .finance).approvalPolicy()
        #expect(
            try readPolicy.ok.body.json.chain == [.manager, .finance]
                && readPolicy.ok.body.json.discountThresholdPercent == 15,
            "\(readPolicy)"
        )
        #expect(try readPolicy.ok.body.json.amountThreshold?.amount == 10_000_000)

        let rated = try await admin.configureCommissionRate(body: .json(.init(rateBasisPoints: 150)))
        #expect(try rated.ok.body.json.changed, "\(rated)")
        let rate = try await crm.client(as: .manager).commissionRate()
        #expect(try rate.ok.body.json.rateBasisPoints == 150)
        try await crm.stop()
    }

    @Test("teams and users are created once, moved, promoted and deactivated within the actor's reach")
    func users() async throws {
        let crm = try await CommandServer.start("commands-users")
        let (admin, manager, rep) = (try crm.client(as: .admin), try crm.client(as: .manager), try crm.client(as: .rep))
        var head = try crm.head()
        let team = try await admin.createTeam(body: .json(.init(name: "West")))
        let west = try team.created.body.json.teamId
        #expect(try crm.event(CRMTeamCreated.self, after: head).name == "West")
        let again = try await admin.createTeam(body: .json(.init(name: "west")))
        #expect(try again.conflict.body.json.error.code == "duplicate_team", "\(again)")

        head = try crm.head()
        let added = try await admin.addUser(
            body: .json(.init(name: "Wu", email: "Wu@Example.com", role: .salesRep, teamId: crm.north))
        )
        let wu = try added.created.body.json.userId
        #expect(try crm.event(CRMUserAdded.self, after: head).email == "wu@example.com")
        let sameEmail = try await admin.addUser(
            body: .json(.init(name: "Wu 2", email: "wu@example.com", role: .finance))
        )
        #expect(try sameEmail.conflict.body.json.error.code == "duplicate_user", "\(sameEmail)")

        head = try crm.head()
        let moved = try await admin.moveUser(path: .init(user: wu), body: .json(.init(teamId: west)))
        #expect(try moved.ok.body.json.changed, "\(moved)")
        #expect(try crm.event(CRMUserMovedToTeam.self, after: head).toTeamID == west)
        let stay = try await admin.moveUser(path: .init(user: wu), body: .json(.init(teamId: west)))
        #expect(try stay.unprocessableContent.body.json.error.code == "no_change", "\(stay)")
        head = try crm.head()
        let promoted = try await admin.changeRole(path: .init(user: wu), body: .json(.init(role: .manager)))
        #expect(try promoted.ok.body.json.changed, "\(promoted)")
        #expect(try crm.event(CRMUserRoleChanged.self, after: head).toRole == .manager)

        // Rui holds a customer; when he leaves, Oto takes it over.
        let customer = try await rep.createCustomer(
            body: .json(.init(name: "Ningbo Port Tea", ownerId: crm.id(.rep)))
        ).created.body.json.customerId
        head = try crm.head()
        let foreign = try await manager.deactivateUser(
            path: .init(user: crm.id(.outsider)),
            body: .json(.init(reason: "left"))
        )
        #expect(try foreign.forbidden.body.json.value1.error.code == "outside_scope", "\(foreign)")
        let silent = try await manager.deactivateUser(path: .init(user: crm.id(.rep)), body: .json(.init(reason: "")))
        #expect(try silent.badRequest.body.json.error.code == "reason_required", "\(silent)")
        #expect(try crm.head() == head)
        let left = try await manager.deactivateUser(
            path: .init(user: crm.id(.rep)),
            body: .json(.init(reason: "moved abroad", successorId: crm.id(.otherRep)))
        )
        #expect(try left.ok.body.json.changed, "\(left)")
        let handover = try crm.event(CRMCustomerOwnershipChanged.self, after: head)
        #expect(
            handover.customerID == customer && handover.toOwnerID == crm.id(.otherRep)
                && handover.reason == .ownerDeparted
        )
        let gone = try await rep.createLead(body: .json(.init(companyName: "After hours")))
        let refused =
            switch gone {
            case .forbidden, .unauthorized: true
            default: false
            }
        #expect(refused, "a deactivated user's token no longer commands: \(gone)")
        try await crm.stop()
    }
}
