import CRMDomain
import CRMReadModels
import CRMService
import Foundation
import HTTPTypes
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

/// The users and teams as the people who run them see them: admins and auditors all of them,
/// a manager their own team.
extension APIHandler {
    /// The users, by id, measured against the pool rules in force, a page at a time (`next`
    /// is a user id).
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let query = input.query
        let team = try scope.team(try caller, asked: query.team)
        let now = try requestTime
        let all = try await people(at: now).users(team: team, now: now)
        let page = try ListPage(all, key: \.userID, after: query.after, limit: query.limit)
        return .ok(.init(body: .json(.init(users: try answer(page.items), next: page.next))))
    }

    /// One user, for an admin or an auditor, or a manager of their team.
    func user(_ input: Operations.User.Input) async throws -> Operations.User.Output {
        let principal = try caller
        let now = try requestTime
        let user = try await people(at: now).user(id: input.path.user, now: now)
        guard try scope.allows(principal, owner: user.userID) else {
            throw APIError(
                .forbidden,
                .outsideScope,
                "user \(user.userID) is outside your team",
                facts: ["user": user.userID, "role": principal.role.rawValue]
            )
        }
        return .ok(.init(body: .json(try answer(user))))
    }

    /// The teams with their active members and the customers those hold.
    func listTeams(_ input: Operations.ListTeams.Input) async throws -> Operations.ListTeams.Output {
        let team = try scope.team(try caller, asked: nil)
        let teams = try await people(at: try requestTime).teams(team)
        return .ok(.init(body: .json(.init(teams: try answer(teams)))))
    }

    /// The users and teams read model, measured against the pool rules in force at `time`.
    private func people(at time: Date) async throws -> UserQueries {
        UserQueries(store: reads, rules: try await service.poolRules(at: time))
    }
}
