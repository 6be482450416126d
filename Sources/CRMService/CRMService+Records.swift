import CRMSchema
import EventStore

/// A record that belongs to one customer, named by its id: what a caller checks its right
/// to act on the customer for before acting on the record.
public enum CustomerRecord: Sendable, Hashable {
    case opportunity(String)
    case quote(String)
    case contract(String)
    case workOrder(String)
    case complaint(String)
}

extension CRMService {
    /// The customer `record` belongs to, as the event that created it says (a record never
    /// changes customer); `nil` when there is no such record.
    ///
    /// One read of the record's first event, not a fold of its stream.
    public func customerID(of record: CustomerRecord) async throws -> String? {
        let stream: StreamName =
            switch record {
            case .opportunity(let id): try opportunityStream(id)
            case .quote(let id): try quoteStream(id)
            case .contract(let id): try contractStream(id)
            case .workOrder(let id): try workOrderStream(id)
            case .complaint(let id): try complaintStream(id)
            }
        guard let first = try await log.readStream(stream, from: 0, direction: .forward, limit: 1).first else {
            return nil
        }
        switch try decode(first) {
        case let opened as CRMOpportunityOpened: return opened.customerID
        case let created as CRMQuoteCreated: return created.customerID
        case let drafted as CRMContractDrafted: return drafted.customerID
        case let opened as CRMWorkOrderOpened: return opened.customerID
        case let filed as CRMComplaintFiled: return filed.customerID
        default: return nil
        }
    }
}
