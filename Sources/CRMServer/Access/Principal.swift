public import CRMDomain

/// Who is making a request, as their token and the log say now.
public struct Principal: Sendable {
    /// The token used.
    public var token: AccessToken
    /// Their role now.
    public var role: AccessRole
    /// The CRM user, for a user's token; `nil` for a service.
    public var user: UserState?

    /// The actor recorded in the events this request appends.
    public var actor: String { token.actor }
}
