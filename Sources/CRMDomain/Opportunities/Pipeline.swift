public import CRMSchema

/// The opportunity pipeline in force: its stages in order, each with a win probability.
///
/// It comes from the latest `PipelineConfigured` at the command's business time.
public struct Pipeline: Sendable, Hashable {
    /// The stages, in ascending order.
    public let stages: [CRMPipelineStage]

    /// The pipeline before one is configured.
    public static let defaults = Pipeline(validated: [
        stage("qualification", "Qualification", 1, 10),
        stage("needs-analysis", "Needs analysis", 2, 25),
        stage("proposal", "Proposal", 3, 50),
        stage("negotiation", "Negotiation", 4, 75),
    ])

    /// The pipeline a `PipelineConfigured` event sets (validated when it was configured; one
    /// without stages, which validation refuses, leaves the defaults).
    public init(_ configured: CRMPipelineConfigured) {
        self.init(validated: configured.stages.isEmpty ? Self.defaults.stages : configured.stages)
    }

    private init(validated stages: [CRMPipelineStage]) {
        self.stages = stages.sorted { $0.order < $1.order }
    }

    /// The stage with `id`, if the pipeline has one.
    public func stage(_ id: String) -> CRMPipelineStage? {
        stages.first { $0.stageID == id }
    }

    /// The stage with `id`.
    ///
    /// - Throws: `unknown_stage`, listing the stages there are.
    public func requireStage(_ id: String) throws(DomainError) -> CRMPipelineStage {
        guard let stage = stage(id) else {
            let known = stages.map(\.stageID).joined(separator: ", ")
            throw DomainError(
                .unknownStage,
                "the pipeline has no stage \"\(id)\"; its stages are \(known)",
                facts: ["stage": id, "stages": known]
            )
        }
        return stage
    }

    /// Checks a new pipeline: at least one stage; ids and names present; ids and orders
    /// unique; win probabilities within 0-100.
    ///
    /// - Throws: `invalid_pipeline` saying what is wrong.
    public static func validate(_ configured: CRMPipelineConfigured) throws(DomainError) -> CRMPipelineConfigured {
        func refuse(_ message: String) -> DomainError { DomainError(.invalidPipeline, message) }
        guard !configured.stages.isEmpty else { throw refuse("a pipeline needs at least one stage") }
        var ids = Set<String>()
        var orders = Set<Int32>()
        for stage in configured.stages {
            guard !stage.stageID.trimmedOfWhitespace().isEmpty,
                !stage.name.trimmedOfWhitespace().isEmpty
            else {
                throw refuse("every stage needs an id and a name")
            }
            guard ids.insert(stage.stageID).inserted else {
                throw refuse("stage id \"\(stage.stageID)\" is used twice")
            }
            guard orders.insert(stage.order).inserted else { throw refuse("stage order \(stage.order) is used twice") }
            guard (0...100).contains(stage.winProbabilityPercent) else {
                throw refuse(
                    "stage \"\(stage.stageID)\" has win probability \(stage.winProbabilityPercent)%; it must be 0-100"
                )
            }
        }
        return configured
    }

    private static func stage(_ id: String, _ name: String, _ order: Int32, _ probability: Int32) -> CRMPipelineStage {
        var stage = CRMPipelineStage()
        (stage.stageID, stage.name, stage.order, stage.winProbabilityPercent) = (id, name, order, probability)
        return stage
    }
}
