import CRMDomain
import CRMSchema
import PropertyBased
import Testing

/// Rules about every pipeline an admin could configure.
@Suite("Pipeline invariants")
struct PipelinePropertyTests {
    /// Well-formed pipelines: 1 to 12 stages with distinct ids and orders, in any order, with
    /// probabilities within 0-100.
    static let pipelines = zip(Gen.int32(in: -1_000...1_000).array(of: 1...12), Gen.int32(in: 0...100).array(of: 12))
        .map { orders, probabilities in
            var seen = Set<Int32>()
            let distinct = orders.filter { seen.insert($0).inserted }
            return distinct.enumerated().map { index, order in
                stage("s-\(index)", "Stage \(index)", order: order, probability: probabilities[index])
            }
        }

    @Test("every well-formed pipeline is accepted, and its stages come out in ascending order")
    func wellFormedAccepted() async {
        await propertyCheck(count: 500, input: Self.pipelines) { stages in
            let accepted: CRMPipelineConfigured
            do {
                accepted = try Pipeline.validate(configured(stages))
            } catch {
                Issue.record("refused \(stages.map(\.stageID)): \(error)")
                return
            }
            let pipeline = Pipeline(accepted)
            #expect(pipeline.stages.map(\.order) == stages.map(\.order).sorted())
            #expect(Set(pipeline.stages.map(\.stageID)) == Set(stages.map(\.stageID)))
            for stage in stages {
                #expect(pipeline.stage(stage.stageID) == stage)
            }
        }
    }

    @Test("adding a stage that repeats an id or an order makes any pipeline invalid")
    func repeatsRefused() async {
        await propertyCheck(count: 300, input: Self.pipelines, Gen.int(in: 0...11)) { stages, pick in
            let copied = stages[pick % stages.count]
            let nextOrder = (stages.map(\.order).max() ?? 0) + 1
            for extra in [stage(copied.stageID, order: nextOrder), stage("another", order: copied.order)] {
                let error = #expect(throws: DomainError.self) { try Pipeline.validate(configured(stages + [extra])) }
                #expect(error?.code == .invalidPipeline)
            }
        }
    }
}
