import CRMDomain
import CRMSchema
import EventStore
import Foundation
import SwiftProtobuf

/// The decision behind each event type, taken again with the inputs the events carry.
extension DecisionReplay {
    /// The decision that must have appended `group`, whose first event names it.
    ///
    /// - Throws: what the decision throws, or a ``ReplayError`` for a group no decision appends.
    func decide(_ group: [Recorded]) throws -> Decision {
        let first = group[0]
        let now = first.event.occurredAt.date
        let context = try CommandContext(actor: first.event.actor, occurredAt: now, now: now)
        switch first.message {
        // Users, teams and settings
        case let event as CRMTeamCreated: return try teamCreated(event)
        case let event as CRMUserAdded: return try userAdded(event)
        case let event as CRMUserDeactivated: return try userDeactivated(event, group: group, context: context)
        case let event as CRMUserMovedToTeam:
            return try on("user", event.userID, UserDecisions.move(user(event.userID), to: team(event.toTeamID)))
        case let event as CRMUserRoleChanged:
            return try on("user", event.userID, UserDecisions.changeRole(user(event.userID), to: event.toRole))
        case let event as CRMPoolRulesConfigured: return try setting("pool", PoolRules.validate(event))
        case let event as CRMPipelineConfigured: return try setting("pipeline", Pipeline.validate(event))
        case let event as CRMApprovalPolicyConfigured: return try setting("approval", ApprovalPolicy.validate(event))
        case let event as CRMCommissionRateConfigured:
            return try setting("commission", ReceivableDecisions.validate(event))
        // Customers, leads and the pool
        case let event as CRMCustomerCreated: return try customerCreated(event, context: context)
        case let event as CRMCustomerProfileUpdated: return try profileUpdated(event)
        case let event as CRMCustomerTagged:
            guard
                let tagged = try CustomerDecisions.tag(
                    customer(event.customerID),
                    adding: event.added,
                    removing: event.removed
                )
            else {
                throw ReplayError("tagging customer \(event.customerID) changes nothing")
            }
            return try on("customer", event.customerID, tagged)
        case let event as CRMContactUpdated: return try contactUpdated(event)
        case let event as CRMLeadCreated: return try leadCreated(event)
        case let event as CRMLeadAssigned:
            return try on("lead", event.leadID, LeadDecisions.assign(lead(event.leadID), to: user(event.toOwnerID)))
        case let event as CRMLeadQualified:
            return try on("lead", event.leadID, LeadDecisions.qualify(lead(event.leadID), note: event.note))
        case let event as CRMLeadDisqualified:
            return try on("lead", event.leadID, LeadDecisions.disqualify(lead(event.leadID), reason: event.reason))
        case let event as CRMLeadConverted: return try leadConverted(event, group: group, context: context)
        case let event as CRMCustomerOwnershipChanged: return try ownershipChanged(event, context: context)
        case let event as CRMPoolReleaseWarned: return try releaseWarned(event, at: now)
        case let event as CRMFollowUpLogged: return try followUpLogged(event, context: context)
        // Opportunities
        case let event as CRMOpportunityOpened: return try opportunityOpened(event, at: now)
        case let event as CRMOpportunityStageChanged:
            return try on(
                "opportunity",
                event.opportunityID,
                OpportunityDecisions.moveStage(
                    opportunity(event.opportunityID),
                    to: event.toStageID,
                    pipeline: pipeline.at(now)
                )
            )
        case let event as CRMOpportunityWon:
            return try on(
                "opportunity",
                event.opportunityID,
                OpportunityDecisions.win(opportunity(event.opportunityID), reason: event.reason, amount: event.amount)
            )
        case let event as CRMOpportunityLost:
            return try on(
                "opportunity",
                event.opportunityID,
                OpportunityDecisions.lose(opportunity(event.opportunityID), reason: event.reason)
            )
        case let event as CRMOpportunityReopened:
            return try on(
                "opportunity",
                event.opportunityID,
                OpportunityDecisions.reopen(
                    opportunity(event.opportunityID),
                    at: event.stageID,
                    reason: event.reason,
                    pipeline: pipeline.at(now)
                )
            )
        // Products, quotes and contracts
        case let event as CRMProductAdded: return try productAdded(event)
        case let event as CRMProductPriceChanged:
            return try on(
                "product",
                event.productID,
                ProductDecisions.changePrice(product(event.productID), price: event.price, cost: event.cost)
            )
        case let event as CRMQuoteRejected:
            return try on("quote", event.quoteID, QuoteDecisions.reject(quote(event.quoteID), reason: event.reason))
        case let event as CRMQuoteCreated: return try quoteCreated(event, context: context)
        case let event as CRMQuoteAccepted:
            return try on("quote", event.quoteID, QuoteDecisions.accept(quote(event.quoteID), context: context))
        case let event as CRMContractDrafted: return try contractDrafted(event, at: now)
        case let event as CRMContractApproved:
            return try contractDecided(event.contractID, context: context) {
                contract,
                approver,
                owner throws(DomainError) in
                try ContractDecisions.approve(contract, by: approver, owner: owner, comment: event.comment)
            }
        case let event as CRMContractRejected:
            return try contractDecided(event.contractID, context: context) {
                contract,
                approver,
                owner throws(DomainError) in
                try ContractDecisions.reject(contract, by: approver, owner: owner, comment: event.comment)
            }
        // Receivables
        case let event as CRMInstalmentsScheduled: return try instalmentsScheduled(event)
        case let event as CRMPaymentReceived: return try paymentReceived(event, context: context)
        case let event as CRMInvoiceRequested:
            return try on(
                "contract",
                event.contractID,
                ReceivableDecisions.requestInvoice(
                    contract(event.contractID),
                    invoiceID: event.invoiceID,
                    amount: event.amount,
                    title: event.title
                )
            )
        case let event as CRMInvoiceIssued:
            return try on(
                "contract",
                event.contractID,
                ReceivableDecisions.issueInvoice(
                    contract(event.contractID),
                    invoiceID: event.invoiceID,
                    number: event.invoiceNumber
                )
            )
        case let event as CRMRefundRequested:
            return try on(
                "contract",
                event.contractID,
                ReceivableDecisions.requestRefund(
                    contract(event.contractID),
                    refundID: event.refundID,
                    amount: event.amount,
                    reason: event.reason,
                    returnGoods: event.returnGoods
                )
            )
        case let event as CRMRefundApproved:
            return try contractDecided(event.contractID, context: context) {
                contract,
                approver,
                owner throws(DomainError) in
                try ReceivableDecisions.approveRefund(contract, refundID: event.refundID, by: approver, owner: owner)
            }
        case let event as CRMRefundRejected:
            return try contractDecided(event.contractID, context: context) {
                contract,
                approver,
                owner throws(DomainError) in
                try ReceivableDecisions.rejectRefund(
                    contract,
                    refundID: event.refundID,
                    by: approver,
                    owner: owner,
                    reason: event.reason
                )
            }
        case let event as CRMReturnedGoodsReceived:
            return try on(
                "contract",
                event.contractID,
                ReceivableDecisions.receiveReturnedGoods(contract(event.contractID), refundID: event.refundID)
            )
        case let event as CRMRefundPaid:
            return try on(
                "contract",
                event.contractID,
                ReceivableDecisions.payRefund(
                    contract(event.contractID),
                    refundID: event.refundID,
                    method: event.method
                )
            )
        // Inventory, payables and expenses
        case let event as CRMSupplierAdded:
            return try on(
                "supplier",
                event.supplierID,
                InventoryDecisions.addSupplier(id: event.supplierID, name: event.name, contact: event.contact)
            )
        case let event as CRMShipmentDispatched: return try shipmentDispatched(event)
        case let event as CRMPurchaseOrdered: return try purchaseOrdered(event)
        case let event as CRMGoodsReceived: return try goodsReceived(event)
        case let event as CRMSupplierBillReceived:
            return try on(
                "supplier",
                event.supplierID,
                InventoryDecisions.receiveBill(
                    id: event.billID,
                    from: supplier(event.supplierID),
                    purchaseOrderID: event.purchaseOrderID,
                    amount: event.amount,
                    dueAt: event.dueAt.date
                )
            )
        case let event as CRMSupplierPaid:
            return try on(
                "supplier",
                event.supplierID,
                InventoryDecisions.paySupplier(
                    supplier(event.supplierID),
                    billID: event.billID,
                    amount: event.amount,
                    method: event.method
                )
            )
        case let event as CRMExpenseRecorded:
            return try on(
                "expense",
                event.expenseID,
                InventoryDecisions.recordExpense(
                    id: event.expenseID,
                    category: event.category,
                    item: event.item,
                    amount: event.amount,
                    clerkID: context.actor,
                    customerID: event.customerID
                )
            )
        // Service
        case let event as CRMWorkOrderOpened:
            return try on(
                "workorder",
                event.workOrderID,
                ServiceDecisions.openWorkOrder(
                    id: event.workOrderID,
                    customer: customer(event.customerID),
                    contractID: event.contractID,
                    title: event.title,
                    description: event.description_p
                )
            )
        case let event as CRMWorkOrderAssigned:
            return try on(
                "workorder",
                event.workOrderID,
                ServiceDecisions.assign(workOrder(event.workOrderID), to: user(event.toAssigneeID))
            )
        case let event as CRMWorkOrderResolved:
            return try on(
                "workorder",
                event.workOrderID,
                ServiceDecisions.resolve(workOrder(event.workOrderID), resolution: event.resolution)
            )
        case let event as CRMWorkOrderClosed:
            return try on("workorder", event.workOrderID, ServiceDecisions.close(workOrder(event.workOrderID)))
        case let event as CRMComplaintFiled:
            return try on(
                "complaint",
                event.complaintID,
                ServiceDecisions.fileComplaint(
                    id: event.complaintID,
                    customer: customer(event.customerID),
                    category: event.category,
                    description: event.description_p
                )
            )
        case let event as CRMComplaintResolved:
            return try on(
                "complaint",
                event.complaintID,
                ServiceDecisions.resolveComplaint(
                    complaint(event.complaintID),
                    rootCause: event.rootCause,
                    resolution: event.resolution
                )
            )
        case let event as CRMSatisfactionSurveyed:
            return try on(
                "customer",
                event.customerID,
                ServiceDecisions.survey(
                    id: event.surveyID,
                    customer: customer(event.customerID),
                    workOrderID: event.workOrderID,
                    score: event.score,
                    comment: event.comment
                )
            )
        // Marketing
        case let event as CRMCampaignLaunched:
            return try on(
                "campaign",
                event.campaignID,
                MarketingDecisions.launch(
                    id: event.campaignID,
                    name: event.name,
                    targetSegment: event.targetSegment,
                    channel: event.channel,
                    budget: event.budget,
                    endsAt: event.endsAt.date,
                    context: context
                )
            )
        case let event as CRMCampaignResponded:
            let respondent: MarketingDecisions.Respondent =
                event.leadID.isEmpty ? .customer(customer(event.customerID)) : .lead(lead(event.leadID))
            return try on(
                "campaign",
                event.campaignID,
                MarketingDecisions.respond(
                    campaign(event.campaignID),
                    by: respondent,
                    response: event.response,
                    context: context
                )
            )
        case let event as CRMSalesTargetSet:
            let holder: MarketingDecisions.TargetHolder =
                event.repID.isEmpty ? .team(team(event.teamID)) : .rep(user(event.repID))
            return try on(
                "target",
                event.repID.isEmpty ? event.teamID : event.repID,
                MarketingDecisions.setTarget(for: holder, period: event.period, amount: event.amount)
            )
        case is CRMRepHoldingChanged, is CRMStockChanged, is CRMCommissionEarned, is CRMContactAdded:
            throw ReplayError("appended without the decision it belongs to")
        default:
            throw ReplayError("the replay knows no decision that appends \(first.type)")
        }
    }

    // MARK: - Users, teams and settings

    private func teamCreated(_ event: CRMTeamCreated) throws -> Decision {
        let team = try StreamName(category: "team", id: event.teamID)
        let created = try UserDecisions.createTeam(id: event.teamID, name: event.name)
        return Decision(events: [(team, created)], reserving: [("team:\(created.name.lowercased())", team)])
    }

    private func userAdded(_ event: CRMUserAdded) throws -> Decision {
        let stream = try StreamName(category: "user", id: event.userID)
        let email = try EmailAddress.normalized(event.email)
        let added = try UserDecisions.add(
            id: event.userID,
            name: event.name,
            email: email,
            role: event.role,
            team: event.teamID.isEmpty ? nil : team(event.teamID)
        )
        return Decision(events: [(stream, added)], reserving: [("user-email:\(email)", stream)])
    }

    /// The `UserDeactivated`, the departing user's holdings entries, the successor's, and one
    /// ownership change per customer handed over.
    private func userDeactivated(
        _ event: CRMUserDeactivated,
        group: [Recorded],
        context: CommandContext
    ) throws
        -> Decision
    {
        let successor = event.successorUserID.isEmpty ? nil : user(event.successorUserID)
        let decision = try UserDecisions.deactivate(
            user(event.userID),
            by: user(context.actor),
            successor: successor,
            reason: event.reason,
            rules: poolRules.at(context.occurredAt)
        )
        let departing = try StreamName(category: "user", id: event.userID)
        var events: [Appended] = [(departing, decision.deactivated)]
        events += decision.handovers.map { (departing, RepHoldings.entry($0, gained: false)) }
        if let successor, !decision.handovers.isEmpty {
            let stream = try StreamName(category: "user", id: successor.userID)
            events += decision.handovers.map { (stream, RepHoldings.entry($0, gained: true)) }
        }
        events += try decision.handovers.map { (try StreamName(category: "customer", id: $0.customerID), $0) }
        return Decision(events: events)
    }

    /// A setting is appended as given once it validates.
    private func setting(_ name: String, _ validated: any SwiftProtobuf.Message) throws -> Decision {
        Decision(events: [(try StreamName(category: "settings", id: name), validated)])
    }

    // MARK: - Customers and leads

    /// A customer imported or entered directly: the service's event for it, with the dedup
    /// keys it reserves, and the owner's holdings entry when it has one.
    private func customerCreated(_ event: CRMCustomerCreated, context: CommandContext) throws -> Decision {
        guard !customer(event.customerID).exists else {
            throw ReplayError("customer \(event.customerID) exists already")
        }
        let keys = try DedupKey.keys(
            company: event.name,
            creditCode: event.creditCode,
            phone: event.phone,
            email: event.email
        )
        let stream = try StreamName(category: "customer", id: event.customerID)
        var created = CRMCustomerCreated()
        (created.customerID, created.name) = (
            event.customerID, event.name.trimmingCharacters(in: .whitespacesAndNewlines)
        )
        created.creditCode = keys.first { $0.kind == .creditCode }?.value ?? ""
        created.phone = keys.first { $0.kind == .phone }?.value ?? ""
        created.email = keys.first { $0.kind == .email }?.value ?? ""
        (created.region, created.industry, created.size) = (event.region, event.industry, event.size)
        (created.source, created.level, created.ownerID) = (event.source, event.level, event.ownerID)
        created.tags = try CustomerDecisions.normalizedTags(event.tags)
        var events: [Appended] = [(stream, created)]
        if !event.ownerID.isEmpty {
            let owner = user(event.ownerID)
            try UserDecisions.requireCanOwnCustomers(owner)
            try PoolDecisions.requireRoom(owner.holdings, rules: poolRules.at(context.occurredAt))
            events.append((try StreamName(category: "user", id: event.ownerID), RepHoldings.created(event.customerID)))
        }
        return Decision(events: events, reserving: keys.map { ($0.uniqueKey, stream) })
    }

    /// The profile changes the event names, decided again.
    private func profileUpdated(_ event: CRMCustomerProfileUpdated) throws -> Decision {
        var changes = CustomerDecisions.ProfileChanges()
        for field in event.changedFields {
            switch field {
            case "name": changes.name = event.name
            case "region": changes.region = event.region
            case "industry": changes.industry = event.industry
            case "size": changes.size = event.size
            case "source": changes.source = event.source
            case "level": changes.level = event.level
            default: throw ReplayError("no profile field \"\(field)\"")
            }
        }
        let current = customer(event.customerID)
        guard let updated = try CustomerDecisions.updateProfile(current, changes) else {
            throw ReplayError("the update changes nothing")
        }
        let stream = try StreamName(category: "customer", id: event.customerID)
        var decision = Decision(events: [(stream, updated)])
        if updated.changedFields.contains("name") {
            let old = try DedupKey(.company, normalizing: current.profile.name).uniqueKey
            let new = try DedupKey(.company, normalizing: updated.name).uniqueKey
            if old != new { (decision.reserving, decision.releasing) = ([(new, stream)], [(old, stream)]) }
        }
        return decision
    }

    /// A lead: the service's event for it, with the dedup keys it reserves.
    /// A contact update, its fields taken from the event's changed fields.
    private func contactUpdated(_ event: CRMContactUpdated) throws -> Decision {
        var fields = CustomerDecisions.ContactFields()
        for field in event.changedFields {
            switch field {
            case "name": fields.name = event.name
            case "title": fields.title = event.title
            case "phone": fields.phone = event.phone
            case "email": fields.email = event.email
            case "birthday": fields.birthday = event.birthday
            default: throw ReplayError("contact field \(field) is not a field")
            }
        }
        guard
            let updated = try CustomerDecisions.updateContact(
                customer(event.customerID),
                contactID: event.contactID,
                fields
            )
        else {
            throw ReplayError("updating contact \(event.contactID) changes nothing")
        }
        return try on("customer", event.customerID, updated)
    }

    private func leadCreated(_ event: CRMLeadCreated) throws -> Decision {
        guard lead(event.leadID).status == .absent else { throw ReplayError("lead \(event.leadID) exists already") }
        let keys = try DedupKey.keys(
            company: event.companyName,
            creditCode: event.creditCode,
            phone: event.phone,
            email: event.email
        )
        var created = CRMLeadCreated()
        (created.leadID, created.companyName, created.contactName) = (
            event.leadID, event.companyName, event.contactName
        )
        created.phone = keys.first { $0.kind == .phone }?.value ?? ""
        created.email = keys.first { $0.kind == .email }?.value ?? ""
        created.creditCode = keys.first { $0.kind == .creditCode }?.value ?? ""
        (created.source, created.campaignID, created.ownerID) = (event.source, event.campaignID, event.ownerID)
        let stream = try StreamName(category: "lead", id: event.leadID)
        return Decision(events: [(stream, created)], reserving: keys.map { ($0.uniqueKey, stream) })
    }

    /// The conversion, with the opportunity the group opens; the lead's dedup keys move to
    /// the customer.
    private func leadConverted(_ event: CRMLeadConverted, group: [Recorded], context: CommandContext) throws -> Decision
    {
        guard let opened = group.lazy.compactMap({ $0.message as? CRMOpportunityOpened }).first else {
            throw ReplayError("a conversion without its OpportunityOpened")
        }
        var opportunity = OpportunityDecisions.NewOpportunity(name: opened.name, amount: opened.amount)
        opportunity.stageID = opened.stageID
        if opened.hasExpectedCloseAt { opportunity.expectedCloseAt = opened.expectedCloseAt }
        let lead = self.lead(event.leadID)
        let ownerID = LeadDecisions.convertingOwner(of: lead, actor: context.actor)
        let time = context.occurredAt
        let conversion = try LeadDecisions.convert(
            lead,
            customerID: event.customerID,
            contactID: event.contactID,
            opportunityID: event.opportunityID,
            opportunity: opportunity,
            owner: user(ownerID),
            rules: poolRules.at(time),
            pipeline: pipeline.at(time)
        )
        let keys = try DedupKey.keys(
            company: lead.created.companyName,
            creditCode: lead.created.creditCode,
            phone: lead.created.phone,
            email: lead.created.email
        )
        let (leadStream, customerStream) = (
            try StreamName(category: "lead", id: event.leadID),
            try StreamName(category: "customer", id: event.customerID)
        )
        return Decision(
            events: [
                (leadStream, conversion.converted),
                (customerStream, conversion.customer), (customerStream, conversion.contact),
                (try StreamName(category: "opportunity", id: event.opportunityID), conversion.opportunity),
                (try StreamName(category: "user", id: ownerID), RepHoldings.created(event.customerID)),
            ],
            reserving: keys.map { ($0.uniqueKey, customerStream) },
            releasing: keys.map { ($0.uniqueKey, leadStream) }
        )
    }

    private func followUpLogged(_ event: CRMFollowUpLogged, context: CommandContext) throws -> Decision {
        try CustomerDecisions.requireExists(customer(event.customerID))
        return try on(
            "customer",
            event.customerID,
            FollowUpDecisions.log(event, id: event.followUpID, context: context)
        )
    }

    // MARK: - The pool

    /// An ownership change by its reason, with the holdings entries of the reps who lose and gain.
    private func ownershipChanged(_ event: CRMCustomerOwnershipChanged, context: CommandContext) throws -> Decision {
        let customer = self.customer(event.customerID)
        let time = context.occurredAt
        let change: CRMCustomerOwnershipChanged
        switch event.reason {
        case .claimed:
            change = try PoolDecisions.claim(
                customer,
                by: user(context.actor),
                rules: poolRules.at(time),
                context: context
            )
        case .releasedBySweep:
            let outcome = PoolDecisions.sweep(
                customer,
                activity: activity.customers[event.customerID] ?? CustomerActivity(),
                rules: poolRules.at(time),
                at: time
            )
            guard case .release(let release) = outcome else {
                throw ReplayError("the sweep at \(time) does not release customer \(event.customerID): \(outcome)")
            }
            change = release
        case .releasedByRep, .releasedByManager:
            change = try PoolDecisions.release(
                customer,
                by: user(context.actor),
                owner: user(event.fromOwnerID),
                note: event.note
            )
        case .transferred:
            change = try PoolDecisions.transfer(
                customer,
                by: user(context.actor),
                owner: user(event.fromOwnerID),
                to: user(event.toOwnerID),
                rules: poolRules.at(time),
                note: event.note
            )
        default:
            throw ReplayError("an ownership change for \(event.reason) outside the decision that makes it")
        }
        var events: [Appended] = [(try StreamName(category: "customer", id: change.customerID), change)]
        for (rep, gained) in [(change.fromOwnerID, false), (change.toOwnerID, true)] where !rep.isEmpty {
            events.append((try StreamName(category: "user", id: rep), RepHoldings.entry(change, gained: gained)))
        }
        return Decision(events: events)
    }

    private func releaseWarned(_ event: CRMPoolReleaseWarned, at time: Date) throws -> Decision {
        let outcome = PoolDecisions.sweep(
            customer(event.customerID),
            activity: activity.customers[event.customerID] ?? CustomerActivity(),
            rules: poolRules.at(time),
            at: time
        )
        guard case .warn(let warning) = outcome else {
            throw ReplayError("the sweep at \(time) does not warn about customer \(event.customerID): \(outcome)")
        }
        return try on("customer", event.customerID, warning)
    }

    // MARK: - Opportunities, quotes and contracts

    private func opportunityOpened(_ event: CRMOpportunityOpened, at time: Date) throws -> Decision {
        var opportunity = OpportunityDecisions.NewOpportunity(name: event.name, amount: event.amount)
        opportunity.stageID = event.stageID
        if event.hasExpectedCloseAt { opportunity.expectedCloseAt = event.expectedCloseAt }
        let opened = try OpportunityDecisions.open(
            opportunity,
            id: event.opportunityID,
            customer: customer(event.customerID),
            pipeline: pipeline.at(time)
        )
        return try on("opportunity", event.opportunityID, opened)
    }

    private func productAdded(_ event: CRMProductAdded) throws -> Decision {
        let stream = try StreamName(category: "product", id: event.productID)
        let added = try ProductDecisions.add(
            id: event.productID,
            sku: event.sku,
            name: event.name,
            price: event.price,
            cost: event.cost,
            unit: event.unit
        )
        return Decision(events: [(stream, added)], reserving: [("sku:\(added.sku)", stream)])
    }

    /// The quote over its lines priced again from the product list.
    private func quoteCreated(_ event: CRMQuoteCreated, context: CommandContext) throws -> Decision {
        let lines = try event.lines.map { line in
            let request = Pricing.LineRequest(
                productID: line.productID,
                quantity: line.quantity,
                discountBasisPoints: line.discountBasisPoints
            )
            return try Pricing.price(request, of: product(line.productID))
        }
        let quote = try QuoteDecisions.create(
            id: event.quoteID,
            customer: customer(event.customerID),
            opportunityID: event.opportunityID,
            lines: lines,
            validUntil: event.validUntil.date,
            context: context
        )
        return try on("quote", event.quoteID, quote)
    }

    /// A contract from its accepted quote (a quote has one contract), or from its own lines.
    private func contractDrafted(_ event: CRMContractDrafted, at time: Date) throws -> Decision {
        let fromQuote = !event.quoteID.isEmpty
        let drafted = try ContractDecisions.draft(
            id: event.contractID,
            customer: customer(event.customerID),
            opportunityID: event.opportunityID,
            quote: fromQuote ? quote(event.quoteID) : nil,
            lines: fromQuote ? [] : event.lines,
            policy: approvalPolicy.at(time)
        )
        let stream = try StreamName(category: "contract", id: event.contractID)
        return Decision(
            events: [(stream, drafted)],
            reserving: fromQuote ? [("contract-of-quote:\(event.quoteID)", stream)] : []
        )
    }

    /// A decision on a contract by the acting user, who approves for its owner.
    private func contractDecided(
        _ contractID: String,
        context: CommandContext,
        _ decide: (ContractState, UserState, UserState) throws(DomainError) -> any SwiftProtobuf.Message
    ) throws -> Decision {
        let contract = self.contract(contractID)
        return try on("contract", contractID, decide(contract, user(context.actor), user(contract.drafted.ownerID)))
    }

    // MARK: - Receivables

    private func instalmentsScheduled(_ event: CRMInstalmentsScheduled) throws -> Decision {
        let instalments = event.instalments.map {
            ReceivableDecisions.NewInstalment(dueAt: $0.dueAt.date, amount: $0.amount)
        }
        return try on(
            "contract",
            event.contractID,
            ReceivableDecisions.schedule(contract(event.contractID), instalments)
        )
    }

    /// The payment received by the acting clerk, and the commission on it at the rate in force.
    private func paymentReceived(_ event: CRMPaymentReceived, context: CommandContext) throws -> Decision {
        let payment = try ReceivableDecisions.receivePayment(
            contract(event.contractID),
            paymentID: event.paymentID,
            amount: event.amount,
            method: event.method,
            clerkID: context.actor,
            commissionRateBasisPoints: commissionRate.at(context.occurredAt)
        )
        let stream = try StreamName(category: "contract", id: event.contractID)
        return Decision(events: [(stream, payment.received)] + (payment.commission.map { [(stream, $0)] } ?? []))
    }

    // MARK: - Inventory

    private func shipmentDispatched(_ event: CRMShipmentDispatched) throws -> Decision {
        let units = event.lines.map { InventoryDecisions.Units(productID: $0.productID, quantity: $0.quantity) }
        let (shipment, changes) = try InventoryDecisions.ship(
            id: event.shipmentID,
            contract(event.contractID),
            units,
            stock: stock
        )
        return Decision(
            events: [(try StreamName(category: "contract", id: event.contractID), shipment)]
                + (try stockEvents(changes))
        )
    }

    private func purchaseOrdered(_ event: CRMPurchaseOrdered) throws -> Decision {
        let lines = event.lines.map { (product: product($0.productID), quantity: $0.quantity) }
        return try on(
            "purchase",
            event.purchaseOrderID,
            InventoryDecisions.order(id: event.purchaseOrderID, from: supplier(event.supplierID), lines: lines)
        )
    }

    private func goodsReceived(_ event: CRMGoodsReceived) throws -> Decision {
        let units = event.lines.map { InventoryDecisions.Units(productID: $0.productID, quantity: $0.quantity) }
        let (receipt, changes) = try InventoryDecisions.receive(
            purchaseOrder(event.purchaseOrderID),
            units,
            stock: stock
        )
        return Decision(
            events: [(try StreamName(category: "purchase", id: event.purchaseOrderID), receipt)]
                + (try stockEvents(changes))
        )
    }

    private func stockEvents(_ changes: [CRMStockChanged]) throws -> [Appended] {
        try changes.map { (try StreamName(category: "stock", id: $0.productID), $0) }
    }

    // MARK: - Helpers

    /// One event on the stream `category-id`.
    private func on(_ category: String, _ id: String, _ message: any SwiftProtobuf.Message) throws -> Decision {
        Decision(events: [(try StreamName(category: category, id: id), message)])
    }

    // The folded states by id; one never seen is absent, and the decisions refuse it.
    func user(_ id: String) -> UserState { users[id] ?? UserState(userID: id) }
    func team(_ id: String) -> TeamState { teams[id] ?? TeamState(teamID: id) }
    func customer(_ id: String) -> CustomerState { customers[id] ?? CustomerState(customerID: id) }
    func lead(_ id: String) -> LeadState { leads[id] ?? LeadState(leadID: id) }
    func opportunity(_ id: String) -> OpportunityState { opportunities[id] ?? OpportunityState(opportunityID: id) }
    func quote(_ id: String) -> QuoteState { quotes[id] ?? QuoteState(quoteID: id) }
    func contract(_ id: String) -> ContractState { contracts[id] ?? ContractState(contractID: id) }
    func product(_ id: String) -> ProductState { products[id] ?? ProductState(productID: id) }
    func supplier(_ id: String) -> SupplierState { suppliers[id] ?? SupplierState(supplierID: id) }
    func purchaseOrder(_ id: String) -> PurchaseOrderState {
        purchaseOrders[id] ?? PurchaseOrderState(purchaseOrderID: id)
    }
    func workOrder(_ id: String) -> WorkOrderState { workOrders[id] ?? WorkOrderState(workOrderID: id) }
    func complaint(_ id: String) -> ComplaintState { complaints[id] ?? ComplaintState(complaintID: id) }
    func campaign(_ id: String) -> CampaignState { campaigns[id] ?? CampaignState(campaignID: id) }
}
