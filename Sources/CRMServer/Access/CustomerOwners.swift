import CRMSchema
import EventStore

/// Who holds each customer as the log says now, for the scope checks of commands: exact to the
/// last commit, where the customer 360 read model may trail the log by a batch, and one
/// dictionary look-up instead of reading and decoding the customer's row.
final class CustomerOwners: Sendable {
    /// Where a customer is.
    enum Holding: Equatable {
        case pool
        case owner(String)

        /// The owner, `nil` in the pool.
        var owner: String? {
            if case .owner(let id) = self { id } else { nil }
        }
    }

    private let holdings: TypeIndexFold<[String: Holding]>

    /// The owners of the customers in `log`.
    init(log: LMDBEventLog) {
        holdings = TypeIndexFold(log: log, types: ["crm.v1.CustomerCreated", "crm.v1.CustomerOwnershipChanged"], initial: [:]) { holdings, _, message in
            switch message {
            case let created as CRMCustomerCreated:
                holdings[created.customerID] = created.ownerID.isEmpty ? .pool : .owner(created.ownerID)
            case let change as CRMCustomerOwnershipChanged:
                holdings[change.customerID] = change.toOwnerID.isEmpty ? .pool : .owner(change.toOwnerID)
            default:
                break
            }
        }
    }

    /// Where the customer `id` is as of the log's head; `nil` when the log has never seen it.
    func holding(of id: String) throws -> Holding? {
        try holdings.withCurrent { $0[id] }
    }
}
