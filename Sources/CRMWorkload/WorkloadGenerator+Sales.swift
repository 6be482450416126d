import CRMDomain
import CRMSchema
import Foundation
import SwiftProtobuf

/// Work waiting for a later day.
enum AgendaItem {
    case followUp(customer: String, owner: String)
    case assignLead(String)
    case judgeLead(String)
    case convertLead(String)
    case advanceOpportunity(String)
    case reopenOpportunity(String)
    case approveContract(String)
    case collectInstalment(contract: String, instalment: Int32)
    case issueInvoice(contract: String, invoice: String)
    case refundStep(contract: String, refund: String)
    case ship(String)
    case receiveGoods(String)
    case paySupplier(supplier: String, bill: String)
    case workOrderStep(String)
    case resolveComplaint(String)
}

/// The sales core: imports into the pool, leads from first touch to conversion, claims,
/// follow-ups, the sweep, and opportunities through the pipeline.
extension WorkloadGenerator {
    /// A business day's new work: imported and new leads, claims from the pool, expenses.
    func salesDay() async throws {
        let importsPerDay = options.customers * 3 / 10 / 20
        if day < 30 {
            for _ in 0..<importsPerDay {
                tick()
                try await importCustomer()
            }
        }
        let leadsPerDay = Double(options.customers) * 1.25 / Double(max(1, options.days * 5 / 7))
        for _ in 0..<Int(leadsPerDay + (random.chance(leadsPerDay.truncatingRemainder(dividingBy: 1)) ? 1 : 0)) {
            tick()
            try await createLead()
        }
        // Reps take turns, so that one append holds many reps' claims.
        let reps = activeReps
        let claims = reps.map { _ in random.int(0...4) }
        for round in 0..<(claims.max() ?? 0) {
            for (rep, count) in zip(reps, claims) where round < count {
                tick()
                try await claimFromPool(by: rep)
            }
        }
        try await expenses()
    }

    var activeReps: [String] {
        repsByTeam.keys.sorted().flatMap { repsByTeam[$0]! }.filter { users[$0]?.isActive == true }
    }

    func perform(_ task: AgendaItem) async throws {
        switch task {
        case let .followUp(customer, owner): try await followUp(customer, by: owner)
        case .assignLead(let lead): try await assignLead(lead)
        case .judgeLead(let lead): try await judgeLead(lead)
        case .convertLead(let lead): try await convertLead(lead)
        case .advanceOpportunity(let opportunity): try await advance(opportunity)
        case .reopenOpportunity(let opportunity): try await reopen(opportunity)
        case .approveContract(let contract): try await approveStep(of: contract)
        case let .collectInstalment(contract, instalment): try await collect(contract, instalment: instalment)
        case let .issueInvoice(contract, invoice): try await issueInvoice(invoice, of: contract)
        case let .refundStep(contract, refund): try await refundStep(refund, of: contract)
        case .ship(let contract): try await ship(contract)
        case .receiveGoods(let order): try await receiveGoods(order)
        case let .paySupplier(supplier, bill): try await paySupplier(supplier, bill: bill)
        case .workOrderStep(let workOrder): try await workOrderStep(workOrder)
        case .resolveComplaint(let complaint): try await resolveComplaint(complaint)
        }
    }

    // MARK: - Customers and leads

    /// The next company, and its dedup keys if none is taken.
    private func newCompany() -> (index: Int, keys: [DedupKey])? {
        // One in twenty-five is a company the CRM knows already: dedup refuses it.
        let index = nextCompany > 100 && random.chance(0.04) ? random.int(0...nextCompany - 1) : nextCompany
        if index == nextCompany { nextCompany += 1 }
        guard
            let keys = try? DedupKey.keys(
                company: WorkloadNames.company(index),
                creditCode: WorkloadNames.creditCode(index),
                phone: WorkloadNames.phone(index),
                email: WorkloadNames.email(index)
            ), keys.allSatisfy({ !takenKeys.contains($0.uniqueKey) })
        else {
            summary.refusals += 1
            return nil
        }
        return (index, keys)
    }

    private func importCustomer() async throws {
        guard let (index, keys) = newCompany() else { return }
        let customerID = random.id(at: now)
        var created = CRMCustomerCreated()
        (created.customerID, created.name) = (customerID, WorkloadNames.company(index))
        (created.creditCode, created.phone, created.email) = (keys[1].value, keys[2].value, keys[3].value)
        (created.region, created.industry) = (random.pick(WorkloadNames.regions), random.pick(WorkloadNames.industries))
        (created.size, created.source, created.level) = (
            random.pick(WorkloadNames.sizes), "import", random.pick(["A", "B", "B", "C", "C", "C"])
        )
        let customerStream = try stream("customer", customerID)
        try await commit(
            [(customerStream, [created])],
            actor: admin,
            reserving: keys.map { ($0.uniqueKey, customerStream) }
        )
        summary.customers += 1
    }

    private func createLead() async throws {
        guard let (index, keys) = newCompany() else { return }
        let leadID = random.id(at: now)
        var created = CRMLeadCreated()
        (created.leadID, created.companyName, created.contactName) = (
            leadID, WorkloadNames.company(index), WorkloadNames.person(&random)
        )
        (created.creditCode, created.phone, created.email) = (keys[1].value, keys[2].value, keys[3].value)
        created.source = random.pick(WorkloadNames.sources)
        if created.source == "campaign", let campaign = currentCampaign { created.campaignID = campaign }
        let leadStream = try stream("lead", leadID)
        try await commit([(leadStream, [created])], actor: admin, reserving: keys.map { ($0.uniqueKey, leadStream) })
        summary.leads += 1
        if !created.campaignID.isEmpty, let campaign = campaigns[created.campaignID],
            let response = decided({
                try MarketingDecisions.respond(
                    campaign,
                    by: .lead(leads[leadID]!),
                    response: "registered",
                    context: context(admin)
                )
            })
        {
            try await commit(try stream("campaign", created.campaignID), response, actor: admin)
        }
        schedule(.assignLead(leadID), inBusinessDays: random.int(0...1))
    }

    private func assignLead(_ leadID: String) async throws {
        let (teamID, reps) = repsByTeam.sorted(by: { $0.key < $1.key })[random.int(0...repsByTeam.count - 1)]
        let candidates = reps.filter { users[$0]?.isActive == true }
        guard !candidates.isEmpty,
            let assigned = decided({ try LeadDecisions.assign(leads[leadID]!, to: users[random.pick(candidates)]!) })
        else { return }
        try await commit(try stream("lead", leadID), assigned, actor: managerOfTeam[teamID]!)
        schedule(.judgeLead(leadID), inBusinessDays: random.int(1...8))
    }

    private func judgeLead(_ leadID: String) async throws {
        let lead = leads[leadID]!
        let rep = lead.ownerID
        if random.chance(0.62) {
            guard let qualified = decided({ try LeadDecisions.qualify(lead, note: "budget and need confirmed") }) else {
                return
            }
            try await commit(try stream("lead", leadID), qualified, actor: rep)
            if random.chance(0.9) { schedule(.convertLead(leadID), inBusinessDays: random.int(1...10)) }
        } else {
            let reason = random.pick([
                "no budget", "no decision maker reached", "chose a competitor", "not our market", "duplicate contact",
            ])
            guard let disqualified = decided({ try LeadDecisions.disqualify(lead, reason: reason) }) else { return }
            try await commit(try stream("lead", leadID), disqualified, actor: rep)
        }
    }

    private func convertLead(_ leadID: String) async throws {
        let lead = leads[leadID]!
        let ownerID = LeadDecisions.convertingOwner(of: lead, actor: admin)
        guard let owner = users[ownerID] else { return }
        let (customerID, contactID, opportunityID) = (random.id(at: now), random.id(at: now), random.id(at: now))
        let amount = CRMMoney(minorUnits: Int64(random.int(20...600)) * 1_000_00, currency: "CNY")
        guard
            let conversion = decided({
                try LeadDecisions.convert(
                    lead,
                    customerID: customerID,
                    contactID: contactID,
                    opportunityID: opportunityID,
                    opportunity: .init(name: "First order", amount: amount),
                    owner: owner,
                    rules: poolRules,
                    pipeline: pipeline
                )
            })
        else { return }
        let entry = RepHoldings.created(customerID)
        let keys = try DedupKey.keys(
            company: lead.created.companyName,
            creditCode: lead.created.creditCode,
            phone: lead.created.phone,
            email: lead.created.email
        )
        let (leadStream, customerStream) = (try stream("lead", leadID), try stream("customer", customerID))
        try await commit(
            [
                (leadStream, [conversion.converted]),
                (customerStream, [conversion.customer, conversion.contact]),
                (try stream("opportunity", opportunityID), [conversion.opportunity]),
                (try stream("user", ownerID), [entry]),
            ],
            actor: ownerID,
            reserving: keys.map { ($0.uniqueKey, customerStream) },
            releasing: keys.map { ($0.uniqueKey, leadStream) }
        )
        summary.customers += 1
        // The rep fills in the profile the lead did not have.
        var profile = CustomerDecisions.ProfileChanges()
        (profile.region, profile.industry, profile.size) = (
            random.pick(WorkloadNames.regions), random.pick(WorkloadNames.industries), random.pick(WorkloadNames.sizes)
        )
        profile.level = random.pick(["A", "B", "B", "C"])
        tick()
        if let updated = decided({ try CustomerDecisions.updateProfile(customers[customerID]!, profile) }) ?? nil {
            try await commit(customerStream, updated, actor: ownerID)
        }
        ownerGained(customerID)
        schedule(.advanceOpportunity(opportunityID), inBusinessDays: random.int(3...15))
    }

    // MARK: - The pool

    private func claimFromPool(by rep: String) async throws {
        guard let customerID = pool.randomMember(using: &random), let user = users[rep] else { return }
        guard
            let change = decided({
                try PoolDecisions.claim(customers[customerID]!, by: user, rules: poolRules, context: context(rep))
            })
        else { return }
        try await commit(
            [
                (try stream("customer", customerID), [change]),
                (try stream("user", rep), [RepHoldings.entry(change, gained: true)]),
            ],
            actor: rep
        )
        ownerGained(customerID)
    }

    /// A customer got an owner (or its idle clock restarted): plan the next follow-up and the
    /// sweep's look at it. Most reps follow up every week or few; some customers are neglected
    /// and go back to the pool.
    func ownerGained(_ customerID: String) {
        guard let owner = customers[customerID]?.owner else { return }
        let neglected = random.chance(0.12)
        schedule(
            .followUp(customer: customerID, owner: owner),
            inBusinessDays: neglected ? random.int(25...50) : random.int(5...26)
        )
        scheduleSweep(customerID)
    }

    private func scheduleSweep(_ customerID: String) {
        guard let customer = customers[customerID], let idleSince = customer.idleSince else { return }
        let idleDays = poolRules.idleDays(forLevel: customer.level)
        let warnAt = idleSince.addingTimeInterval(Double(idleDays - poolRules.warningDaysBeforeRelease) * 86_400)
        let sweepDay = Int((warnAt.timeIntervalSince(options.start) / 86_400).rounded(.up))
        if sweepDay < options.days { sweeps[max(sweepDay, day), default: []].append(customerID) }
    }

    /// The day's sweep of one customer: a warning, then on a later day the release.
    func sweep(_ customerID: String) async throws {
        guard let customer = customers[customerID] else { return }
        switch PoolDecisions.sweep(
            customer,
            activity: activity.customers[customerID] ?? CustomerActivity(),
            rules: poolRules,
            at: now
        ) {
        case .release(let change):
            try await commit(
                [
                    (try stream("customer", customerID), [change]),
                    (try stream("user", change.fromOwnerID), [RepHoldings.entry(change, gained: false)]),
                ],
                actor: "pool-sweep"
            )
        case .warn(let warning):
            try await commit(try stream("customer", customerID), warning, actor: "pool-sweep")
            let releaseDay = Int((warning.releaseDueAt.date.timeIntervalSince(options.start) / 86_400).rounded(.up))
            if releaseDay < options.days { sweeps[max(releaseDay, day + 1), default: []].append(customerID) }
        case .none:
            break
        }
    }

    // MARK: - Follow-ups

    private func followUp(_ customerID: String, by owner: String) async throws {
        guard customers[customerID]?.owner == owner else { return }  // it changed hands meanwhile
        // Now and then the rep gives the customer up, or the manager moves it to a teammate.
        if random.chance(0.012) { return try await release(customerID, by: owner) }
        if random.chance(0.005) { return try await transfer(customerID, from: owner) }
        var followUp = CRMFollowUpLogged()
        followUp.customerID = customerID
        followUp.channel = random.pick([.call, .call, .call, .visit, .email, .im, .im])
        followUp.note = random.pick([
            "discussed next quarter's volumes", "sent the updated price list", "visited the plant",
            "answered questions on the renewal", "introduced the new product line",
        ])
        if random.chance(0.6) { followUp.nextContactAt = .init(date: later(days: Double(random.int(3...20)))) }
        let logged = try FollowUpDecisions.log(followUp, id: random.id(at: now), context: context(owner))
        try await commit(try stream("customer", customerID), logged, actor: owner)
        ownerGained(customerID)
        if random.chance(0.03),
            let tagged = decided({
                try CustomerDecisions.tag(
                    customers[customerID]!,
                    adding: [random.pick(["key-account", "renewal", "price-sensitive", "expansion", "vip"])],
                    removing: []
                )
            }) ?? nil
        {
            try await commit(try stream("customer", customerID), tagged, actor: owner)
        }
        if random.chance(0.01), let contactID = customers[customerID]!.contacts.keys.sorted().first {
            var fields = CustomerDecisions.ContactFields()
            fields.title = random.pick(["采购经理", "总经理", "技术总监", "财务主管"])
            if let updated = decided({
                try CustomerDecisions.updateContact(customers[customerID]!, contactID: contactID, fields)
            }) ?? nil {
                try await commit(try stream("customer", customerID), updated, actor: owner)
            }
        }
        if random.chance(0.025) { try await openOpportunity(for: customerID) }
        if random.chance(0.006) { try await fileComplaint(customerID) }
        if random.chance(0.01), let campaign = currentCampaign.flatMap({ campaigns[$0] }),
            let response = decided({
                try MarketingDecisions.respond(
                    campaign,
                    by: .customer(customers[customerID]!),
                    response: "asked for a demo",
                    context: context(owner)
                )
            })
        {
            try await commit(try stream("campaign", campaign.campaignID), response, actor: owner)
        }
    }

    private func release(_ customerID: String, by owner: String) async throws {
        guard
            let change = decided({
                try PoolDecisions.release(
                    customers[customerID]!,
                    by: users[owner]!,
                    owner: users[owner]!,
                    note: "not a fit for us"
                )
            })
        else { return }
        try await commit(
            [
                (try stream("customer", customerID), [change]),
                (try stream("user", owner), [RepHoldings.entry(change, gained: false)]),
            ],
            actor: owner
        )
    }

    private func transfer(_ customerID: String, from owner: String) async throws {
        let teamID = users[owner]!.teamID
        guard let manager = managerOfTeam[teamID].flatMap({ users[$0] }),
            let receiver = repsByTeam[teamID]?.filter({ $0 != owner && users[$0]?.isActive == true }).randomElement(
                using: &random
            ),
            let change = decided({
                try PoolDecisions.transfer(
                    customers[customerID]!,
                    by: manager,
                    owner: users[owner]!,
                    to: users[receiver]!,
                    rules: poolRules,
                    note: "territory change"
                )
            })
        else { return }
        try await commit(
            [
                (try stream("customer", customerID), [change]),
                (try stream("user", owner), [RepHoldings.entry(change, gained: false)]),
                (try stream("user", receiver), [RepHoldings.entry(change, gained: true)]),
            ],
            actor: manager.userID
        )
        ownerGained(customerID)
    }

    // MARK: - Opportunities

    private func openOpportunity(for customerID: String) async throws {
        let opportunityID = random.id(at: now)
        let amount = CRMMoney(minorUnits: Int64(random.int(10...400)) * 1_000_00, currency: "CNY")
        guard let customer = customers[customerID], let owner = customer.owner,
            let opened = decided({
                try OpportunityDecisions.open(
                    .init(name: "Expansion", amount: amount),
                    id: opportunityID,
                    customer: customer,
                    pipeline: pipeline
                )
            })
        else { return }
        try await commit(try stream("opportunity", opportunityID), opened, actor: owner)
        schedule(.advanceOpportunity(opportunityID), inBusinessDays: random.int(3...15))
    }

    /// Moves an opportunity a stage on, loses it, or at the last stage decides it.
    private func advance(_ opportunityID: String) async throws {
        let opportunity = opportunities[opportunityID]!
        guard opportunity.status == .open,
            let index = pipeline.stages.firstIndex(where: { $0.stageID == opportunity.stageID })
        else { return }
        let actor = opportunity.ownerID
        if random.chance(0.14) {
            try await lose(
                opportunity,
                reason: random.pick([
                    "price too high", "chose a competitor", "project postponed", "no budget", "went silent",
                ])
            )
        } else if index + 1 < pipeline.stages.count {
            guard
                let moved = decided({
                    try OpportunityDecisions.moveStage(
                        opportunity,
                        to: pipeline.stages[index + 1].stageID,
                        pipeline: pipeline
                    )
                })
            else { return }
            try await commit(try stream("opportunity", opportunityID), moved, actor: actor)
            schedule(.advanceOpportunity(opportunityID), inBusinessDays: random.int(4...18))
        } else if random.chance(0.6) {
            try await closeDeal(opportunityID)
        } else {
            try await lose(
                opportunity,
                reason: random.pick(["price too high", "chose a competitor", "lost at negotiation"])
            )
        }
    }

    func lose(_ opportunity: OpportunityState, reason: String) async throws {
        guard let lost = decided({ try OpportunityDecisions.lose(opportunity, reason: reason) }) else { return }
        try await commit(try stream("opportunity", opportunity.opportunityID), lost, actor: opportunity.ownerID)
        if random.chance(0.07) {
            schedule(.reopenOpportunity(opportunity.opportunityID), inBusinessDays: random.int(10...40))
        }
    }

    private func reopen(_ opportunityID: String) async throws {
        let opportunity = opportunities[opportunityID]!
        guard
            let reopened = decided({
                try OpportunityDecisions.reopen(opportunity, reason: "the customer came back", pipeline: pipeline)
            })
        else { return }
        try await commit(try stream("opportunity", opportunityID), reopened, actor: opportunity.ownerID)
        schedule(.advanceOpportunity(opportunityID), inBusinessDays: random.int(4...15))
    }
}
