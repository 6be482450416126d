/// One user as the `users` read model keeps them (key: user id in `users`).
struct UserRow: Codable, Sendable, Hashable {
    var name = ""
    var email = ""
    /// The role's API name (`sales_rep`, …).
    var role = ""
    var teamID = ""
    var isActive = false
    /// The customers the user owns now.
    var holdings = 0
    /// The business day number (``PoolRules/businessDayNumber(of:)``) of the user's latest
    /// claim, and how many claims the log recorded on that day.
    var claimDay = 0
    var claimsThatDay = 0
}

/// One team (key: team id in `teams`).
struct TeamRow: Codable, Sendable, Hashable {
    var name = ""
}
