public import CRMSchema
import Foundation
public import SwiftProtobuf

/// One lead, folded from its stream.
public struct LeadState: Sendable, Hashable {
    /// Where a lead is in its life.
    public enum Status: String, Sendable, Hashable {
        /// Not created yet.
        case absent
        /// Created, possibly assigned, not yet judged.
        case open
        /// Judged worth pursuing; ready to convert.
        case qualified
        /// Judged not worth pursuing, with a reason. Closed.
        case disqualified
        /// Turned into a customer, contact and opportunity. Closed.
        case converted
    }

    /// The lead's id.
    public var leadID: String
    /// Where the lead is.
    public var status = Status.absent
    /// The assigned rep; empty when unassigned.
    public var ownerID = ""
    /// The lead as created, for conversion.
    public var created = CRMLeadCreated()
    /// The customer it became, once converted.
    public var customerID = ""

    /// A lead not seen yet.
    public init(leadID: String) {
        self.leadID = leadID
    }

    /// Whether the lead takes no more changes.
    public var isClosed: Bool { status == .converted || status == .disqualified }

    /// Folds one event of the lead's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        switch event {
        case let created as CRMLeadCreated:
            self.created = created
            status = .open
            ownerID = created.ownerID
        case let assigned as CRMLeadAssigned:
            ownerID = assigned.toOwnerID
        case is CRMLeadQualified:
            status = .qualified
        case is CRMLeadDisqualified:
            status = .disqualified
        case let converted as CRMLeadConverted:
            status = .converted
            customerID = converted.customerID
        default:
            break
        }
    }
}
