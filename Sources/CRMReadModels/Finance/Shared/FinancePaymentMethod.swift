import CRMSchema

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
