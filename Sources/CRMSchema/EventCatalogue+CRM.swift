import Foundation
import SwiftProtobuf

extension EventCatalogue {
    /// Every event of the CRM, at its current schema version.
    public static let crm = EventCatalogue([
        // Users and teams
        .current(CRMTeamCreated.self),
        .current(CRMUserAdded.self),
        .current(CRMUserMovedToTeam.self),
        .current(CRMUserRoleChanged.self),
        .current(CRMUserDeactivated.self),
        // Business settings
        .current(CRMPipelineConfigured.self),
        .current(CRMPoolRulesConfigured.self),
        .current(CRMApprovalPolicyConfigured.self),
        .current(CRMCommissionRateConfigured.self),
        .current(CRMLeadPriorityConfigured.self),
        // Leads
        .current(CRMLeadCreated.self),
        .current(CRMLeadAssigned.self),
        .current(CRMLeadFollowedUp.self),
        .current(CRMLeadQualified.self),
        .current(CRMLeadDisqualified.self),
        .current(CRMLeadConverted.self),
        // Customers and contacts
        .current(CRMCustomerCreated.self),
        .current(CRMCustomerProfileUpdated.self),
        .current(CRMCustomerTagged.self),
        .current(CRMContactAdded.self),
        .current(CRMContactUpdated.self),
        // Public pool and ownership
        .current(CRMCustomerOwnershipChanged.self),
        .current(CRMPoolReleaseWarned.self),
        .current(CRMRepHoldingChanged.self),
        // Follow-ups: version 2 replaced free-text channels and date strings.
        Entry(
            typeName: CRMFollowUpLogged.protoMessageName,
            currentVersion: 2,
            messageType: CRMFollowUpLogged.self,
            upcasters: [
                1: { payload in CRMFollowUpLogged(upcasting: try CRMFollowUpLoggedV1(serializedBytes: payload)) }
            ]
        ),
        // Opportunities
        .current(CRMOpportunityOpened.self),
        .current(CRMOpportunityStageChanged.self),
        .current(CRMOpportunityWon.self),
        .current(CRMOpportunityLost.self),
        .current(CRMOpportunityReopened.self),
        // Products and quotes
        .current(CRMProductAdded.self),
        .current(CRMProductPriceChanged.self),
        .current(CRMQuoteCreated.self),
        .current(CRMQuoteAccepted.self),
        .current(CRMQuoteRejected.self),
        // Contracts
        .current(CRMContractDrafted.self),
        .current(CRMContractApproved.self),
        .current(CRMContractRejected.self),
        // Receivables and commission
        .current(CRMInstalmentsScheduled.self),
        .current(CRMPaymentReceived.self),
        .current(CRMCommissionEarned.self),
        .current(CRMInvoiceRequested.self),
        .current(CRMInvoiceIssued.self),
        .current(CRMRefundRequested.self),
        .current(CRMRefundApproved.self),
        .current(CRMRefundRejected.self),
        .current(CRMReturnedGoodsReceived.self),
        .current(CRMRefundPaid.self),
        // Service
        .current(CRMWorkOrderOpened.self),
        .current(CRMWorkOrderAssigned.self),
        .current(CRMWorkOrderResolved.self),
        .current(CRMWorkOrderClosed.self),
        .current(CRMComplaintFiled.self),
        .current(CRMComplaintResolved.self),
        .current(CRMSatisfactionSurveyed.self),
        // Campaigns and targets
        .current(CRMCampaignLaunched.self),
        .current(CRMCampaignResponded.self),
        .current(CRMSalesTargetSet.self),
        // Inventory, payables and expenses
        .current(CRMSupplierAdded.self),
        .current(CRMPurchaseOrdered.self),
        .current(CRMGoodsReceived.self),
        .current(CRMShipmentDispatched.self),
        .current(CRMStockChanged.self),
        .current(CRMSupplierBillReceived.self),
        .current(CRMSupplierPaid.self),
        .current(CRMExpenseRecorded.self),
    ])
}

extension CRMFollowUpLogged {
    /// The version-2 form of a version-1 follow-up.
    ///
    /// Version 1 kept the channel as the rep typed it and the next contact as a date; the
    /// channel is matched on the words reps used, and the date becomes 09:00 China time
    /// (UTC+8), the start of the business day the CRM was first used in.
    init(upcasting old: CRMFollowUpLoggedV1) {
        self.init()
        followUpID = old.followUpID
        customerID = old.customerID
        contactID = old.contactID
        note = old.note
        channel = Self.channel(named: old.channel)
        if let nextContact = Self.businessMorning(of: old.nextContactDate) { nextContactAt = nextContact }
    }

    static func channel(named name: String) -> CRMFollowUpChannel {
        switch name.trimmingCharacters(in: .whitespaces).lowercased() {
        case "call", "phone", "telephone", "电话": .call
        case "visit", "meeting", "拜访", "上门": .visit
        case "email", "mail", "e-mail", "邮件": .email
        case "im", "wechat", "weixin", "qq", "微信": .im
        default: .unspecified
        }
    }

    /// 09:00 at UTC+8 on a `YYYY-MM-DD` date; `nil` when the text is not such a date.
    static func businessMorning(of date: String) -> Google_Protobuf_Timestamp? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var components = DateComponents()
        components.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        (components.year, components.month, components.day, components.hour) = (parts[0], parts[1], parts[2], 9)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = components.timeZone!
        guard let instant = calendar.date(from: components),
            calendar.component(.day, from: instant) == parts[2]
        else { return nil }
        return Google_Protobuf_Timestamp(date: instant)
    }
}
