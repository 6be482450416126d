import CRMDomain
import CRMSchema
import Foundation
import SwiftProtobuf

/// After-sales service and the costs of doing business.
extension WorkloadGenerator {
    func openWorkOrder(for contract: ContractState) async throws {
        guard let customer = customers[contract.drafted.customerID] else { return }
        let workOrderID = random.id(at: now)
        let title = random.pick([
            "Installation check", "Pump vibrates", "Sensor reads high", "Login problems", "Data import help",
        ])
        guard
            let opened = decided({
                try ServiceDecisions.openWorkOrder(
                    id: workOrderID,
                    customer: customer,
                    contractID: contract.contractID,
                    title: title,
                    description: ""
                )
            })
        else { return }
        try await commit(try stream("workorder", workOrderID), opened, actor: "support")
        schedule(.workOrderStep(workOrderID), inBusinessDays: 1)
    }

    /// A work order's next step: assigned, resolved, closed, then the customer's survey.
    func workOrderStep(_ workOrderID: String) async throws {
        let workOrder = workOrders[workOrderID]!
        let stream = try stream("workorder", workOrderID)
        switch workOrder.status {
        case .open where workOrder.assigneeID.isEmpty:
            guard let engineer = activeReps.randomElement(using: &random),
                let assigned = decided({ try ServiceDecisions.assign(workOrder, to: users[engineer]!) })
            else { return }
            try await commit(stream, assigned, actor: "support")
        case .open:
            guard
                let resolved = decided({
                    try ServiceDecisions.resolve(
                        workOrder,
                        resolution: random.pick([
                            "part replaced", "settings corrected", "user trained", "firmware updated",
                        ])
                    )
                })
            else { return }
            try await commit(stream, resolved, actor: workOrder.assigneeID)
        case .resolved:
            guard let closed = decided({ try ServiceDecisions.close(workOrder) }) else { return }
            try await commit(stream, closed, actor: "support")
            if random.chance(0.7), let customer = customers[workOrder.customerID],
                let survey = decided({
                    try ServiceDecisions.survey(
                        id: random.id(at: now),
                        customer: customer,
                        workOrderID: workOrderID,
                        score: Int32(random.pick([5, 5, 4, 4, 4, 3, 2, 1])),
                        comment: ""
                    )
                })
            {
                try await commit(try self.stream("customer", workOrder.customerID), survey, actor: "support")
            }
            return
        default:
            return
        }
        schedule(.workOrderStep(workOrderID), inBusinessDays: random.int(1...4))
    }

    func fileComplaint(_ customerID: String) async throws {
        let complaintID = random.id(at: now)
        guard let customer = customers[customerID],
            let filed = decided({
                try ServiceDecisions.fileComplaint(
                    id: complaintID,
                    customer: customer,
                    category: random.pick(["delivery", "quality", "billing", "service"]),
                    description: ""
                )
            })
        else { return }
        try await commit(try stream("complaint", complaintID), filed, actor: "support")
        schedule(.resolveComplaint(complaintID), inBusinessDays: random.int(2...10))
    }

    func resolveComplaint(_ complaintID: String) async throws {
        let causes = [
            "late delivery by the carrier", "defective batch", "invoice sent to the wrong address", "slow response",
        ]
        guard
            let resolved = decided({
                try ServiceDecisions.resolveComplaint(
                    complaints[complaintID]!,
                    rootCause: random.pick(causes),
                    resolution: "apologised and corrected"
                )
            })
        else { return }
        try await commit(try stream("complaint", complaintID), resolved, actor: "support")
    }

    /// About one rep in ten records an expense each business day.
    func expenses() async throws {
        for rep in activeReps where random.chance(0.1) {
            tick()
            let (category, item, yuan) = random.pick([
                ("travel", "train ticket", 350), ("travel", "hotel", 480), ("entertainment", "client dinner", 900),
                ("office", "printing", 120),
            ])
            let expenseID = random.id(at: now)
            let expense = try InventoryDecisions.recordExpense(
                id: expenseID,
                category: category,
                item: item,
                amount: CRMMoney(minorUnits: Int64(yuan) * 100, currency: "CNY"),
                clerkID: rep,
                customerID: ""
            )
            try await commit(try stream("expense", expenseID), expense, actor: rep)
        }
    }
}
