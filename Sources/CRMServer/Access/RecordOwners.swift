import CRMSchema
import EventStore
import SwiftProtobuf

/// Who holds each customer, or each lead, as the log says now, for the scope checks of
/// commands: exact to the last commit, where the read models may trail the log by a batch,
/// and one dictionary look-up instead of reading and decoding a row.
final class RecordOwners: Sendable {
    /// Where a record is.
    enum Holding: Equatable {
        /// A customer in the public pool, or a lead not assigned to anyone.
        case unowned
        case owner(String)

        /// The owner, `nil` when unowned.
        var owner: String? {
            if case .owner(let id) = self { id } else { nil }
        }
    }

    private let holdings: TypeIndexFold<[String: Holding]>

    /// Folds `types` of `log`, each event giving a record's id and its owner (empty: unowned).
    private init(
        log: LMDBEventLog,
        types: [String],
        owner: @escaping @Sendable (any SwiftProtobuf.Message) -> (id: String, owner: String)?
    ) {
        holdings = TypeIndexFold(log: log, types: types, initial: [:]) { holdings, _, message in
            guard let (id, owner) = owner(message) else { return }
            holdings[id] = owner.isEmpty ? .unowned : .owner(owner)
        }
    }

    /// The owners of the customers in `log`: created with one or into the pool, then moved.
    static func customers(in log: LMDBEventLog) -> RecordOwners {
        RecordOwners(log: log, types: ["crm.v1.CustomerCreated", "crm.v1.CustomerOwnershipChanged"]) { message in
            switch message {
            case let created as CRMCustomerCreated: (created.customerID, created.ownerID)
            case let change as CRMCustomerOwnershipChanged: (change.customerID, change.toOwnerID)
            default: nil
            }
        }
    }

    /// The owners of the leads in `log`: created with one or unassigned, then assigned.
    static func leads(in log: LMDBEventLog) -> RecordOwners {
        RecordOwners(log: log, types: ["crm.v1.LeadCreated", "crm.v1.LeadAssigned"]) { message in
            switch message {
            case let created as CRMLeadCreated: (created.leadID, created.ownerID)
            case let assigned as CRMLeadAssigned: (assigned.leadID, assigned.toOwnerID)
            default: nil
            }
        }
    }

    /// Folds what was appended since the last look-up (every owner event, the first time).
    func catchUp() throws {
        try holdings.catchUp()
    }

    /// Where the record `id` is as of the log's head; `nil` when the log has never seen it.
    func holding(of id: String) throws -> Holding? {
        try holdings.withCurrent { $0[id] }
    }
}
