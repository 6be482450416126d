import CRMDomain
import CRMService
import RapportAPI

/// Users and teams: added, moved between teams, given another role, deactivated with their
/// customers handed on.
extension APIHandler {
    /// 201 with the team's id.
    func createTeam(_ input: Operations.CreateTeam.Input) async throws -> Operations.CreateTeam.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let teamID = try await created("teamId") {
            try await service.createTeam(named: body.name, actor: acting.actor, occurredAt: acting.occurredAt)
        }
        return .created(.init(body: .json(.init(teamId: teamID))))
    }

    /// 201 with the user's id.
    func addUser(_ input: Operations.AddUser.Input) async throws -> Operations.AddUser.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        var user = NewUser(name: body.name, email: body.email, role: try CommandValues.role(body.role.rawValue))
        user.teamID = body.teamId ?? ""
        let userID = try await created("userId") {
            try await service.addUser(user, actor: acting.actor, occurredAt: acting.occurredAt)
        }
        return .created(.init(body: .json(.init(userId: userID))))
    }

    /// The user joins another team.
    func moveUser(_ input: Operations.MoveUser.Input) async throws -> Operations.MoveUser.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.moveUser(
                    input.path.user,
                    toTeam: body.teamId,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// The user takes another role.
    func changeRole(_ input: Operations.ChangeRole.Input) async throws -> Operations.ChangeRole.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let role = try CommandValues.role(body.role.rawValue)
        return .ok(
            try await appended {
                try await service.changeRole(
                    of: input.path.user,
                    to: role,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// The user may no longer sign in; their customers go to `successorId`, or to the pool.
    func deactivateUser(_ input: Operations.DeactivateUser.Input) async throws -> Operations.DeactivateUser.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.deactivateUser(
                    input.path.user,
                    handingCustomersTo: body.successorId,
                    reason: body.reason,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }
}
