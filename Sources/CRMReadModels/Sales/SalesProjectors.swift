import Projections

extension CRMProjections {
    /// The read models about selling: funnel, churn, activity reports, campaign effect, leads
    /// and opportunities.
    static var salesProjectors: [any CRMProjector.Type] {
        [
            FunnelProjector.self, ChurnProjector.self, ActivityProjector.self, CampaignProjector.self,
            LeadsProjector.self, OpportunitiesProjector.self,
        ]
    }
}
