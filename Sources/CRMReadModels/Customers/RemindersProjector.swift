import CRMSchema
public import Projections

/// Folds the log into what a rep must be reminded of about each customer: the next contact
/// planned, the last order, contacts' birthdays, the pool sweep's warning and unpaid
/// instalments.
///
/// Rows sit under the owner's id (`owner|customer`; an empty owner for the pool), and move
/// when the owner changes, so a rep's reminders are one prefix read.
///
/// Tables:
/// - `customers`: `owner|customer` → ``ReminderCustomerRow``;
/// - `owners`: customer id → owner id (empty: the pool), to find a customer's row;
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
    let owners = ReadModelTable<String>("owners")
    let contractCustomer = ReadModelTable<String>("contractCustomer")

    public init() {}

    public var tables: [any ReadModelTableProtocol] { [customers, owners, contractCustomer] }

    public func apply(_ event: CRMEvent) throws {
        let at = event.occurredAt.nanosecondsSinceEpoch
        switch event.payload {
        case let created as CRMCustomerCreated:
            owners[created.customerID] = created.ownerID
            customers[Self.key(created.ownerID, created.customerID)] = ReminderCustomerRow(
                customerID: created.customerID, name: created.name, createdAt: at
            )
        case let updated as CRMCustomerProfileUpdated where updated.changedFields.contains("name"):
            change(updated.customerID) { $0.name = updated.name }
        case let added as CRMContactAdded:
            change(added.customerID) { row in
                row.contacts.append(
                    ReminderContact(
                        contactID: added.contactID, name: added.name,
                        month: Int(added.birthday.month), day: Int(added.birthday.day)
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
        case let change as CRMCustomerOwnershipChanged:
            guard let from = owners[change.customerID], var row = customers[Self.key(from, change.customerID)] else { return }
            customers[Self.key(from, change.customerID)] = nil
            row.warning = nil
            owners[change.customerID] = change.toOwnerID
            customers[Self.key(change.toOwnerID, change.customerID)] = row
        case let warning as CRMPoolReleaseWarned:
            guard owners[warning.customerID] == warning.ownerID else { return }
            change(warning.customerID) { row in
                row.warning = Customer360.ReleaseWarning(
                    owner: warning.ownerID, releaseDueAt: CustomerTime.nanoseconds(warning.releaseDueAt),
                    idleDays: Int(warning.idleDays), warnedAt: at
                )
            }
        case let followUp as CRMFollowUpLogged:
            change(followUp.customerID) { row in
                row.plan.record(at: at, nextContact: followUp.hasNextContactAt ? CustomerTime.nanoseconds(followUp.nextContactAt) : nil)
                if let warning = row.warning, at >= warning.warnedAt { row.warning = nil }
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
                            contractID: plan.contractID, number: Int(instalment.number),
                            dueAt: CustomerTime.nanoseconds(instalment.dueAt), amount: instalment.amount.minorUnits,
                            collected: 0, currency: instalment.amount.currency
                        )
                    )
                }
            }
        case let payment as CRMPaymentReceived:
            guard let customerID = contractCustomer[payment.contractID] else { return }
            change(customerID) { row in
                for allocation in payment.allocations {
                    guard let index = row.instalments.firstIndex(where: {
                        $0.contractID == payment.contractID && $0.number == Int(allocation.instalmentNumber)
                    }) else { continue }
                    row.instalments[index].collected += allocation.amount.minorUnits
                    if row.instalments[index].collected >= row.instalments[index].amount { row.instalments.remove(at: index) }
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

    /// Changes the row of a known customer, wherever its owner keeps it.
    private func change(_ customerID: String, _ body: (inout ReminderCustomerRow) -> Void) {
        guard let owner = owners[customerID] else { return }
        customers.updateIfPresent(Self.key(owner, customerID), body)
    }

    /// The key of a customer's row: its owner (empty for the pool), `|`, its id.
    static func key(_ owner: String, _ customerID: String) -> String { owner + "|" + customerID }
}
