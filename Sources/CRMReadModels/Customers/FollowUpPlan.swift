/// A customer's follow-ups as the reminders and the 360 view need them: when the last one was,
/// and the next contact it planned, if that is still ahead of the rep.
///
/// The rules, by business time (a follow-up may be entered after the fact):
/// - The latest follow-up that names a next contact sets the plan; an earlier one entered
///   later does not override it.
/// - A follow-up that names no next contact fulfils the plan when it happens on or after the
///   plan's business day; before that day it is an extra touch and the plan stands.
/// So a plan whose day has passed is one nobody followed up on: an overdue follow-up.
public struct FollowUpPlan: Codable, Sendable, Hashable {
    /// How many follow-ups were logged.
    public var count = 0
    /// The business time of the latest follow-up, nanoseconds since the Unix epoch.
    public var lastAt: Int64?
    /// The planned next contact, nanoseconds since the Unix epoch; `nil` when none is pending.
    public var nextContactAt: Int64?
    /// The business time of the follow-up that set or fulfilled the plan.
    public var plannedAt: Int64?

    /// No follow-ups yet.
    public init() {}

    /// Folds one follow-up at business time `time`, naming `nextContact` or none.
    mutating func record(at time: Int64, nextContact: Int64?) {
        count += 1
        lastAt = max(lastAt ?? time, time)
        if let plannedAt, time < plannedAt { return }
        if let nextContact {
            nextContactAt = nextContact
            plannedAt = time
        } else if let due = nextContactAt, CustomerTime.day(time) >= CustomerTime.day(due) {
            nextContactAt = nil
            plannedAt = time
        }
    }
}
