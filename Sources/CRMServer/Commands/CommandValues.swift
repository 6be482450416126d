import CRMDomain
import CRMSchema
import Foundation
import HTTPTypes

/// The names the API uses for the protobuf enums and the shared shapes of command bodies,
/// each read strictly: an unknown name is a 400 `invalid_value` naming the field and the
/// names it accepts.
enum CommandValues {
    /// How a follow-up was made.
    static let channel = Names(
        "channel",
        [("call", CRMFollowUpChannel.call), ("visit", .visit), ("email", .email), ("im", .im)]
    )

    /// How money moved.
    static let paymentMethod = Names(
        "method",
        [
            ("bank_transfer", CRMPaymentMethod.bankTransfer), ("cash", .cash), ("card", .card), ("cheque", .cheque),
            ("alipay", .alipay), ("wechat_pay", .wechatPay),
        ]
    )

    /// How a campaign reaches its segment.
    static let campaignChannel = Names(
        "channel",
        [
            ("email", CRMCampaignChannel.email), ("sms", .sms), ("event", .event), ("web", .web), ("social", .social),
            ("phone", .phone),
        ]
    )

    /// A CRM user's role (the same names as the access roles).
    static let role = Names(
        "role",
        [
            ("admin", CRMRole.admin), ("manager", .manager), ("sales_rep", .salesRep), ("finance", .finance),
            ("auditor", .auditor),
        ]
    )

    /// The API's names for the values of one enum.
    struct Names<Value: Equatable>: Sendable where Value: Sendable {
        /// The body field the names usually come in.
        let field: String
        let pairs: [(name: String, value: Value)]

        init(_ field: String, _ pairs: [(String, Value)]) {
            self.field = field
            self.pairs = pairs.map { (name: $0.0, value: $0.1) }
        }

        /// The value called `name`, read from `field` (``field`` unless told).
        ///
        /// - Throws: 400 `invalid_value` naming the field and the accepted names.
        func callAsFunction(_ name: String, field: String? = nil) throws -> Value {
            guard let pair = pairs.first(where: { $0.name == name }) else {
                let field = field ?? self.field
                let accepted = pairs.map(\.name)
                throw APIError(
                    .badRequest,
                    .invalidValue,
                    "\(field) is \"\(name)\"; use one of \(accepted.joined(separator: ", "))",
                    facts: ["field": field, "accepted": accepted.joined(separator: ",")]
                )
            }
            return pair.value
        }

        /// The name of `value`, or `nil` for a value the API has no name for (unspecified).
        func name(of value: Value) -> String? {
            pairs.first { $0.value == value }?.name
        }
    }

    /// A calendar day, `yyyy-mm-dd`, or `--mm-dd` for a day without a known year (a
    /// birthday); the domain checks that the day exists.
    ///
    /// - Throws: 400 `invalid_value` naming `field`.
    static func day(_ text: String, field: String) throws -> CRMCalendarDate {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let numbers: [Int32]? =
            switch parts.count {
            case 3 where parts[0].count == 4: parts.compactMap { Int32($0) }
            case 4 where parts[0].isEmpty && parts[1].isEmpty: [0] + parts.dropFirst(2).compactMap { Int32($0) }
            default: nil
            }
        guard let numbers, numbers.count == 3, parts.suffix(2).allSatisfy({ $0.count == 2 }) else {
            throw APIError(
                .badRequest,
                .invalidValue,
                "\(field) is \"\(text)\", not a day such as 1990-04-17 or --04-17",
                facts: ["field": field]
            )
        }
        var day = CRMCalendarDate()
        (day.year, day.month, day.day) = (numbers[0], numbers[1], numbers[2])
        return day
    }
}
