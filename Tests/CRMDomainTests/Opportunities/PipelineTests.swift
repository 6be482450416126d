import CRMDomain
import CRMSchema
import Testing

@Suite("Opportunity pipeline")
struct PipelineTests {
    @Test("the default pipeline has four stages in ascending order with rising win probabilities")
    func defaults() {
        let stages = Pipeline.defaults.stages
        #expect(stages.map(\.stageID) == ["qualification", "needs-analysis", "proposal", "negotiation"])
        #expect(stages.map(\.order) == [1, 2, 3, 4])
        #expect(stages.map(\.winProbabilityPercent) == [10, 25, 50, 75])
        #expect(stages.map(\.name) == ["Qualification", "Needs analysis", "Proposal", "Negotiation"])
        #expect(throws: Never.self) { try Pipeline.validate(configured(stages)) }
    }

    @Test("a configured pipeline lists its stages by order, whatever order they were given in")
    func sortsByOrder() throws {
        let given = configured([stage("won-soon", order: 30), stage("lead", order: -5), stage("demo", order: 10)])
        let pipeline = Pipeline(try Pipeline.validate(given))
        #expect(pipeline.stages.map(\.stageID) == ["lead", "demo", "won-soon"])
        #expect(pipeline.stage("demo")?.order == 10)
        #expect(pipeline.stage("absent") == nil)
    }

    @Test("probabilities 0 and 100 are the bounds, both accepted")
    func probabilityBounds() {
        #expect(throws: Never.self) {
            try Pipeline.validate(
                configured([stage("a", order: 1, probability: 0), stage("b", order: 2, probability: 100)])
            )
        }
    }

    @Test(
        "a malformed pipeline is refused as invalid_pipeline",
        arguments: [
            ("no stages", [CRMPipelineStage]()),
            ("empty id", [stage("", order: 1)]),
            ("blank name", [stage("a", "  ", order: 1)]),
            ("empty name", [stage("a", "", order: 1)]),
            ("repeated id", [stage("a", order: 1), stage("a", order: 2)]),
            ("repeated order", [stage("a", order: 1), stage("b", order: 1)]),
            ("probability over 100", [stage("a", order: 1, probability: 101)]),
            ("negative probability", [stage("a", order: 1, probability: -1)]),
        ]
    )
    func refusals(_ what: String, _ stages: [CRMPipelineStage]) {
        let error = #expect(throws: DomainError.self, "\(what)") { try Pipeline.validate(configured(stages)) }
        #expect(error?.code == .invalidPipeline, "\(what)")
    }

    @Test("an id or a name made only of whitespace is blank and refused")
    func whitespaceOnly() {
        for stages in [[stage(" ", order: 1)], [stage("a", "\n", order: 1)]] {
            let error = #expect(throws: DomainError.self) { try Pipeline.validate(configured(stages)) }
            #expect(error?.code == .invalidPipeline)
        }
    }

    @Test("an unknown stage is refused with the stages there are")
    func requireStage() throws {
        #expect(try Pipeline.defaults.requireStage("proposal").winProbabilityPercent == 50)
        let error = #expect(throws: DomainError.self) { try Pipeline.defaults.requireStage("closing") }
        #expect(error?.code == .unknownStage)
        #expect(error?.facts == ["stage": "closing", "stages": "qualification, needs-analysis, proposal, negotiation"])
    }
}
