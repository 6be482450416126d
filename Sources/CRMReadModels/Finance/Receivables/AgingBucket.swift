import CRMDomain

/// How long an unpaid amount has been due, on the day asked about.
///
/// An instalment is due on its due day; on a day `D` it is `D - due` days overdue. The edges
/// are inclusive at both ends and the buckets do not overlap: an instalment due on `D` itself
/// (0 days) and one 30 days overdue are in `0-30`, 31 days in `31-60`, 60 in `31-60`, 61 in
/// `61-90`, 90 in `61-90`, 91 in `91-180`, 180 in `91-180`, and 181 or more in `180+`.
/// "As of D" means at the end of day `D`, so an instalment due on `D` and still unpaid then is
/// overdue.
public enum AgingBucket: String, Codable, Sendable, Hashable, CaseIterable {
    /// Due after the day asked about.
    case notYetDue = "not_yet_due"
    /// 0 to 30 days overdue.
    case days0to30 = "0-30"
    /// 31 to 60 days overdue.
    case days31to60 = "31-60"
    /// 61 to 90 days overdue.
    case days61to90 = "61-90"
    /// 91 to 180 days overdue.
    case days91to180 = "91-180"
    /// 181 days overdue or more.
    case over180 = "180+"

    /// The bucket of an amount `daysOverdue` days past its due day (negative: not yet due).
    public init(daysOverdue: Int) {
        switch daysOverdue {
        case ..<0: self = .notYetDue
        case 0...30: self = .days0to30
        case 31...60: self = .days31to60
        case 61...90: self = .days61to90
        case 91...180: self = .days91to180
        default: self = .over180
        }
    }
}

/// Unpaid amounts by ``AgingBucket``, in minor units of one currency.
public struct AgingBuckets: Codable, Sendable, Hashable {
    /// Due after the day asked about.
    public var notYetDue: Int64 = 0
    /// 0 to 30 days overdue.
    public var days0to30: Int64 = 0
    /// 31 to 60 days overdue.
    public var days31to60: Int64 = 0
    /// 61 to 90 days overdue.
    public var days61to90: Int64 = 0
    /// 91 to 180 days overdue.
    public var days91to180: Int64 = 0
    /// 181 days overdue or more.
    public var over180: Int64 = 0

    /// No amounts.
    public init() {}

    /// The amount in `bucket`.
    public subscript(bucket: AgingBucket) -> Int64 {
        get {
            switch bucket {
            case .notYetDue: notYetDue
            case .days0to30: days0to30
            case .days31to60: days31to60
            case .days61to90: days61to90
            case .days91to180: days91to180
            case .over180: over180
            }
        }
        set {
            switch bucket {
            case .notYetDue: notYetDue = newValue
            case .days0to30: days0to30 = newValue
            case .days31to60: days31to60 = newValue
            case .days61to90: days61to90 = newValue
            case .days91to180: days91to180 = newValue
            case .over180: over180 = newValue
            }
        }
    }

    /// Every bucket: all that is outstanding.
    public var total: Int64 { AgingBucket.allCases.lazy.map { self[$0] }.saturatingSum() }

    /// Every bucket but ``notYetDue``: what is overdue.
    public var overdue: Int64 { total.saturatingSubtract(notYetDue) }

    /// Adds `other` bucket by bucket.
    public mutating func add(_ other: AgingBuckets) {
        for bucket in AgingBucket.allCases { self[bucket].saturatingIncrement(by: other[bucket]) }
    }
}
