import CRMDomain
import CRMSchema
import Testing

@Suite("Opportunity decisions")
struct OpportunityDecisionsTests {
    let pipeline = Pipeline.defaults
    let amount = CRMMoney(minorUnits: 1_200_000, currency: "CNY")

    private func new(
        _ name: String = "ERP rollout",
        amount: CRMMoney? = nil,
        stage: String = ""
    )
        -> OpportunityDecisions.NewOpportunity
    {
        var opportunity = OpportunityDecisions.NewOpportunity(name: name, amount: amount ?? self.amount)
        opportunity.stageID = stage
        return opportunity
    }

    /// An open opportunity at `stage` (the first by default).
    private func opened(stage: String = "") throws -> OpportunityState {
        var state = OpportunityState(opportunityID: "o-1")
        state.apply(
            try OpportunityDecisions.open(new(stage: stage), id: "o-1", customer: customer(), pipeline: pipeline)
        )
        return state
    }

    // MARK: - Open

    @Test("an opportunity opens at the pipeline's first stage, owned by the customer's owner")
    func open() throws {
        let event = try OpportunityDecisions.open(
            new(" ERP rollout "),
            id: "o-1",
            customer: customer(owner: "rep-7"),
            pipeline: pipeline
        )
        #expect((event.opportunityID, event.customerID, event.ownerID) == ("o-1", "c-1", "rep-7"))
        #expect(event.name == "ERP rollout")
        #expect(event.amount == amount)
        #expect(event.stageID == "qualification")
        #expect(!event.hasExpectedCloseAt)
        var state = OpportunityState(opportunityID: "o-1")
        state.apply(event)
        #expect(state.status == .open)
        #expect((state.customerID, state.ownerID, state.stageID) == ("c-1", "rep-7", "qualification"))
        #expect(state.amount == amount)
    }

    @Test("an opportunity may open at a named stage of the pipeline, for a zero amount")
    func openAtStage() throws {
        let free = CRMMoney(minorUnits: 0, currency: "USD")
        let event = try OpportunityDecisions.open(
            new(amount: free, stage: "proposal"),
            id: "o-1",
            customer: customer(),
            pipeline: pipeline
        )
        #expect(event.stageID == "proposal")
        #expect(event.amount == free)
    }

    @Test("opening needs an owned customer, a name, a valid amount and a known stage")
    func openRefusals() {
        let pool = #expect(throws: DomainError.self) {
            try OpportunityDecisions.open(new(), id: "o-1", customer: customer(owner: nil), pipeline: pipeline)
        }
        #expect(pool?.code == .customerInPool)
        let missing = #expect(throws: DomainError.self) {
            try OpportunityDecisions.open(
                new(),
                id: "o-1",
                customer: CustomerState(customerID: "c-9"),
                pipeline: pipeline
            )
        }
        #expect(missing?.code == .customerNotFound)
        #expect(missing?.facts == ["customer": "c-9"])
        let noName = #expect(throws: DomainError.self) {
            try OpportunityDecisions.open(new(" "), id: "o-1", customer: customer(), pipeline: pipeline)
        }
        #expect(noName?.code == .fieldRequired)
        #expect(noName?.facts == ["field": "name"])
        for bad in [
            CRMMoney(minorUnits: -1, currency: "CNY"),
            CRMMoney(minorUnits: 100, currency: "cny"),
            CRMMoney(minorUnits: 100, currency: "CN"),
            CRMMoney(minorUnits: 100, currency: "CNYY"),
            CRMMoney(minorUnits: 100, currency: ""),
        ] {
            let error = #expect(throws: DomainError.self, "\(bad)") {
                try OpportunityDecisions.open(new(amount: bad), id: "o-1", customer: customer(), pipeline: pipeline)
            }
            #expect(error?.code == .invalidValue)
            #expect(error?.facts == ["field": "amount"])
        }
        let stage = #expect(throws: DomainError.self) {
            try OpportunityDecisions.open(new(stage: "closing"), id: "o-1", customer: customer(), pipeline: pipeline)
        }
        #expect(stage?.code == .unknownStage)
        #expect(stage?.facts["stage"] == "closing")
    }

    // MARK: - Move, win, lose

    @Test("an open opportunity moves forward or back to another stage")
    func moveStage() throws {
        var state = try opened()
        let forward = try OpportunityDecisions.moveStage(state, to: "negotiation", pipeline: pipeline)
        #expect(forward.opportunityID == "o-1")
        #expect((forward.fromStageID, forward.toStageID) == ("qualification", "negotiation"))
        state.apply(forward)
        let back = try OpportunityDecisions.moveStage(state, to: "needs-analysis", pipeline: pipeline)
        #expect((back.fromStageID, back.toStageID) == ("negotiation", "needs-analysis"))
        state.apply(back)
        #expect(state.stageID == "needs-analysis")
    }

    @Test("moving to the same or an unknown stage, or moving a closed or absent opportunity, is refused")
    func moveRefusals() throws {
        let state = try opened()
        let same = #expect(throws: DomainError.self) {
            try OpportunityDecisions.moveStage(state, to: "qualification", pipeline: pipeline)
        }
        #expect(same?.code == .noChange)
        #expect(same?.facts == ["stage": "qualification"])
        let unknown = #expect(throws: DomainError.self) {
            try OpportunityDecisions.moveStage(state, to: "closing", pipeline: pipeline)
        }
        #expect(unknown?.code == .unknownStage)
        var lost = state
        lost.apply(try OpportunityDecisions.lose(state, reason: "budget cut"))
        let closed = #expect(throws: DomainError.self) {
            try OpportunityDecisions.moveStage(lost, to: "proposal", pipeline: pipeline)
        }
        #expect(closed?.code == .opportunityClosed)
        #expect(closed?.facts == ["status": "lost"])
        let absent = #expect(throws: DomainError.self) {
            try OpportunityDecisions.moveStage(
                OpportunityState(opportunityID: "o-9"),
                to: "proposal",
                pipeline: pipeline
            )
        }
        #expect(absent?.code == .opportunityNotFound)
        #expect(absent?.facts == ["opportunity": "o-9"])
    }

    @Test("a win needs a reason and is for the expected amount unless another is given")
    func win() throws {
        let state = try opened()
        let won = try OpportunityDecisions.win(state, reason: " signed ")
        #expect((won.opportunityID, won.reason, won.amount) == ("o-1", "signed", amount))
        let discounted = CRMMoney(minorUnits: 1_000_000, currency: "CNY")
        let overridden = try OpportunityDecisions.win(state, reason: "signed", amount: discounted)
        #expect(overridden.amount == discounted)
        var closed = state
        closed.apply(overridden)
        #expect((closed.status, closed.amount) == (.won, discounted))

        let noReason = #expect(throws: DomainError.self) { try OpportunityDecisions.win(state, reason: "") }
        #expect(noReason?.code == .reasonRequired)
        #expect(noReason?.facts == ["field": "reason"])
        let badAmount = #expect(throws: DomainError.self) {
            try OpportunityDecisions.win(state, reason: "signed", amount: CRMMoney(minorUnits: -5, currency: "CNY"))
        }
        #expect(badAmount?.code == .invalidValue)
        #expect(badAmount?.facts == ["field": "amount"])
        let twice = #expect(throws: DomainError.self) { try OpportunityDecisions.win(closed, reason: "signed") }
        #expect(twice?.code == .opportunityClosed)
        #expect(twice?.facts == ["status": "won"])
        let absent = #expect(throws: DomainError.self) {
            try OpportunityDecisions.win(OpportunityState(opportunityID: "o-9"), reason: "x")
        }
        #expect(absent?.code == .opportunityNotFound)
    }

    @Test("a loss needs a reason and records the stage it was lost at")
    func lose() throws {
        var state = try opened(stage: "proposal")
        let lost = try OpportunityDecisions.lose(state, reason: " went with a competitor ")
        #expect((lost.opportunityID, lost.stageID, lost.reason) == ("o-1", "proposal", "went with a competitor"))
        let noReason = #expect(throws: DomainError.self) { try OpportunityDecisions.lose(state, reason: "\n") }
        #expect(noReason?.code == .reasonRequired)
        state.apply(lost)
        #expect((state.status, state.stageID) == (.lost, "proposal"))
        let twice = #expect(throws: DomainError.self) { try OpportunityDecisions.lose(state, reason: "again") }
        #expect(twice?.code == .opportunityClosed)
        let absent = #expect(throws: DomainError.self) {
            try OpportunityDecisions.lose(OpportunityState(opportunityID: "o-9"), reason: "x")
        }
        #expect(absent?.code == .opportunityNotFound)
    }

    // MARK: - Reopen

    @Test("a lost opportunity reopens at the stage it was lost at, or at another stage named")
    func reopen() throws {
        var state = try opened(stage: "negotiation")
        state.apply(try OpportunityDecisions.lose(state, reason: "budget cut"))
        let back = try OpportunityDecisions.reopen(state, reason: " budget restored ", pipeline: pipeline)
        #expect((back.opportunityID, back.stageID, back.reason) == ("o-1", "negotiation", "budget restored"))
        let named = try OpportunityDecisions.reopen(state, at: "proposal", reason: "restart", pipeline: pipeline)
        #expect(named.stageID == "proposal")
        let unknown = #expect(throws: DomainError.self) {
            try OpportunityDecisions.reopen(state, at: "closing", reason: "restart", pipeline: pipeline)
        }
        #expect(unknown?.code == .unknownStage)
        let noReason = #expect(throws: DomainError.self) {
            try OpportunityDecisions.reopen(state, reason: " ", pipeline: pipeline)
        }
        #expect(noReason?.code == .reasonRequired)
    }

    @Test("when the pipeline no longer has the lost-at stage, the opportunity reopens at the first stage")
    func reopenAfterPipelineChange() throws {
        var state = try opened(stage: "negotiation")
        state.apply(try OpportunityDecisions.lose(state, reason: "budget cut"))
        let newPipeline = Pipeline(configured([stage("review", order: 2), stage("intake", order: 1)]))
        let reopened = try OpportunityDecisions.reopen(state, reason: "budget restored", pipeline: newPipeline)
        #expect(reopened.stageID == "intake")
    }

    @Test("only a won or lost opportunity can be reopened")
    func reopenRefusals() throws {
        let open = #expect(throws: DomainError.self) {
            try OpportunityDecisions.reopen(try opened(), reason: "again", pipeline: pipeline)
        }
        #expect(open?.code == .opportunityOpen)
        let absent = #expect(throws: DomainError.self) {
            try OpportunityDecisions.reopen(OpportunityState(opportunityID: "o-9"), reason: "again", pipeline: pipeline)
        }
        #expect(absent?.code == .opportunityNotFound)
        #expect(absent?.facts == ["opportunity": "o-9"])
    }

    @Test("a whole life: open, move, lose, reopen at the lost stage, win for a new amount")
    func lifecycle() throws {
        var state = OpportunityState(opportunityID: "o-1")
        #expect(state.status == .absent)
        state.apply(try OpportunityDecisions.open(new(), id: "o-1", customer: customer(), pipeline: pipeline))
        state.apply(try OpportunityDecisions.moveStage(state, to: "proposal", pipeline: pipeline))
        #expect((state.status, state.stageID) == (.open, "proposal"))
        state.apply(try OpportunityDecisions.lose(state, reason: "too expensive"))
        #expect((state.status, state.stageID) == (.lost, "proposal"))
        state.apply(try OpportunityDecisions.reopen(state, reason: "new budget", pipeline: pipeline))
        #expect((state.status, state.stageID) == (.open, "proposal"))
        state.apply(try OpportunityDecisions.moveStage(state, to: "negotiation", pipeline: pipeline))
        let final = CRMMoney(minorUnits: 900_000, currency: "CNY")
        state.apply(try OpportunityDecisions.win(state, reason: "signed", amount: final))
        #expect((state.status, state.stageID, state.amount) == (.won, "negotiation", final))
        // A won deal reopened goes back to the stage it was won at.
        state.apply(try OpportunityDecisions.reopen(state, reason: "contract voided", pipeline: pipeline))
        #expect((state.status, state.stageID) == (.open, "negotiation"))
        let again = try OpportunityDecisions.win(state, reason: "re-signed")
        #expect(again.amount == final, "the won amount is the amount now")
    }
}
