/// A normalized dedup key (撞单 prevention): what two leads or customers must not share.
///
/// A key always holds a normalized value: the only way to make one is to normalize an input,
/// so two spellings of the same company, phone, email or credit code give equal keys.
/// ``uniqueKey`` is the string the command layer reserves in the log, such as
/// `phone:+8613800138000`; every kind keeps it within the log's 400-byte unique-key limit.
public struct DedupKey: Hashable, Sendable, CustomStringConvertible {
    /// What a key identifies. The raw value is the prefix of ``DedupKey/uniqueKey``.
    public enum Kind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// A company name, normalized by ``CompanyName/normalized(_:)``.
        case company
        /// A unified social credit code, checked by ``CreditCode/validated(_:)``.
        case creditCode = "uscc"
        /// A phone number in E.164, from ``PhoneNumber/e164(_:)``.
        case phone
        /// An email address, normalized by ``EmailAddress/normalized(_:)``.
        case email

        public var description: String { rawValue }
    }

    /// What the key identifies.
    public let kind: Kind
    /// The normalized value, such as `+8613800138000` or `北京星辰科技`.
    public let value: String

    /// Normalizes `input` as a key of `kind`.
    ///
    /// - Throws: ``DedupKeyError`` with the code for `kind` when `input` cannot be normalized.
    public init(_ kind: Kind, normalizing input: String) throws(DedupKeyError) {
        self.kind = kind
        switch kind {
        case .company: value = try CompanyName.normalized(input)
        case .creditCode: value = try CreditCode.validated(input)
        case .phone: value = try PhoneNumber.e164(input)
        case .email: value = try EmailAddress.normalized(input)
        }
    }

    /// The dedup keys of a company: its name always, the credit code, phone and email when
    /// given, in that order.
    ///
    /// - Throws: ``DedupKeyError`` for the first input that cannot be normalized.
    public static func keys(
        company name: String,
        creditCode: String,
        phone: String,
        email: String
    ) throws(DedupKeyError) -> [DedupKey] {
        var keys = [try DedupKey(.company, normalizing: name)]
        if !creditCode.isEmpty { keys.append(try DedupKey(.creditCode, normalizing: creditCode)) }
        if !phone.isEmpty { keys.append(try DedupKey(.phone, normalizing: phone)) }
        if !email.isEmpty { keys.append(try DedupKey(.email, normalizing: email)) }
        return keys
    }

    /// The string reserved in the log: `kind:value`, such as `company:北京星辰科技`.
    ///
    /// The prefix keeps kinds apart, so a company named like an email address cannot take
    /// that address's key.
    public var uniqueKey: String { "\(kind.rawValue):\(value)" }

    public var description: String { uniqueKey }
}
