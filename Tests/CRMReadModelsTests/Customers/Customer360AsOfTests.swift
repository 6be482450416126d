import CRMReadModels
import CRMSchema
import CRMTestSupport
import CRMWorkload
import EventStore
import Foundation
import Projections
import SwiftProtobuf
import Testing

@Suite("A customer's view as of a point of the log, folded from its own events")
struct Customer360AsOfTests {
    @Test("equal, customer by customer, to a whole customer360 read model built as of the same point")
    func equalToWholeBuild() async throws {
        let world = try CRMWorld("customer360-as-of")
        var options = WorkloadOptions()
        (options.customers, options.reps, options.teams, options.days) = (150, 6, 2, 60)
        _ = try await WorkloadGenerator(options: options, log: world.log).run()
        let live = Customer360Queries(
            store: try await world.readModels([Customer360Projector.self, RFMProjector.self])
        )
        let customers = try world.log.readType(CRMCustomerCreated.protoMessageName).map { recorded in
            try CRMCustomerCreated(serializedBytes: recorded.payload).customerID
        }
        let head = try world.log.head()
        let start = Timestamp(options.start).nanosecondsSinceEpoch
        let points: [AsOf] = [
            .position(head.position / 3), .position(head.position * 2 / 3), .position(head.position),
            .recordedTime(head.recordedAt),
            .occurredTime(Timestamp(nanosecondsSinceEpoch: start + 20 * 86_400_000_000_000)),
            .occurredTime(Timestamp(nanosecondsSinceEpoch: start + 45 * 86_400_000_000_000)),
        ]
        for point in points {
            let whole = Customer360Queries(
                store: try await world.readModels([Customer360Projector.self, RFMProjector.self], asOf: point)
            )
            var existed = 0
            for customer in customers {
                // The segment comes from the live rfm read model in both: compare the rest.
                var folded = try live.view(customerID: customer, asOf: point, log: world.log)
                var built = try whole.view(customerID: customer)
                folded?.segment = nil
                built?.segment = nil
                #expect(folded == built, "\(customer) as of \(point)")
                if built != nil { existed += 1 }
            }
            #expect(existed > 0, "as of \(point) some customers existed")
        }
    }
}
