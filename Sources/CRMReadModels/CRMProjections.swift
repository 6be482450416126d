import CRMSchema
public import Projections
public import SwiftProtobuf

/// An event of the CRM as its projectors see it: the payload decoded to its current message.
public typealias CRMEvent = ProjectedEvent<any SwiftProtobuf.Message>

/// A projector of the CRM's read models.
public typealias CRMProjector = Projector<any SwiftProtobuf.Message>

/// A live runner of the CRM's read models.
public typealias CRMProjectionRunner = ProjectionRunner<any SwiftProtobuf.Message>

/// The CRM's read models, and how their events are decoded.
public enum CRMProjections {
    /// Decodes stored payloads through the event catalogue, upcasting old schema versions.
    public static let decoder = ProjectionDecoder<any SwiftProtobuf.Message> { type, schemaVersion, payload in
        try EventCatalogue.crm.decode(typeName: type, schemaVersion: schemaVersion, payload: Array(payload))
    }

    /// Every read model of the CRM.
    public static var all: [any CRMProjector.Type] {
        customerProjectors + salesProjectors + financeProjectors + [
            UsersProjector.self, DealsProjector.self, SearchProjector.self,
        ]
    }

    /// The read model called `name`, if there is one.
    public static func named(_ name: String) -> (any CRMProjector.Type)? {
        all.first { $0.name == name }
    }
}
