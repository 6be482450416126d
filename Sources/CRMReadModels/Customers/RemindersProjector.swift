import CRMDomain
import CRMSchema
import EventStore
public import Projections

/// Folds the log into what a rep must be reminded of about each customer: the next contact
/// planned, the last order, contacts' birthdays, the pool sweep's warning and unpaid
/// instalments.
///
/// Rows sit under the customer's id, so most events change one row; a rep's customers are
/// listed in `byOwner`, which only a change of owner touches.
///
/// Tables:
/// - `customers`: customer id → ``ReminderCustomerRow``;
/// - `byOwner`: `owner|customer` → `true`, for every customer a rep owns;
/// - `contractCustomer`: contract id → customer id.
public final class RemindersProjector: Projector {
    public static let name = "reminders"
    public static let version: UInt32 = 1
    public static let eventTypes: Set<String> = [
        CRMCustomerCreated.protoMessageName, CRMCustomerProfileUpdated.protoMessageName,
        CRMContactAdded.protoMessageName, CRMContactUpdated.protoMessageName,
        CRMCustomerOwnershipChanged.protoMessageName, CRMPoolReleaseWarned.protoMessageName,
        CRMFollowUpLogged.protoMessageName, CRMContractDrafted.protoMessageName, CRMContractApproved.protoMessageName,
        CRMInstalmentsScheduled.protoMessageName, CRMPaymentReceived.protoMessageName,
    ]

    let customers = ReadModelTable<ReminderCustomerRow>("customers")
    let byOwner = ReadModelTable<Bool>("byOwner")
    let contractCustomer = ReadModelTable<String>("contractCustomer")

    public init() {}

    public var tables: [any ReadModelTableProtocol] { [customers, byOwner, contractCustomer] }

    public func apply(_ event: CRMEvent) throws {
        let at = event.occurredAt.nanosecondsSinceEpoch
        // The cases run in order, one dynamic cast each: the most frequent come first.
        switch event.payload {
        case let followUp as CRMFollowUpLogged:
            change(followUp.customerID) { row in
                row.plan.record(
                    at: at,
                    nextContact: followUp.hasNextContactAt ? CustomerTime.nanoseconds(followUp.nextContactAt) : nil
                )
                if let warning = row.warning, at >= warning.warnedAt { row.warning = nil }
            }
        case let change as CRMCustomerOwnershipChanged:
            var from: String?
            customers.update(change.customerID, default: .unknown) { row in
                guard row.exists else { return }
                from = row.owner
                row.owner = change.toOwnerID
                row.warning = nil
            }
            guard let from else { return }
            if !from.isEmpty { byOwner[Self.key(from, change.customerID)] = nil }
            if !change.toOwnerID.isEmpty { byOwner[Self.key(change.toOwnerID, change.customerID)] = true }
        case let warning as CRMPoolReleaseWarned:
            change(warning.customerID) { row in
                guard row.owner == warning.ownerID else { return }
                row.warning = Customer360.ReleaseWarning(
                    owner: warning.ownerID,
                    releaseDueAt: CustomerTime.nanoseconds(warning.releaseDueAt),
                    idleDays: Int(warning.idleDays),
                    warnedAt: at
                )
            }
        case let created as CRMCustomerCreated:
            customers[created.customerID] = ReminderCustomerRow(
                customerID: created.customerID,
                name: created.name,
                owner: created.ownerID,
                createdAt: at
            )
            if !created.ownerID.isEmpty { byOwner[Self.key(created.ownerID, created.customerID)] = true }
        case let updated as CRMCustomerProfileUpdated where updated.changedFields.contains("name"):
            change(updated.customerID) { $0.name = updated.name }
        case let added as CRMContactAdded:
            change(added.customerID) { row in
                row.contacts.append(
                    ReminderContact(
                        contactID: added.contactID,
                        name: added.name,
                        month: Int(added.birthday.month),
                        day: Int(added.birthday.day)
                    )
                )
            }
        case let updated as CRMContactUpdated:
            change(updated.customerID) { row in
                guard let index = row.contacts.firstIndex(where: { $0.contactID == updated.contactID }) else { return }
                if updated.changedFields.contains("name") { row.contacts[index].name = updated.name }
                if updated.changedFields.contains("birthday") {
                    row.contacts[index].month = Int(updated.birthday.month)
                    row.contacts[index].day = Int(updated.birthday.day)
                }
            }
        case let drafted as CRMContractDrafted:
            contractCustomer[drafted.contractID] = drafted.customerID
            if drafted.approvalChain.isEmpty { ordered(drafted.customerID, at: at) }
        case let approved as CRMContractApproved where approved.binding:
            if let customerID = contractCustomer[approved.contractID] { ordered(customerID, at: at) }
        case let plan as CRMInstalmentsScheduled:
            guard let customerID = contractCustomer[plan.contractID] else { return }
            change(customerID) { row in
                for instalment in plan.instalments {
                    row.instalments.append(
                        ReminderInstalment(
                            contractID: plan.contractID,
                            number: Int(instalment.number),
                            dueAt: CustomerTime.nanoseconds(instalment.dueAt),
                            amount: instalment.amount.minorUnits,
                            collected: 0,
                            currency: instalment.amount.currency
                        )
                    )
                }
            }
        case let payment as CRMPaymentReceived:
            guard let customerID = contractCustomer[payment.contractID] else { return }
            change(customerID) { row in
                for allocation in payment.allocations {
                    guard
                        let index = row.instalments.firstIndex(where: {
                            $0.contractID == payment.contractID && $0.number == Int(allocation.instalmentNumber)
                        })
                    else { continue }
                    row.instalments[index].collected.saturatingIncrement(by: allocation.amount.minorUnits)
                    if row.instalments[index].collected >= row.instalments[index].amount {
                        row.instalments.remove(at: index)
                    }
                }
            }
        default:
            break
        }
    }

    /// A contract of the customer became binding at `at`.
    private func ordered(_ customerID: String, at: Int64) {
        change(customerID) { $0.lastOrderAt = max($0.lastOrderAt ?? at, at) }
    }

    /// Changes the row of a known customer.
    private func change(_ customerID: String, _ body: (inout ReminderCustomerRow) -> Void) {
        customers.update(customerID, default: .unknown) { row in
            guard row.exists else { return }
            body(&row)
        }
    }

    /// The key of a customer in its owner's list.
    static func key(_ owner: String, _ customerID: String) -> String { owner + "|" + customerID }
}
