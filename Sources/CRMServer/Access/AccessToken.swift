public import Foundation

/// An API token as the token store keeps it: never the token itself, only its SHA-256.
public struct AccessToken: Sendable, Hashable, Codable {
    /// Who the token speaks for.
    public enum Holder: Sendable, Hashable, Codable {
        /// A CRM user: their role, team and whether they are active come from the log at each
        /// request, so a role change or a deactivation takes effect at once.
        case user(id: String)
        /// Another service, with a fixed role (`subscriber`, `auditor` or `migration`).
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
    /// From when it is refused as expired (401 `token_expired`). A record stored before tokens
    /// expired has none, and reads as expiring ``defaultLifetime`` after its creation.
    public var expiresAt: Date
    /// The token this one replaced, when it was made by a rotation.
    public var rotatedFrom: String?

    /// How long a token lives unless its maker says otherwise: 90 days.
    public static let defaultLifetime: TimeInterval = 90 * 86_400

    /// A record of a token made at `createdAt` that expires at `expiresAt`.
    public init(
        id: String,
        holder: Holder,
        name: String,
        createdAt: Date,
        revokedAt: Date? = nil,
        expiresAt: Date,
        rotatedFrom: String? = nil
    ) {
        (self.id, self.holder, self.name, self.createdAt) = (id, holder, name, createdAt)
        (self.revokedAt, self.expiresAt, self.rotatedFrom) = (revokedAt, expiresAt, rotatedFrom)
    }

    private enum CodingKeys: String, CodingKey {
        case id, holder, name, createdAt, revokedAt, expiresAt, rotatedFrom
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        holder = try container.decode(Holder.self, forKey: .holder)
        name = try container.decode(String.self, forKey: .name)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        revokedAt = try container.decodeIfPresent(Date.self, forKey: .revokedAt)
        expiresAt =
            try container.decodeIfPresent(Date.self, forKey: .expiresAt)
            ?? createdAt.addingTimeInterval(Self.defaultLifetime)
        rotatedFrom = try container.decodeIfPresent(String.self, forKey: .rotatedFrom)
    }

    /// The actor recorded in the metadata of the events a request appends.
    public var actor: String {
        switch holder {
        case .user(let id): id
        case .service(let name, _): "service:" + name
        }
    }
}
