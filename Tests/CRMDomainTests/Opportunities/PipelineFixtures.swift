import CRMSchema

/// A pipeline stage.
func stage(_ id: String, _ name: String = "Stage", order: Int32, probability: Int32 = 50) -> CRMPipelineStage {
    var stage = CRMPipelineStage()
    (stage.stageID, stage.name, stage.order, stage.winProbabilityPercent) = (id, name, order, probability)
    return stage
}

/// A configuration with `stages`, in the order given.
func configured(_ stages: [CRMPipelineStage]) -> CRMPipelineConfigured {
    var configured = CRMPipelineConfigured()
    configured.stages = stages
    return configured
}
