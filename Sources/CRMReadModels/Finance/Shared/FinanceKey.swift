import CRMSchema
import EventStore
import SwiftProtobuf

/// Builds the keys of the finance read models' tables.
///
/// Keys join parts with `|` so that a prefix scan reads one month, one rep or one contract.
/// Free text (an expense item, a category, a region) may itself contain `|`, so each part is
/// escaped: `%` becomes `%25` and `|` becomes `%7C`; `a|b` + `c` and `a` + `b|c` stay apart.
enum FinanceKey {
    /// The parts joined with `|`, each escaped.
    static func join(_ parts: String...) -> String {
        var key = ""
        for (index, part) in parts.enumerated() {
            if index > 0 { key += "|" }
            key += escape(part)
        }
        return key
    }

    /// A prefix that matches every key starting with `parts` followed by more parts.
    static func prefix(_ parts: String...) -> String {
        var key = ""
        for part in parts { key += escape(part) + "|" }
        return key
    }

    /// `part` with `%` and `|` escaped; untouched (no copy) in the usual case of neither.
    static func escape(_ part: String) -> String {
        guard part.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "%") }) else { return part }
        return part.replacingPercentAndBar()
    }
}

extension String {
    fileprivate func replacingPercentAndBar() -> String {
        var escaped = ""
        for character in self {
            switch character {
            case "%": escaped += "%25"
            case "|": escaped += "%7C"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// Business-day helpers for the finance read models.
enum FinanceDay {
    /// The business day of a protobuf timestamp (a due date in an event's payload).
    static func of(_ time: Google_Protobuf_Timestamp) -> BusinessDay {
        BusinessDay(Timestamp(nanosecondsSinceEpoch: time.seconds &* 1_000_000_000 &+ Int64(time.nanos)))
    }

    /// Parses a query's `yyyy-mm-dd` date, refusing anything else.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` naming `parameter`.
    static func parse(_ text: String, parameter: String) throws(ReadModelQueryError) -> BusinessDay {
        guard let day = BusinessDay(text) else {
            throw .invalid(parameter, "\(parameter) is a date written yyyy-mm-dd, not \"\(text)\"")
        }
        return day
    }

    /// Whole minutes from `start` to `end`, rounded down; what durations are reported in.
    static func minutes(from start: Timestamp, to end: Timestamp) -> Int64 {
        (end.nanosecondsSinceEpoch - start.nanosecondsSinceEpoch).dividedRoundingDown(by: 60_000_000_000)
    }
}

/// The stable names of payment methods used in keys and results.
enum FinancePaymentMethod {
    /// `bank_transfer`, `cash`, `card`, `cheque`, `alipay`, `wechat_pay`, `unspecified`, or
    /// `method_<n>` for a value this build does not know.
    static func name(_ method: CRMPaymentMethod) -> String {
        switch method {
        case .unspecified: "unspecified"
        case .bankTransfer: "bank_transfer"
        case .cash: "cash"
        case .card: "card"
        case .cheque: "cheque"
        case .alipay: "alipay"
        case .wechatPay: "wechat_pay"
        case .UNRECOGNIZED(let value): "method_\(value)"
        }
    }
}
