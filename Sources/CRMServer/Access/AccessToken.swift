public import Foundation

/// An API token as the token store keeps it: never the token itself, only its SHA-256.
public struct AccessToken: Sendable, Hashable, Codable {
    /// Who the token speaks for.
    public enum Holder: Sendable, Hashable, Codable {
        /// A CRM user: their role, team and whether they are active come from the log at each
        /// request, so a role change or a deactivation takes effect at once.
        case user(id: String)
        /// Another service, with a fixed role (`subscriber` or `auditor`).
        case service(name: String, role: AccessRole)
    }

    /// A short id for listing and revoking; not a secret.
    public var id: String
    /// Who the token speaks for.
    public var holder: Holder
    /// What the operator called it.
    public var name: String
    /// When it was made.
    public var createdAt: Date
    /// When it was revoked; a revoked token is refused.
    public var revokedAt: Date?

    /// The actor recorded in the metadata of the events a request appends.
    public var actor: String {
        switch holder {
        case .user(let id): id
        case .service(let name, _): "service:" + name
        }
    }
}
