import CRMDomain
import CRMSchema
import EventStore
import Foundation
import SwiftProtobuf

/// The company: teams and people, settings, products, suppliers; and what happens on a
/// calendar: campaigns each month, targets each quarter, people leaving, new rules.
extension WorkloadGenerator {
    func setUp() async throws {
        now = options.start.addingTimeInterval(8 * 3600)
        admin = try await addUser("Admin", role: .admin, team: nil)
        for index in 0..<options.teams {
            let teamID = random.id(at: now)
            let created = try UserDecisions.createTeam(
                id: teamID,
                name: "\(WorkloadNames.regions[index % WorkloadNames.regions.count]) \(index + 1)"
            )
            try await commit(
                [(try stream("team", teamID), [created])],
                actor: admin,
                reserving: [("team:\(created.name.lowercased())", try stream("team", teamID))]
            )
            managerOfTeam[teamID] = try await addUser("Manager \(index + 1)", role: .manager, team: teamID)
        }
        let teamIDs = Array(managerOfTeam.keys).sorted()
        for index in 0..<options.reps {
            _ = try await addUser("Rep \(index + 1)", role: .salesRep, team: teamIDs[index % teamIDs.count])
        }
        for index in 0..<2 {
            financeClerks.append(try await addUser("Finance \(index + 1)", role: .finance, team: nil))
        }
        _ = try await addUser("Auditor", role: .auditor, team: nil)
        try await configureSettings(year: 1)
        try await addProductsAndSuppliers()
    }

    /// Adds a user; reps are listed in their team.
    func addUser(_ name: String, role: CRMRole, team: String?) async throws -> String {
        let userID = random.id(at: now)
        let email = "user\(users.count + 1)@rapport.example.cn"
        let added = try UserDecisions.add(
            id: userID,
            name: name,
            email: email,
            role: role,
            team: team.flatMap { teams[$0] }
        )
        let userStream = try stream("user", userID)
        try await commit(
            [(userStream, [added])],
            actor: admin.isEmpty ? userID : admin,
            reserving: [("user-email:\(email)", userStream)]
        )
        if role == .salesRep, let team { repsByTeam[team, default: []].append(userID) }
        return userID
    }

    /// The rules of the first year, or the second year's changes.
    func configureSettings(year: Int) async throws {
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.previousOwnerCooldownDays, rules.warningDaysBeforeRelease) = (10, 15, 3)
        rules.holdingCap = year == 1 ? 900 : 1_000
        rules.idleLimits = [("A", 60), ("B", 30), ("C", 21), ("", 30)].map { level, days in
            CRMIdleLimit.with { ($0.customerLevel, $0.idleDays) = (level, Int32(days)) }
        }
        let configured = try PoolRules.validate(rules)
        try await commit(try stream("settings", "pool"), configured, actor: admin)
        poolRules = PoolRules(configured)

        var rate = CRMCommissionRateConfigured()
        rate.rateBasisPoints = year == 1 ? 300 : 350
        try await commit(try stream("settings", "commission"), try ReceivableDecisions.validate(rate), actor: admin)
        commissionRate = rate.rateBasisPoints
        guard year == 1 else { return }

        let stages = [
            ("lead-in", "Lead in", 10), ("needs", "Needs analysis", 25), ("proposal", "Proposal", 50),
            ("negotiation", "Negotiation", 75),
        ]
        let pipelineEvent = try Pipeline.validate(
            .with {
                $0.stages = stages.enumerated().map { order, stage in
                    CRMPipelineStage.with {
                        ($0.stageID, $0.name, $0.order, $0.winProbabilityPercent) = (
                            stage.0, stage.1, Int32(order + 1), Int32(stage.2)
                        )
                    }
                }
            }
        )
        try await commit(try stream("settings", "pipeline"), pipelineEvent, actor: admin)
        pipeline = Pipeline(pipelineEvent)

        let approval = try ApprovalPolicy.validate(
            .with {
                $0.discountThresholdPercent = 15
                $0.amountThreshold = CRMMoney(minorUnits: 300_000_00, currency: "CNY")
                $0.chain = [CRMRole.manager, .finance].map { role in CRMApprovalStep.with { $0.approverRole = role } }
            }
        )
        try await commit(try stream("settings", "approval"), approval, actor: admin)
        policy = ApprovalPolicy(approval)
    }

    private func addProductsAndSuppliers() async throws {
        let catalogue: [(String, String, Int64, Int64, Bool)] = [
            ("CRM-SEAT", "CRM seat, yearly", 1_200, 300, false),
            ("CRM-PRO", "CRM professional edition", 48_000, 9_000, false),
            ("ONBOARD", "Onboarding service", 8_000, 3_500, false), ("TRAIN", "Training day", 6_000, 2_000, false),
            ("PUMP-S", "Industrial pump S", 3_500, 2_100, true), ("PUMP-L", "Industrial pump L", 9_800, 6_200, true),
            ("SENSOR", "Flow sensor", 650, 280, true), ("VALVE", "Control valve", 1_400, 760, true),
            ("PANEL", "Control panel", 12_000, 7_400, true), ("KIT", "Maintenance kit", 900, 420, true),
        ]
        for (sku, name, price, cost, ships) in catalogue {
            let productID = random.id(at: now)
            let added = try ProductDecisions.add(
                id: productID,
                sku: sku,
                name: name,
                price: CRMMoney(minorUnits: price * 100, currency: "CNY"),
                cost: CRMMoney(minorUnits: cost * 100, currency: "CNY"),
                unit: ships ? "set" : "licence"
            )
            let productStream = try stream("product", productID)
            try await commit([(productStream, [added])], actor: admin, reserving: [("sku:\(added.sku)", productStream)])
            productIDs.append(productID)
            if ships { goods.insert(productID) }
        }
        for name in ["宁波精工泵业", "苏州传感器件", "无锡阀门制造", "上海自动化设备"] {
            let supplierID = random.id(at: now)
            try await commit(
                try stream("supplier", supplierID),
                try InventoryDecisions.addSupplier(id: supplierID, name: name, contact: "采购部"),
                actor: admin
            )
        }
    }

    /// What the calendar brings: a campaign on the first business day of a month, targets at
    /// each quarter, people leaving and joining, and the second year's rules.
    func startOfDay(_ day: Int) async throws {
        if day % 30 == 0 { try await launchCampaign() }
        if day % 91 == 0 { try await setTargets() }
        if day == 365 {
            try await configureSettings(year: 2)
            try await raisePrices()
        }
        if day == 300 { try await moveARep() }
        if day == 500 { try await promoteTheAuditor() }
        if [200, 430, 610].contains(day) { try await replaceARep() }
    }

    private func launchCampaign() async throws {
        let campaignID = random.id(at: now)
        let channel = random.pick([CRMCampaignChannel.email, .event, .web, .social, .sms])
        let launched = try MarketingDecisions.launch(
            id: campaignID,
            name: "Campaign \(day / 30 + 1)",
            targetSegment: random.pick(WorkloadNames.industries),
            channel: channel,
            budget: CRMMoney(minorUnits: Int64(random.int(20...200)) * 1_000_00, currency: "CNY"),
            endsAt: later(days: 45),
            context: context(admin)
        )
        try await commit(try stream("campaign", campaignID), launched, actor: admin)
        currentCampaign = campaignID
    }

    private func setTargets() async throws {
        let date = later(days: 1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = poolRules.businessTimeZone
        let (year, quarter) = (
            calendar.component(.year, from: date), (calendar.component(.month, from: date) - 1) / 3 + 1
        )
        for (teamID, reps) in repsByTeam.sorted(by: { $0.key < $1.key }) {
            var teamTotal: Int64 = 0
            for rep in reps where users[rep]?.isActive == true {
                let amount = Int64(random.int(300...900)) * 1_000_00
                teamTotal += amount
                if let target = decided({
                    try MarketingDecisions.setTarget(
                        for: .rep(users[rep]!),
                        period: "\(year)-Q\(quarter)",
                        amount: CRMMoney(minorUnits: amount, currency: "CNY")
                    )
                }) {
                    try await commit(try stream("target", rep), target, actor: managerOfTeam[teamID] ?? admin)
                }
            }
            let target = try MarketingDecisions.setTarget(
                for: .team(teams[teamID]!),
                period: "\(year)-Q\(quarter)",
                amount: CRMMoney(minorUnits: teamTotal, currency: "CNY")
            )
            try await commit(try stream("target", teamID), target, actor: admin)
        }
    }

    /// The second year's list prices: 5% up on every product that ships.
    private func raisePrices() async throws {
        for productID in productIDs where goods.contains(productID) {
            let product = products[productID]!
            let price = CRMMoney(minorUnits: product.price.minorUnits * 105 / 100, currency: product.price.currency)
            guard let changed = decided({ try ProductDecisions.changePrice(product, price: price, cost: product.cost) })
            else { continue }
            try await commit(try stream("product", productID), changed, actor: admin)
        }
    }

    /// A rep moves from the largest team to the smallest, keeping the customers held.
    private func moveARep() async throws {
        let bySize = repsByTeam.sorted { ($0.value.count, $0.key) < ($1.value.count, $1.key) }
        guard let smallest = bySize.first?.key, let (largest, reps) = bySize.last, largest != smallest,
            let rep = reps.last,
            let moved = decided({ try UserDecisions.move(users[rep]!, to: teams[smallest]!) })
        else { return }
        try await commit(try stream("user", rep), moved, actor: admin)
        repsByTeam[largest]!.removeAll { $0 == rep }
        repsByTeam[smallest]!.append(rep)
    }

    /// The auditor joins finance.
    private func promoteTheAuditor() async throws {
        guard let auditor = users.values.filter({ $0.role == .auditor && $0.isActive }).map(\.userID).sorted().first,
            let changed = decided({ try UserDecisions.changeRole(users[auditor]!, to: .finance) })
        else { return }
        try await commit(try stream("user", auditor), changed, actor: admin)
        financeClerks.append(auditor)
    }

    /// A rep leaves: the customers go to the teammate with the fewest, and a new rep joins.
    private func replaceARep() async throws {
        guard let (teamID, reps) = repsByTeam.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 })
        else { return }
        let leaving = reps[random.int(0...reps.count - 1)]
        let successor = reps.filter { $0 != leaving }.min {
            users[$0]!.holdings.customers.count < users[$1]!.holdings.customers.count
        }
        let manager = managerOfTeam[teamID]!
        let decision =
            decided {
                try UserDecisions.deactivate(
                    users[leaving]!,
                    by: users[manager]!,
                    successor: successor.flatMap { users[$0] },
                    reason: "resigned",
                    rules: poolRules
                )
            }
            ?? decided {
                try UserDecisions.deactivate(
                    users[leaving]!,
                    by: users[manager]!,
                    successor: nil,
                    reason: "resigned",
                    rules: poolRules
                )
            }
        guard let decision else { return }
        var parts: [(StreamName, [any SwiftProtobuf.Message])] = [
            (
                try stream("user", leaving),
                [decision.deactivated] + decision.handovers.map { RepHoldings.entry($0, gained: false) }
            )
        ]
        if let successor = decision.deactivated.successorUserID.nilIfEmpty, !decision.handovers.isEmpty {
            parts.append(
                (try stream("user", successor), decision.handovers.map { RepHoldings.entry($0, gained: true) })
            )
        }
        for change in decision.handovers { parts.append((try stream("customer", change.customerID), [change])) }
        try await commit(parts, actor: manager)
        for change in decision.handovers where !change.toOwnerID.isEmpty { ownerGained(change.customerID) }
        repsByTeam[teamID]!.removeAll { $0 == leaving }
        _ = try await addUser("Rep \(users.count + 1)", role: .salesRep, team: teamID)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
