public import CRMSchema
public import Foundation
public import SwiftProtobuf

/// One customer, folded from its stream: the profile and contacts its commands check, and
/// what the pool rules need (owner, idle clock, who lost it when).
public struct CustomerState: Sendable, Hashable {
    /// The customer's id.
    public var customerID: String
    /// Whether a `CustomerCreated` has been seen.
    public var exists = false
    /// The profile as created and updated since.
    public var profile = CRMCustomerCreated()
    /// The tags, in the order they were first added.
    public var tags: [String] = []
    /// The contacts by id, with every update applied.
    public var contacts: [String: CRMContactAdded] = [:]
    /// The owning rep; `nil` while in the public pool.
    public var owner: String?
    /// When the current owner got it.
    public var ownerSince: Date?
    /// The last follow-up's business time.
    public var lastFollowUpAt: Date?
    /// When each rep last lost the customer (released, swept, transferred away).
    public var lostAt: [String: Date] = [:]
    /// The release the last warning to the current owner announced, so the sweep warns once
    /// for each idle period.
    public var warnedReleaseAt: Date?

    /// A customer not seen yet.
    public init(customerID: String) {
        self.customerID = customerID
    }

    /// The customer level ("A", "B", …), which sets its idle limit.
    public var level: String { profile.level }

    /// Since when the customer has had no attention from its owner: the later of the last
    /// follow-up and the day the owner got it.
    public var idleSince: Date? {
        guard let ownerSince else { return nil }
        return max(ownerSince, lastFollowUpAt ?? ownerSince)
    }

    /// Folds one event of the customer's stream, recorded at business time `occurredAt`.
    public mutating func apply(_ event: any SwiftProtobuf.Message, occurredAt: Date) {
        switch event {
        case let created as CRMCustomerCreated:
            exists = true
            profile = created
            tags = []
            addTags(created.tags)
            if !created.ownerID.isEmpty {
                owner = created.ownerID
                ownerSince = occurredAt
            }
        case let updated as CRMCustomerProfileUpdated:
            apply(updated)
        case let tagged as CRMCustomerTagged:
            tags.removeAll { tagged.removed.contains($0) }
            addTags(tagged.added)
        case let contact as CRMContactAdded:
            contacts[contact.contactID] = contact
        case let updated as CRMContactUpdated:
            contacts[updated.contactID]?.apply(updated)
        case let change as CRMCustomerOwnershipChanged:
            if let previous = owner { lostAt[previous] = occurredAt }
            owner = change.toOwnerID.isEmpty ? nil : change.toOwnerID
            ownerSince = owner == nil ? nil : occurredAt
            warnedReleaseAt = nil
        case is CRMFollowUpLogged:
            lastFollowUpAt = max(lastFollowUpAt ?? occurredAt, occurredAt)
        case let warning as CRMPoolReleaseWarned where warning.ownerID == owner:
            warnedReleaseAt = warning.releaseDueAt.date
        default:
            break
        }
    }

    private mutating func apply(_ updated: CRMCustomerProfileUpdated) {
        for field in updated.changedFields {
            switch field {
            case "name": profile.name = updated.name
            case "region": profile.region = updated.region
            case "industry": profile.industry = updated.industry
            case "size": profile.size = updated.size
            case "source": profile.source = updated.source
            case "level": profile.level = updated.level
            default: break
            }
        }
    }

    private mutating func addTags(_ added: [String]) {
        for tag in added where !tags.contains(tag) { tags.append(tag) }
    }
}

extension CRMContactAdded {
    /// Applies the fields an update names.
    mutating func apply(_ updated: CRMContactUpdated) {
        for field in updated.changedFields {
            switch field {
            case "name": name = updated.name
            case "title": title = updated.title
            case "phone": phone = updated.phone
            case "email": email = updated.email
            case "birthday": birthday = updated.birthday
            default: break
            }
        }
    }
}
