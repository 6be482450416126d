import CRMDomain
import CRMSchema
public import Projections

/// The sales read model (`sales`): signed contract amounts and collected payments per month,
/// by rep, customer region, product and team, and the sales targets.
///
/// A contract counts as signed on the business day it became binding (its last approval, or
/// its drafting when it needed none), for its full amount, in that month. Its payments count
/// in the month each was received, for the whole amount received (credit included). Both go
/// to the contract's owner and to the region and team at signing. A payment is shared between
/// the contract's products in proportion to their line totals, with ``FinanceMath/split(_:by:)``
/// so the shares add up exactly. Refunds are not netted here (see the receivables and finance
/// read models).
///
/// Tables:
/// - `cells`: `month|dimension|value|currency` → ``SalesCellRow`` (dimension `rep`, `region`,
///   `product` or `team`);
/// - `targets`: `period|rep|id` or `period|team|id` → the target as last set;
/// - `contracts`, `customer-regions`, `user-teams`: what attributing a sale needs.
public final class SalesProjector: Projector {
    /// The read model's name.
    public static let name = "sales"
    /// Version 1: the first layout.
    public static let version: UInt32 = 1
    /// Contracts, payments, targets, and the customers' regions and reps' teams.
    public static let eventTypes: Set<String> = [
        CRMContractDrafted.protoMessageName, CRMContractApproved.protoMessageName, CRMContractRejected.protoMessageName,
        CRMPaymentReceived.protoMessageName, CRMSalesTargetSet.protoMessageName,
        CRMCustomerCreated.protoMessageName, CRMCustomerProfileUpdated.protoMessageName,
        CRMUserAdded.protoMessageName, CRMUserMovedToTeam.protoMessageName,
    ]

    let cells = ReadModelTable<SalesCellRow>("cells")
    let targets = ReadModelTable<SalesTargetRow>("targets")
    let contracts = ReadModelTable<SalesContractRow>("contracts")
    let regions = ReadModelTable<SalesRegionRow>("customer-regions")
    let teams = ReadModelTable<SalesTeamRow>("user-teams")

    /// An empty read model.
    public init() {}

    /// The projector's tables.
    public var tables: [any ReadModelTableProtocol] { [cells, targets, contracts, regions, teams] }

    /// Folds one event.
    public func apply(_ event: CRMEvent) throws {
        // The most frequent events first: each failed cast costs a little.
        switch event.payload {
        case let created as CRMCustomerCreated:
            regions[created.customerID] = SalesRegionRow(region: created.region)
        case let updated as CRMCustomerProfileUpdated where updated.changedFields.contains("region"):
            regions[updated.customerID] = SalesRegionRow(region: updated.region)
        case let payment as CRMPaymentReceived:
            collect(payment, event)
        case let added as CRMUserAdded:
            teams[added.userID] = SalesTeamRow(team: added.teamID)
        case let moved as CRMUserMovedToTeam:
            teams[moved.userID] = SalesTeamRow(team: moved.toTeamID)
        case let drafted as CRMContractDrafted:
            var lines: [SalesContractRow.Line] = []
            for line in drafted.lines {
                if let index = lines.firstIndex(where: { $0.productID == line.productID }) {
                    lines[index].total.saturatingIncrement(by: line.lineTotal.minorUnits)
                } else {
                    lines.append(
                        .init(
                            productID: line.productID,
                            productName: line.productName,
                            total: line.lineTotal.minorUnits
                        )
                    )
                }
            }
            contracts[drafted.contractID] = SalesContractRow(
                ownerID: drafted.ownerID,
                customerID: drafted.customerID,
                currency: drafted.amount.currency,
                amount: drafted.amount.minorUnits,
                lines: lines
            )
            if drafted.approvalChain.isEmpty { sign(drafted.contractID, event) }
        case let approved as CRMContractApproved where approved.binding:
            sign(approved.contractID, event)
        case let rejected as CRMContractRejected:
            // A rejected contract never signs nor collects.
            contracts[rejected.contractID] = nil
        case let target as CRMSalesTargetSet:
            let (kind, id) = target.repID.isEmpty ? ("team", target.teamID) : ("rep", target.repID)
            targets[FinanceKey.join(target.period, kind, id)] = SalesTargetRow(
                period: target.period,
                holderKind: kind,
                holderID: id,
                currency: target.amount.currency,
                amount: target.amount.minorUnits
            )
        default:
            break
        }
    }

    private func sign(_ contractID: String, _ event: CRMEvent) {
        guard var contract = contracts[contractID], contract.signed == nil else { return }
        let attribution = SalesContractRow.Attribution(
            region: regions[contract.customerID]?.region ?? "",
            team: teams[contract.ownerID]?.team ?? ""
        )
        contract.signed = attribution
        contracts[contractID] = contract
        let month = BusinessDay(event.occurredAt).month
        func add(_ dimension: String, _ value: String, label: String = "", _ amount: Int64) {
            cells.update(
                FinanceKey.join(month, dimension, value, contract.currency),
                default: SalesCellRow(
                    month: month,
                    dimension: dimension,
                    value: value,
                    label: label,
                    currency: contract.currency
                )
            ) {
                $0.signed.saturatingIncrement(by: amount)
                $0.contracts += 1
            }
        }
        add(SalesDimension.rep.rawValue, contract.ownerID, contract.amount)
        add(SalesDimension.region.rawValue, attribution.region, contract.amount)
        add(SalesDimension.team.rawValue, attribution.team, contract.amount)
        for line in contract.lines {
            add(SalesDimension.product.rawValue, line.productID, label: line.productName, line.total)
        }
    }

    private func collect(_ payment: CRMPaymentReceived, _ event: CRMEvent) {
        guard let contract = contracts[payment.contractID], let attribution = contract.signed else { return }
        let month = BusinessDay(event.occurredAt).month
        let currency = payment.amount.currency
        func add(_ dimension: String, _ value: String, label: String = "", _ amount: Int64) {
            cells.update(
                FinanceKey.join(month, dimension, value, currency),
                default: SalesCellRow(
                    month: month,
                    dimension: dimension,
                    value: value,
                    label: label,
                    currency: currency
                )
            ) {
                $0.collected.saturatingIncrement(by: amount)
                $0.payments += 1
            }
        }
        let amount = payment.amount.minorUnits
        add(SalesDimension.rep.rawValue, contract.ownerID, amount)
        add(SalesDimension.region.rawValue, attribution.region, amount)
        add(SalesDimension.team.rawValue, attribution.team, amount)
        let shares = FinanceMath.split(amount, by: contract.lines.map(\.total))
        for (line, share) in zip(contract.lines, shares) {
            add(SalesDimension.product.rawValue, line.productID, label: line.productName, share)
        }
    }
}
