import CRMDomain
import CRMService
import Foundation
import Hummingbird

/// Teams and users: who works in the CRM, in which team and role, until they leave. A
/// user's role and team count for their token from the next request on.
extension CommandRoutes {
    func addUsers(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/teams", use: createTeam)
        router.post("v1/users", use: addUser)
        router.post("v1/users/:user/team", use: moveUser)
        router.post("v1/users/:user/role", use: changeRole)
        router.post("v1/users/:user/deactivate", use: deactivateUser)
    }

    struct TeamBody: CommandBody {
        static let fields: Set<String> = ["name"]
        var name: String
    }

    /// `POST /v1/teams`: 201 with the team's id; 409 `duplicate_team` for a name in use.
    @Sendable func createTeam(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await TeamBody.decodeCommand(from: request, context: context)
        return try await created("teamId") {
            try await service.createTeam(named: body.name, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct NewUserBody: CommandBody {
        static let fields: Set<String> = ["name", "email", "role", "teamId"]
        var name: String
        var email: String
        var role: String
        var teamId: String?
    }

    /// `POST /v1/users`: 201 with the user's id; 409 `duplicate_user` for an email in use.
    /// The user gets no token: `rapport token create` makes one.
    @Sendable func addUser(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await NewUserBody.decodeCommand(from: request, context: context)
        var user = NewUser(name: body.name, email: body.email, role: try CommandValues.role(body.role))
        user.teamID = body.teamId ?? ""
        return try await created("userId") {
            try await service.addUser(user, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct MoveUserBody: CommandBody {
        static let fields: Set<String> = ["teamId"]
        var teamId: String
    }

    /// `POST /v1/users/{user}/team`: to another team.
    @Sendable func moveUser(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await MoveUserBody.decodeCommand(from: request, context: context)
        let user = try context.parameters.require("user")
        return try await appended {
            try await service.moveUser(user, toTeam: body.teamId, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct RoleBody: CommandBody {
        static let fields: Set<String> = ["role"]
        var role: String
    }

    /// `POST /v1/users/{user}/role`: another role.
    @Sendable func changeRole(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await RoleBody.decodeCommand(from: request, context: context)
        let user = try context.parameters.require("user")
        let role = try CommandValues.role(body.role)
        return try await appended {
            try await service.changeRole(of: user, to: role, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct DeactivateBody: CommandBody {
        static let fields: Set<String> = ["reason", "successorId"]
        var reason: String
        /// Who takes over the user's customers; without one they go to the public pool.
        var successorId: String?
    }

    /// `POST /v1/users/{user}/deactivate`: the user leaves, handing every customer to
    /// `successorId` or the pool. An admin deactivates anyone, a manager their team's reps,
    /// finance and auditors (the domain decides: 403 `outside_scope`).
    @Sendable func deactivateUser(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await DeactivateBody.decodeCommand(from: request, context: context)
        let user = try context.parameters.require("user")
        return try await appended {
            try await service.deactivateUser(
                user,
                handingCustomersTo: body.successorId,
                reason: body.reason,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }
}
