import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import RapportTestSupport
import Synchronization

extension CRMWorld {
    /// Builds `projectors` from the whole log (or as of `asOf`) into a fresh store beside it.
    func readModels(_ projectors: [any CRMProjector.Type], asOf: AsOf? = nil) async throws -> ReadModelStore {
        let store = try ReadModelStore(directory: directory.path + "/read-models-\(UUID().uuidString)")
        try await ProjectionBuilder.build(
            projectors,
            log: log,
            decoder: CRMProjections.decoder,
            asOf: asOf,
            into: store
        )
        return store
    }
}
