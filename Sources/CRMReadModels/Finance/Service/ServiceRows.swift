/// After-sales figures of one month and one rep (the customer's owner; empty for a customer in
/// the public pool).
struct ServiceCellRow: Codable, Sendable {
    var month: String
    var repID: String
    var workOrdersOpened = 0
    var workOrdersClosed = 0
    /// Minutes from opening to closing, added over the work orders closed.
    var closeMinutes: Int64 = 0
    var complaintsFiled = 0
    var complaintsResolved = 0
    /// Minutes from filing to resolution, added over the complaints resolved.
    var resolutionMinutes: Int64 = 0
    /// Complaints filed, by category.
    var filedByCategory: [String: Int] = [:]
    /// Complaints resolved, by root cause.
    var resolvedByRootCause: [String: Int] = [:]
    var surveys = 0
    /// Surveys scoring 1, 2, 3, 4 and 5.
    var scores = [0, 0, 0, 0, 0]
    var scoreSum = 0
}

/// A work order or complaint still open: when it was opened and the rep it counts for.
struct ServiceOpenRow: Codable, Sendable {
    var openedAt: Int64
    var repID: String
}

/// A customer's current owner.
struct ServiceOwnerRow: Codable, Sendable {
    var ownerID: String
}
