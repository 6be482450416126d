import CRMDomain
import CRMSchema

/// The pipeline's stages as a sales read model keeps them, to order its rows and to tell a
/// later stage from an earlier one.
///
/// Stored as one row (``key``) of a projector's `pipeline` table: the stages in force, in
/// pipeline order, and the stages of earlier pipelines that the current one dropped, whose
/// history the read model still holds.
struct SalesPipeline: Codable, Sendable, Hashable {
    /// A stage: its id, name and place in the pipeline.
    struct Stage: Codable, Sendable, Hashable {
        var id: String
        var name: String
        var order: Int32
    }

    /// The key of the one row.
    static let key = "current"

    /// The stages in force, in ascending order.
    var stages: [Stage]
    /// Stages of earlier pipelines no longer in force, in the order they were dropped.
    var retired: [Stage] = []

    /// The pipeline before one is configured: the domain's defaults.
    static let defaults = SalesPipeline(stages: Pipeline.defaults.stages.map(Stage.init))

    /// The pipeline a `PipelineConfigured` sets, remembering the stages it drops.
    mutating func configure(_ configured: CRMPipelineConfigured) {
        let new = Pipeline(configured).stages.map(Stage.init)
        let kept = Set(new.map(\.id))
        var retired = self.retired.filter { !kept.contains($0.id) }
        for stage in stages where !kept.contains(stage.id) && !retired.contains(where: { $0.id == stage.id }) {
            retired.append(stage)
        }
        (self.stages, self.retired) = (new, retired)
    }

    /// The order of a stage in force; `nil` for one the pipeline does not have.
    func order(of stageID: String) -> Int32? {
        for stage in stages where stage.id == stageID { return stage.order }
        return nil
    }

    /// The name of a stage, in force or retired; the id when unknown.
    func name(of stageID: String) -> String {
        (stages.first { $0.id == stageID } ?? retired.first { $0.id == stageID })?.name ?? stageID
    }

    /// `stageIDs` in display order: the stages in force in pipeline order, then retired ones
    /// in the order they were dropped, then any others by id.
    func displayOrder(_ stageIDs: some Sequence<String>) -> [String] {
        let rank = Dictionary(
            (stages + retired).enumerated().map { ($1.id, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        return Set(stageIDs).sorted { a, b in
            switch (rank[a], rank[b]) {
            case let (x?, y?): x < y
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a < b
            }
        }
    }
}

extension SalesPipeline.Stage {
    init(_ stage: CRMPipelineStage) {
        self.init(id: stage.stageID, name: stage.name, order: stage.order)
    }
}
