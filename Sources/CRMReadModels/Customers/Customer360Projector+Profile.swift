import CRMSchema
import EventStore
import Projections

// MARK: - The customer's own stream: profile, tags, contacts, owners, follow-ups, surveys

extension Customer360Projector {
    func apply(_ created: CRMCustomerCreated, _ event: CRMEvent) {
        let at = event.occurredAt.nanosecondsSinceEpoch
        let profile = Customer360.Profile(
            name: created.name,
            creditCode: created.creditCode,
            phone: created.phone,
            email: created.email,
            region: created.region,
            industry: created.industry,
            size: created.size,
            source: created.source,
            level: created.level,
            leadID: created.leadID,
            createdAt: at,
            createdBy: event.actor
        )
        var view = Customer360(customerID: created.customerID, profile: profile, ownerSince: at)
        view.tags = Array(Set(created.tags)).sorted()
        if !created.ownerID.isEmpty {
            view.owner = created.ownerID
            view.ownerHistory.append(
                Customer360.OwnershipChange(
                    from: nil,
                    to: created.ownerID,
                    reason: "created",
                    note: "",
                    actor: event.actor,
                    occurredAt: at,
                    position: event.position
                )
            )
        }
        view.inPool = view.owner == nil
        customers[created.customerID] = CustomerRecord(view: view)
        moveListing(created.customerID, name: created.name, from: nil, to: view.owner, since: at)
        if !created.leadID.isEmpty {
            leadCustomer[created.leadID] = created.customerID
            mergeLead(created.leadID, into: created.customerID)
        }
        change(created.customerID, event)
    }

    func apply(_ updated: CRMCustomerProfileUpdated, _ event: CRMEvent) {
        change(updated.customerID, event) { view in
            for field in updated.changedFields {
                switch field {
                case "name": view.profile.name = updated.name
                case "region": view.profile.region = updated.region
                case "industry": view.profile.industry = updated.industry
                case "size": view.profile.size = updated.size
                case "source": view.profile.source = updated.source
                case "level": view.profile.level = updated.level
                default: break
                }
            }
            if updated.changedFields.contains("name") {
                renameListing(updated.customerID, owner: view.owner, name: updated.name)
            }
        }
    }

    func apply(_ tagged: CRMCustomerTagged, _ event: CRMEvent) {
        change(tagged.customerID, event) { view in
            view.tags.removeAll { tagged.removed.contains($0) }
            for tag in tagged.added where !view.tags.contains(tag) { view.tags.append(tag) }
            view.tags.sort()
        }
    }

    func apply(_ added: CRMContactAdded, _ event: CRMEvent) {
        change(added.customerID, event) { view in
            view.contacts.append(
                Customer360.Contact(
                    contactID: added.contactID,
                    name: added.name,
                    title: added.title,
                    phone: added.phone,
                    email: added.email,
                    birthday: added.hasBirthday ? Self.birthday(added.birthday) : nil,
                    addedAt: event.occurredAt.nanosecondsSinceEpoch,
                    updatedAt: nil
                )
            )
        }
    }

    func apply(_ updated: CRMContactUpdated, _ event: CRMEvent) {
        change(updated.customerID, event) { view in
            guard let index = view.contacts.firstIndex(where: { $0.contactID == updated.contactID }) else { return }
            for field in updated.changedFields {
                switch field {
                case "name": view.contacts[index].name = updated.name
                case "title": view.contacts[index].title = updated.title
                case "phone": view.contacts[index].phone = updated.phone
                case "email": view.contacts[index].email = updated.email
                case "birthday":
                    view.contacts[index].birthday = updated.hasBirthday ? Self.birthday(updated.birthday) : nil
                default: break
                }
            }
            view.contacts[index].updatedAt = event.occurredAt.nanosecondsSinceEpoch
        }
    }

    /// A birthday as the view shows it; `nil` for an empty one (month 0).
    static func birthday(_ date: CRMCalendarDate) -> Customer360.Birthday? {
        guard date.month != 0 else { return nil }
        return Customer360.Birthday(
            year: date.year == 0 ? nil : Int(date.year),
            month: Int(date.month),
            day: Int(date.day)
        )
    }

    func apply(_ change: CRMCustomerOwnershipChanged, _ event: CRMEvent) {
        let at = event.occurredAt.nanosecondsSinceEpoch
        let to = change.toOwnerID.isEmpty ? nil : change.toOwnerID
        self.change(change.customerID, event) { view in
            view.ownerHistory.append(
                Customer360.OwnershipChange(
                    from: change.fromOwnerID.isEmpty ? nil : change.fromOwnerID,
                    to: to,
                    reason: Self.reasonName(change.reason),
                    note: change.note,
                    actor: event.actor,
                    occurredAt: at,
                    position: event.position
                )
            )
            // The holder's list follows the owner the customer had here, whatever the event
            // says it came from, so the lists never keep a customer twice.
            moveListing(change.customerID, name: view.profile.name, from: view.owner, to: to, since: at)
            view.owner = to
            view.inPool = to == nil
            view.ownerSince = at
            view.releaseWarning = nil
        }
    }

    func apply(_ warning: CRMPoolReleaseWarned, _ event: CRMEvent) {
        change(warning.customerID, event) { view in
            view.releaseWarning = Customer360.ReleaseWarning(
                owner: warning.ownerID,
                releaseDueAt: CustomerTime.nanoseconds(warning.releaseDueAt),
                idleDays: Int(warning.idleDays),
                warnedAt: event.occurredAt.nanosecondsSinceEpoch
            )
        }
    }

    func apply(_ followUp: CRMFollowUpLogged, _ event: CRMEvent) {
        let at = event.occurredAt.nanosecondsSinceEpoch
        change(followUp.customerID, event) { view in
            view.followUps.plan.record(
                at: at,
                nextContact: followUp.hasNextContactAt ? CustomerTime.nanoseconds(followUp.nextContactAt) : nil
            )
            if (view.followUps.last?.occurredAt ?? .min) <= at {
                view.followUps.last = Customer360.FollowUp(
                    followUpID: followUp.followUpID,
                    channel: Self.channelName(followUp.channel),
                    contactID: followUp.contactID,
                    note: followUp.note,
                    actor: event.actor,
                    occurredAt: at
                )
            }
            // A follow-up at or after the warning is what the sweep waited for.
            if let warning = view.releaseWarning, at >= warning.warnedAt { view.releaseWarning = nil }
        }
    }

    func apply(_ survey: CRMSatisfactionSurveyed, _ event: CRMEvent) {
        let at = event.occurredAt.nanosecondsSinceEpoch
        change(survey.customerID, event) { $0.satisfaction.add(score: Int(survey.score), at: at) }
    }
}
