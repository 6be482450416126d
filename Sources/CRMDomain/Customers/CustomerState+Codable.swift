import CRMSchema
import Foundation

// A customer's state is kept as a snapshot of its stream (every follow-up makes it longer),
// so it encodes deterministically: the profile and contacts as protobuf bytes with maps in a
// fixed order, contacts and losses as lists sorted by key, times as the seconds a `Date` holds.

extension CustomerState: Codable {
    private enum CodingKeys: String, CodingKey {
        case customerID, exists, profile, tags, contacts, owner, ownerSince, lastFollowUpAt, lostAt, warnedReleaseAt
    }

    /// When one rep last lost the customer.
    private struct Loss: Codable {
        var rep: String
        var at: Double
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(customerID: try container.decode(String.self, forKey: .customerID))
        exists = try container.decode(Bool.self, forKey: .exists)
        profile = try container.decodeMessage(CRMCustomerCreated.self, forKey: .profile)
        tags = try container.decode([String].self, forKey: .tags)
        for contact in try container.decodeMessages(CRMContactAdded.self, forKey: .contacts) {
            guard contacts.updateValue(contact, forKey: contact.contactID) == nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .contacts,
                    in: container,
                    debugDescription: "contact \(contact.contactID) twice"
                )
            }
        }
        owner = try container.decodeIfPresent(String.self, forKey: .owner)
        ownerSince = try container.decodeIfPresent(Double.self, forKey: .ownerSince).map(Self.date)
        lastFollowUpAt = try container.decodeIfPresent(Double.self, forKey: .lastFollowUpAt).map(Self.date)
        for loss in try container.decode([Loss].self, forKey: .lostAt) {
            guard lostAt.updateValue(Self.date(loss.at), forKey: loss.rep) == nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .lostAt,
                    in: container,
                    debugDescription: "\(loss.rep) lost the customer twice"
                )
            }
        }
        warnedReleaseAt = try container.decodeIfPresent(Double.self, forKey: .warnedReleaseAt).map(Self.date)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(customerID, forKey: .customerID)
        try container.encode(exists, forKey: .exists)
        try container.encodeMessage(profile, forKey: .profile)
        try container.encode(tags, forKey: .tags)
        try container.encodeMessages(contacts.sorted { $0.key < $1.key }.map(\.value), forKey: .contacts)
        try container.encodeIfPresent(owner, forKey: .owner)
        try container.encodeIfPresent(ownerSince.map(Self.seconds), forKey: .ownerSince)
        try container.encodeIfPresent(lastFollowUpAt.map(Self.seconds), forKey: .lastFollowUpAt)
        try container.encode(
            lostAt.sorted { $0.key < $1.key }.map { Loss(rep: $0.key, at: Self.seconds($0.value)) },
            forKey: .lostAt
        )
        try container.encodeIfPresent(warnedReleaseAt.map(Self.seconds), forKey: .warnedReleaseAt)
    }

    // Seconds since the reference date, which is what a `Date` holds: the round trip through
    // JSON's shortest exact digits gives the same `Date` back.
    private static func seconds(_ date: Date) -> Double { date.timeIntervalSinceReferenceDate }
    private static func date(_ seconds: Double) -> Date { Date(timeIntervalSinceReferenceDate: seconds) }
}
