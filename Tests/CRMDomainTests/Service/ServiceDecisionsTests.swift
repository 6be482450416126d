import CRMDomain
import CRMSchema
import Foundation
import Testing

@Suite("After-sales service decisions")
struct ServiceDecisionsTests {
    // MARK: - Fixtures

    /// Work order `wo-1` for customer `c-1`, opened through the decision and folded.
    private func opened() throws -> WorkOrderState {
        var state = WorkOrderState(workOrderID: "wo-1")
        state.apply(
            try ServiceDecisions.openWorkOrder(
                id: "wo-1",
                customer: customer(),
                contractID: "k-1",
                title: "Printer jams",
                description: ""
            )
        )
        return state
    }

    /// `workOrder` after `user` is assigned to it.
    private func assigning(_ workOrder: WorkOrderState, to user: UserState) throws -> WorkOrderState {
        var state = workOrder
        state.apply(try ServiceDecisions.assign(workOrder, to: user))
        return state
    }

    /// An open work order, resolved.
    private func resolved() throws -> WorkOrderState {
        var state = try opened()
        state.apply(try ServiceDecisions.resolve(state, resolution: "replaced the roller"))
        return state
    }

    /// A resolved work order, closed.
    private func closed() throws -> WorkOrderState {
        var state = try resolved()
        state.apply(try ServiceDecisions.close(state))
        return state
    }

    /// Complaint `cp-1` of customer `c-1`, filed through the decision and folded, and resolved
    /// when asked.
    private func complaint(resolved: Bool = false) throws -> ComplaintState {
        var state = ComplaintState(complaintID: "cp-1")
        state.apply(
            try ServiceDecisions.fileComplaint(id: "cp-1", customer: customer(), category: "delivery", description: "")
        )
        if resolved {
            state.apply(try ServiceDecisions.resolveComplaint(state, rootCause: "wrong address", resolution: "re-sent"))
        }
        return state
    }

    // MARK: - Work orders

    @Test("a work order is opened for an existing customer with a trimmed title and its contract")
    func openWorkOrder() throws {
        let event = try ServiceDecisions.openWorkOrder(
            id: "wo-1",
            customer: customer(),
            contractID: "k-1",
            title: "  Printer jams \n",
            description: " paper stuck in tray 2 "
        )
        #expect(event.workOrderID == "wo-1")
        #expect(event.customerID == "c-1")
        #expect(event.contractID == "k-1")
        #expect(event.title == "Printer jams")
        #expect(event.description_p == " paper stuck in tray 2 ")
    }

    @Test("opening a work order for a customer that does not exist, or without a title, is refused")
    func openWorkOrderRefusals() {
        let unknown = #expect(throws: DomainError.self) {
            try ServiceDecisions.openWorkOrder(
                id: "wo-1",
                customer: CustomerState(customerID: "c-9"),
                contractID: "",
                title: "Printer jams",
                description: ""
            )
        }
        #expect(unknown?.code == .customerNotFound)
        #expect(unknown?.facts == ["customer": "c-9"])
        let blank = #expect(throws: DomainError.self) {
            try ServiceDecisions.openWorkOrder(
                id: "wo-1",
                customer: customer(),
                contractID: "",
                title: " \t ",
                description: ""
            )
        }
        #expect(blank?.code == .fieldRequired)
        #expect(blank?.facts == ["field": "title"])
    }

    @Test("a work order folds open with its customer, then resolved, then closed")
    func workOrderFolds() throws {
        let open = try opened()
        #expect(open.status == .open)
        #expect(open.customerID == "c-1")
        #expect(open.assigneeID == "")
        #expect(try resolved().status == .resolved)
        #expect(try closed().status == .closed)
        #expect(WorkOrderState(workOrderID: "wo-1").status == .absent)
    }

    @Test("an open work order is assigned to an active user; the event names the previous and the new assignee")
    func assign() throws {
        let first = try ServiceDecisions.assign(try opened(), to: user("rep-1"))
        #expect((first.workOrderID, first.fromAssigneeID, first.toAssigneeID) == ("wo-1", "", "rep-1"))
        let assigned = try assigning(try opened(), to: user("rep-1"))
        #expect(assigned.assigneeID == "rep-1")
        let second = try ServiceDecisions.assign(assigned, to: user("rep-2", role: .manager))
        #expect((second.workOrderID, second.fromAssigneeID, second.toAssigneeID) == ("wo-1", "rep-1", "rep-2"))
    }

    @Test("assigning a work order that does not exist, or is resolved or closed, is refused with its status")
    func assignRefusalsByStatus() throws {
        let unknown = #expect(throws: DomainError.self) {
            try ServiceDecisions.assign(WorkOrderState(workOrderID: "wo-9"), to: user("rep-1"))
        }
        #expect(unknown?.code == .workOrderNotFound)
        #expect(unknown?.facts == ["work_order": "wo-9"])
        let resolved = try resolved()
        let afterResolve = #expect(throws: DomainError.self) {
            try ServiceDecisions.assign(resolved, to: user("rep-1"))
        }
        #expect(afterResolve?.code == .workOrderNotReady)
        #expect(afterResolve?.facts == ["status": "resolved"])
        let closed = try closed()
        let afterClose = #expect(throws: DomainError.self) { try ServiceDecisions.assign(closed, to: user("rep-1")) }
        #expect(afterClose?.code == .workOrderNotReady)
        #expect(afterClose?.facts == ["status": "closed"])
    }

    @Test("assigning to a departed or unknown user, or to the current assignee, is refused")
    func assignRefusalsByUser() throws {
        let open = try opened()
        let inactive = #expect(throws: DomainError.self) {
            try ServiceDecisions.assign(open, to: user("rep-1", active: false))
        }
        #expect(inactive?.code == .userInactive)
        #expect(inactive?.facts == ["user": "rep-1"])
        let unknown = #expect(throws: DomainError.self) {
            try ServiceDecisions.assign(open, to: UserState(userID: "ghost"))
        }
        #expect(unknown?.code == .userNotFound)
        #expect(unknown?.facts == ["user": "ghost"])
        let assigned = try assigning(open, to: user("rep-1"))
        let same = #expect(throws: DomainError.self) { try ServiceDecisions.assign(assigned, to: user("rep-1")) }
        #expect(same?.code == .noChange)
        #expect(same?.facts == [:])
    }

    @Test("an open work order is resolved with a trimmed resolution")
    func resolve() throws {
        let event = try ServiceDecisions.resolve(try opened(), resolution: "  replaced the roller ")
        #expect((event.workOrderID, event.resolution) == ("wo-1", "replaced the roller"))
        let assigned = try assigning(try opened(), to: user("rep-1"))
        #expect(try ServiceDecisions.resolve(assigned, resolution: "fixed").workOrderID == "wo-1")
    }

    @Test("resolving needs a resolution and an open work order")
    func resolveRefusals() throws {
        let open = try opened()
        let blank = #expect(throws: DomainError.self) { try ServiceDecisions.resolve(open, resolution: "  ") }
        #expect(blank?.code == .fieldRequired)
        #expect(blank?.facts == ["field": "resolution"])
        let unknown = #expect(throws: DomainError.self) {
            try ServiceDecisions.resolve(WorkOrderState(workOrderID: "wo-9"), resolution: "fixed")
        }
        #expect(unknown?.code == .workOrderNotFound)
        #expect(unknown?.facts == ["work_order": "wo-9"])
        let resolved = try resolved()
        let twice = #expect(throws: DomainError.self) { try ServiceDecisions.resolve(resolved, resolution: "fixed") }
        #expect(twice?.code == .workOrderNotReady)
        #expect(twice?.facts == ["status": "resolved"])
        let closed = try closed()
        let afterClose = #expect(throws: DomainError.self) { try ServiceDecisions.resolve(closed, resolution: "fixed") }
        #expect(afterClose?.code == .workOrderNotReady)
        #expect(afterClose?.facts == ["status": "closed"])
    }

    @Test("a resolved work order is closed")
    func close() throws {
        let event = try ServiceDecisions.close(try resolved())
        #expect(event.workOrderID == "wo-1")
    }

    @Test("only a resolved work order can be closed: an open, closed or unknown one is refused")
    func closeRefusals() throws {
        let open = try opened()
        let early = #expect(throws: DomainError.self) { try ServiceDecisions.close(open) }
        #expect(early?.code == .workOrderNotReady)
        #expect(early?.facts == ["status": "open"])
        let closed = try closed()
        let twice = #expect(throws: DomainError.self) { try ServiceDecisions.close(closed) }
        #expect(twice?.code == .workOrderNotReady)
        #expect(twice?.facts == ["status": "closed"])
        let unknown = #expect(throws: DomainError.self) {
            try ServiceDecisions.close(WorkOrderState(workOrderID: "wo-9"))
        }
        #expect(unknown?.code == .workOrderNotFound)
        #expect(unknown?.facts == ["work_order": "wo-9"])
    }

    // MARK: - Complaints

    @Test("a complaint is filed for an existing customer with its category trimmed and lowercased")
    func fileComplaint() throws {
        let event = try ServiceDecisions.fileComplaint(
            id: "cp-1",
            customer: customer(),
            category: "  Delivery DELAY ",
            description: "three weeks late"
        )
        #expect(event.complaintID == "cp-1")
        #expect(event.customerID == "c-1")
        #expect(event.category == "delivery delay")
        #expect(event.description_p == "three weeks late")
        var state = ComplaintState(complaintID: "cp-1")
        state.apply(event)
        #expect(state.exists && !state.resolved)
    }

    @Test("a complaint without a category, or from a customer that does not exist, is refused")
    func fileComplaintRefusals() {
        let blank = #expect(throws: DomainError.self) {
            try ServiceDecisions.fileComplaint(id: "cp-1", customer: customer(), category: " \n", description: "late")
        }
        #expect(blank?.code == .fieldRequired)
        #expect(blank?.facts == ["field": "category"])
        let unknown = #expect(throws: DomainError.self) {
            try ServiceDecisions.fileComplaint(
                id: "cp-1",
                customer: CustomerState(customerID: "c-9"),
                category: "delivery",
                description: ""
            )
        }
        #expect(unknown?.code == .customerNotFound)
        #expect(unknown?.facts == ["customer": "c-9"])
    }

    @Test("a complaint is resolved with its trimmed root cause and resolution")
    func resolveComplaint() throws {
        let event = try ServiceDecisions.resolveComplaint(
            try complaint(),
            rootCause: " wrong address ",
            resolution: " re-sent by courier "
        )
        #expect(event.complaintID == "cp-1")
        #expect(event.rootCause == "wrong address")
        #expect(event.resolution == "re-sent by courier")
        #expect(try complaint(resolved: true).resolved)
    }

    @Test("resolving a complaint that does not exist or is resolved, or without root cause or resolution, is refused")
    func resolveComplaintRefusals() throws {
        let unknown = #expect(throws: DomainError.self) {
            try ServiceDecisions.resolveComplaint(ComplaintState(complaintID: "cp-9"), rootCause: "x", resolution: "y")
        }
        #expect(unknown?.code == .complaintNotFound)
        #expect(unknown?.facts == ["complaint": "cp-9"])
        let resolved = try complaint(resolved: true)
        let twice = #expect(throws: DomainError.self) {
            try ServiceDecisions.resolveComplaint(resolved, rootCause: "x", resolution: "y")
        }
        #expect(twice?.code == .complaintResolved)
        #expect(twice?.facts == [:])
        let open = try complaint()
        let noCause = #expect(throws: DomainError.self) {
            try ServiceDecisions.resolveComplaint(open, rootCause: "  ", resolution: "re-sent")
        }
        #expect(noCause?.code == .fieldRequired)
        #expect(noCause?.facts == ["field": "root_cause"])
        let noResolution = #expect(throws: DomainError.self) {
            try ServiceDecisions.resolveComplaint(open, rootCause: "wrong address", resolution: "\t")
        }
        #expect(noResolution?.code == .fieldRequired)
        #expect(noResolution?.facts == ["field": "resolution"])
    }

    // MARK: - Surveys

    @Test(
        "a satisfaction score from 1 to 5 is recorded with the customer, work order and comment",
        arguments: [Int32(1), 3, 5]
    )
    func survey(score: Int32) throws {
        let event = try ServiceDecisions.survey(
            id: "sv-1",
            customer: customer(),
            workOrderID: "wo-1",
            score: score,
            comment: "quick fix"
        )
        #expect(event.surveyID == "sv-1")
        #expect(event.customerID == "c-1")
        #expect(event.workOrderID == "wo-1")
        #expect(event.score == score)
        #expect(event.comment == "quick fix")
    }

    @Test("a satisfaction score outside 1-5 is refused naming the score", arguments: [Int32(0), 6, -1, .max])
    func surveyScoreRefused(score: Int32) {
        let error = #expect(throws: DomainError.self) {
            try ServiceDecisions.survey(
                id: "sv-1",
                customer: customer(),
                workOrderID: "wo-1",
                score: score,
                comment: ""
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "score"])
    }

    @Test("a survey from a customer that does not exist is refused")
    func surveyUnknownCustomer() {
        let error = #expect(throws: DomainError.self) {
            try ServiceDecisions.survey(
                id: "sv-1",
                customer: CustomerState(customerID: "c-9"),
                workOrderID: "",
                score: 5,
                comment: ""
            )
        }
        #expect(error?.code == .customerNotFound)
        #expect(error?.facts == ["customer": "c-9"])
    }
}
