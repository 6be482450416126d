import CRMSchema

/// What a token lets its holder do: the CRM user's role, or a service's.
public enum AccessRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Everything.
    case admin
    /// Acts on the customers of their team's reps.
    case manager
    /// Acts on their own customers and the public pool.
    case salesRep = "sales_rep"
    /// Receivables, payments, invoices and refunds.
    case finance
    /// Reads everything, the whole history included; changes nothing.
    case auditor
    /// Another service: reads and subscribes to the event stream only.
    case subscriber
    /// A service or operator bringing history in from another CRM or spreadsheets: sends every
    /// command an admin may send (with its original business times, back-dated as far as 1900), and reads no more than the
    /// business settings it needs to map that history.
    case migration

    /// The access role of a CRM user's role; `nil` for a user without one.
    init?(_ role: CRMRole) {
        switch role {
        case .admin: self = .admin
        case .manager: self = .manager
        case .salesRep: self = .salesRep
        case .finance: self = .finance
        case .auditor: self = .auditor
        default: return nil
        }
    }
}
