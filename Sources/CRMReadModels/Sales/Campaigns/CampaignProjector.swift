import CRMDomain
import CRMSchema
import EventStore
public import Projections
import SwiftProtobuf

/// Campaign effect: per campaign, its plan (segment, channel, budget, dates), the responses,
/// the leads it brought, how many became customers, and what those customers bought and paid.
///
/// Tables:
/// - `campaigns`, campaign id → ``CampaignRow``.
/// - `leads`, `customers`, `contracts`: id → ``CampaignLink``, the campaign each campaign lead,
///   converted customer and their contracts belong to; other leads and customers are not
///   stored.
///
/// Rules: a lead is the campaign's when created with its id; a conversion is such a lead's
/// `LeadConverted`; revenue is the amount of the converted customers' contracts once binding
/// (at once when no approval is needed, or on the last approval); collected is their payments
/// less the refunds paid on those contracts.
public final class CampaignProjector: Projector {
    /// The read model's name, which its rows and checkpoint are stored under.
    public static let name = "campaigns"
    /// The projection logic's version: changing it rebuilds the read model.
    public static let version: UInt32 = 1
    /// The events the read model reads.
    public static let eventTypes: Set<String> = [
        CRMCampaignLaunched.protoMessageName,
        CRMCampaignResponded.protoMessageName,
        CRMLeadCreated.protoMessageName,
        CRMLeadConverted.protoMessageName,
        CRMContractDrafted.protoMessageName,
        CRMContractApproved.protoMessageName,
        CRMContractRejected.protoMessageName,
        CRMPaymentReceived.protoMessageName,
        CRMRefundPaid.protoMessageName,
    ]

    let campaigns = ReadModelTable<CampaignRow>("campaigns")
    let leads = ReadModelTable<CampaignLink>("leads")
    let customers = ReadModelTable<CampaignLink>("customers")
    let contracts = ReadModelTable<CampaignLink>("contracts")

    /// No campaigns.
    public init() {}

    /// The tables holding the read model's state.
    public var tables: [any ReadModelTableProtocol] { [campaigns, leads, customers, contracts] }

    /// Applies one event to the tables.
    public func apply(_ event: CRMEvent) throws {
        // The most frequent events first: each case tried is a dynamic cast.
        switch event.payload {
        case let created as CRMLeadCreated:
            guard !created.campaignID.isEmpty else { return }
            leads[created.leadID] = CampaignLink(campaign: created.campaignID)
            campaigns.update(created.campaignID, default: CampaignRow()) { $0.leads += 1 }
        case let converted as CRMLeadConverted:
            guard let link = leads[converted.leadID] else { return }
            leads[converted.leadID] = nil
            customers[converted.customerID] = CampaignLink(campaign: link.campaign)
            campaigns.update(link.campaign, default: CampaignRow()) { $0.conversions += 1 }
        case let responded as CRMCampaignResponded:
            campaigns.update(responded.campaignID, default: CampaignRow()) { row in
                row.responses += 1
                row.responsesByKind[responded.response, default: 0] += 1
                if responded.leadID.isEmpty { row.customerResponses += 1 } else { row.leadResponses += 1 }
            }
        case let drafted as CRMContractDrafted:
            guard let link = customers[drafted.customerID] else { return }
            let contract = CampaignLink(
                campaign: link.campaign,
                amount: drafted.amount.minorUnits,
                currency: drafted.amount.currency
            )
            contracts[drafted.contractID] = contract
            if drafted.approvalChain.isEmpty { bind(drafted.contractID, contract) }
        case let approved as CRMContractApproved:
            guard approved.binding, let contract = contracts[approved.contractID], !contract.binding else { return }
            bind(approved.contractID, contract)
        case let rejected as CRMContractRejected:
            if contracts.contains(rejected.contractID) { contracts[rejected.contractID] = nil }
        case let payment as CRMPaymentReceived:
            guard let link = customers[payment.customerID] else { return }
            campaigns.update(link.campaign, default: CampaignRow()) { row in
                row.collected[payment.amount.currency, default: 0].saturatingIncrement(by: payment.amount.minorUnits)
            }
        case let refund as CRMRefundPaid:
            guard let contract = contracts[refund.contractID] else { return }
            campaigns.update(contract.campaign, default: CampaignRow()) { row in
                row.collected[refund.amount.currency, default: 0].saturatingDecrement(by: refund.amount.minorUnits)
            }
        case let launched as CRMCampaignLaunched:
            campaigns.update(launched.campaignID, default: CampaignRow()) { row in
                row.launched = true
                (row.name, row.segment, row.channel) = (
                    launched.name, launched.targetSegment, Self.channel(launched.channel)
                )
                (row.budget, row.currency) = (launched.budget.minorUnits, launched.budget.currency)
                row.launchedAt = event.occurredAt.nanosecondsSinceEpoch
                row.endsAt = launched.endsAt.seconds.saturatingMultiply(1_000_000_000).saturatingAdd(
                    Int64(launched.endsAt.nanos)
                )
            }
        default:
            break
        }
    }

    /// A converted customer's contract became binding: its amount is the campaign's revenue.
    /// The link stays, for the refunds paid on it.
    private func bind(_ contractID: String, _ contract: CampaignLink) {
        contracts[contractID]?.binding = true
        campaigns.update(contract.campaign, default: CampaignRow()) { row in
            row.contracts += 1
            row.contracted[contract.currency, default: 0].saturatingIncrement(by: contract.amount)
        }
    }

    /// The channel's name, as the reports show it.
    static func channel(_ channel: CRMCampaignChannel) -> String {
        switch channel {
        case .email: "email"
        case .sms: "sms"
        case .event: "event"
        case .web: "web"
        case .social: "social"
        case .phone: "phone"
        default: "unspecified"
        }
    }
}
