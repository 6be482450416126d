import CRMDomain
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Resolves `Authorization: Bearer <token>` into the request's ``Principal``.
///
/// The token must be known, not revoked and not expired (by the token store's clock), and a
/// user's token needs the user active now: a deactivated user's tokens stop working at the
/// first request after the deactivation was appended. ``AccessCheck`` then applies the
/// route's rule from ``AccessTable``; a route the table marks open needs no token.
struct Authenticator: RouterMiddleware {
    typealias Context = RapportRequestContext
    let tokens: TokenStore
    let users: UserDirectory

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // An open path needs no token with any method: one it does not serve is a 405, not a 401.
        // (A method the router has no route for leaves no endpoint path: the request's own is it.)
        let path = context.endpointPath ?? request.uri.path
        if AccessTable.rule(method: request.method.rawValue, path: path)?.isOpen == true
            || AccessTable.rule(method: "GET", path: path)?.isOpen == true
        {
            return try await next(request, context)
        }
        var context = context
        let principal: Principal
        do {
            principal = try self.principal(for: request)
        } catch let refusal as APIError {
            context.logger.info(
                "request",
                metadata: [
                    "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "401",
                    "code": "\(refusal.code)",
                ]
            )
            throw refusal
        }
        context.principal = principal
        // Every entry logged while answering names who asked. Set in one assignment: a log
        // handler may render its whole metadata again on every change.
        var metadata = context.logger.handler.metadata
        metadata["actor"] = "\(principal.actor)"
        metadata["role"] = "\(principal.role.rawValue)"
        context.logger.handler.metadata = metadata
        return try await next(request, context)
    }

    private func principal(for request: Request) throws -> Principal {
        guard let header = request.headers[.authorization] else {
            throw APIError(
                .unauthorized,
                .unauthenticated,
                "this route needs an API token: Authorization: Bearer <token>"
            )
        }
        guard header.utf8.count > 7, header.prefix(7).lowercased() == "bearer ",
            case let token = trimmingBlanks(header.dropFirst(7)),
            !token.isEmpty
        else {
            throw APIError(.unauthorized, .unauthenticated, "the Authorization header must be Bearer <token>")
        }
        guard let record = try tokens.lookUp(token) else {
            throw APIError(.unauthorized, .invalidToken, "the token is not one this server issued")
        }
        if let revokedAt = record.revokedAt {
            throw APIError(
                .unauthorized,
                .tokenRevoked,
                "the token was revoked",
                facts: ["tokenID": record.id, "revokedAt": "\(revokedAt)"]
            )
        }
        if tokens.hasExpired(record) {
            throw APIError(
                .unauthorized,
                .tokenExpired,
                "the token expired; ask for a new one (rapport token rotate)",
                facts: ["tokenID": record.id, "expiresAt": record.expiresAt.formatted(.iso8601)]
            )
        }
        switch record.holder {
        case .service(_, let role):
            return Principal(token: record, role: role, user: nil)
        case .user(let id):
            guard let user = try users.user(id), user.exists else {
                throw APIError(
                    .unauthorized,
                    .unknownUser,
                    "the token's user \(id) is not in the log",
                    facts: ["userID": id]
                )
            }
            guard user.isActive else {
                throw APIError(
                    .unauthorized,
                    .userInactive,
                    "the token's user \(id) has been deactivated",
                    facts: ["userID": id]
                )
            }
            guard let role = AccessRole(user.role) else {
                throw APIError(.unauthorized, .noRole, "the token's user \(id) has no role", facts: ["userID": id])
            }
            return Principal(token: record, role: role, user: user)
        }
    }
}

extension RapportRequestContext {
    /// The principal, who must hold one of `roles`.
    ///
    /// - Throws: 401 when the request carries no principal, 403 naming the role otherwise.
    func require(_ roles: Set<AccessRole>) throws -> Principal {
        guard let principal else {
            throw APIError(.unauthorized, .unauthenticated, "this route needs an API token")
        }
        guard roles.contains(principal.role) else {
            throw APIError(
                .forbidden,
                .forbidden,
                "the \(principal.role.rawValue) role may not use this route",
                facts: [
                    "role": principal.role.rawValue, "allowed": roles.map(\.rawValue).sorted().joined(separator: ","),
                ]
            )
        }
        return principal
    }
}

/// `text` without the spaces and tabs around it (Foundation's trimming cost more than the rest
/// of the token check).
private func trimmingBlanks(_ text: Substring) -> String {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) }) else {
        return ""
    }
    return String(text[first...last])
}
