import ArgumentParser
import CRMDomain
import CRMServer
import EventStore
import Foundation

extension Rapport {
    /// Issues, lists and revokes API tokens.
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list, rotate and revoke the API tokens of a data directory.",
            discussion: """
                Tokens live hashed in the access store inside the data directory; a token is shown \
                once, when it is created. A user's token acts with that user's role, team and \
                scope as the log says at each request, and stops working once the user is \
                deactivated. Tokens expire (after 90 days unless --expires says otherwise): an \
                expired token is refused with 401 token_expired; `rotate` makes its successor for \
                the same user or service. Works beside a running server: a revoked token is \
                refused from the next request on. Examples:
                  rapport token create --user 0192e505-9000-7d23-9d45-35ed7d92bc78 --name laptop
                  rapport token create --service billing --role subscriber --expires 30
                  rapport token create --service legacy-crm --role migration --expires 7
                  rapport token list --json
                  rapport token rotate 1a2b3c4d --grace 3600
                  rapport token revoke 1a2b3c4d
                """,
            subcommands: [Create.self, List.self, Rotate.self, Revoke.self]
        )

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a token and print it (shown only now).")

            @OptionGroup var log: LogOptions

            @Option(help: "The CRM user the token acts as (their id).")
            var user: String?

            @Option(help: "A service the token is for, instead of a user.")
            var service: String?

            @Option(
                help:
                    "A service token's role: subscriber (events only, the default), auditor (read-only, everything) or migration (sends any command, to bring history in)."
            )
            var role: String?

            @Option(help: "A name to recognise the token by.")
            var name = ""

            @Option(help: "Days until the token expires (1 to 3650).")
            var expires = 90

            func validate() throws {
                guard (user == nil) != (service == nil) else {
                    throw ValidationError("give one of --user or --service")
                }
                if user != nil, role != nil {
                    throw ValidationError("a user's token has the user's role; --role is for --service")
                }
                if service != nil, ![AccessRole.subscriber, .auditor, .migration].contains(serviceRole) {
                    throw ValidationError("--role must be subscriber, auditor or migration for a service token")
                }
                guard (1...3_650).contains(expires) else { throw ValidationError("--expires must be 1 to 3650 days") }
            }

            private var serviceRole: AccessRole? { role.map { AccessRole(rawValue: $0) } ?? .subscriber }

            func run() async throws {
                try await reportingErrors {
                    let holder: AccessToken.Holder
                    if let user {
                        let eventLog = try log.openReadOnly()
                        let found = try UserDirectory(log: eventLog).user(user)
                        await eventLog.close()
                        guard let found, found.isActive else {
                            FileHandle.standardError.write(
                                Data("rapport: no active user \(user) in \(log.directory) [user_not_found]\n".utf8)
                            )
                            throw ExitCode(2)
                        }
                        holder = .user(id: found.userID)
                    } else {
                        guard let service, let serviceRole else { throw ExitCode.validationFailure }
                        holder = .service(name: service, role: serviceRole)
                    }
                    let store = try await log.openTokenStore()
                    defer { store.close() }
                    let (token, record) = try store.create(
                        for: holder,
                        name: name,
                        lifetime: TimeInterval(expires) * 86_400
                    )
                    FileHandle.standardError.write(
                        Data(
                            "rapport: token \(record.id) for \(record.actor), expires \(record.expiresAt.formatted(.iso8601)); it is shown only now\n"
                                .utf8
                        )
                    )
                    print(token)
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the tokens (never the tokens themselves).")

            @OptionGroup var log: LogOptions

            @Flag(help: "Print JSON.")
            var json = false

            func run() async throws {
                try await reportingErrors {
                    let store = try await log.openTokenStore()
                    defer { store.close() }
                    let tokens = try store.all()
                    if json {
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                        encoder.dateEncodingStrategy = .iso8601
                        print(String(decoding: try encoder.encode(tokens), as: UTF8.self))
                        return
                    }
                    for token in tokens {
                        let state =
                            if let revokedAt = token.revokedAt {
                                "revoked \(revokedAt.formatted(.iso8601))"
                            } else if store.hasExpired(token) { "expired \(token.expiresAt.formatted(.iso8601))" } else
                            { "active, expires \(token.expiresAt.formatted(.iso8601))" }
                        print(
                            "\(token.id)  \(token.actor)  \(token.name.isEmpty ? "-" : token.name)  created \(token.createdAt.formatted(.iso8601))  \(state)"
                        )
                    }
                }
            }
        }

        struct Rotate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "Make a new token for the same user or service and retire the old one (print the new one, shown only now).",
                discussion: """
                    The old token is revoked at once, or with --grace stays valid that many more \
                    seconds (never past its own expiry) while the services using it switch over. \
                    An expired token may be rotated; a revoked one may not.
                    """
            )

            @OptionGroup var log: LogOptions

            @Argument(help: "The token's id, as `rapport token list` shows it.")
            var id: String

            @Option(help: "Days until the new token expires (1 to 3650).")
            var expires = 90

            @Option(help: "Seconds the old token stays valid (0 to 2592000, 30 days); 0 revokes it now.")
            var grace = 0

            func validate() throws {
                guard (1...3_650).contains(expires) else { throw ValidationError("--expires must be 1 to 3650 days") }
                guard (0...2_592_000).contains(grace) else {
                    throw ValidationError("--grace must be 0 to 2592000 seconds")
                }
            }

            func run() async throws {
                try await reportingErrors {
                    let store = try await log.openTokenStore()
                    defer { store.close() }
                    guard
                        let rotated = try store.rotate(
                            id: id,
                            lifetime: TimeInterval(expires) * 86_400,
                            grace: TimeInterval(grace)
                        )
                    else {
                        FileHandle.standardError.write(Data("rapport: no token \(id) [token_not_found]\n".utf8))
                        throw ExitCode(2)
                    }
                    let old =
                        if let revokedAt = rotated.previous.revokedAt {
                            "revoked \(revokedAt.formatted(.iso8601))"
                        } else { "valid until \(rotated.previous.expiresAt.formatted(.iso8601))" }
                    FileHandle.standardError.write(
                        Data(
                            "rapport: token \(rotated.record.id) for \(rotated.record.actor) replaces \(rotated.previous.id) (\(old)), expires \(rotated.record.expiresAt.formatted(.iso8601)); it is shown only now\n"
                                .utf8
                        )
                    )
                    print(rotated.token)
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Revoke a token by its id; it is refused from the next request on."
            )

            @OptionGroup var log: LogOptions

            @Argument(help: "The token's id, as `rapport token list` shows it.")
            var id: String

            func run() async throws {
                try await reportingErrors {
                    let store = try await log.openTokenStore()
                    defer { store.close() }
                    guard let revoked = try store.revoke(id: id) else {
                        FileHandle.standardError.write(Data("rapport: no token \(id) [token_not_found]\n".utf8))
                        throw ExitCode(2)
                    }
                    print("revoked \(revoked.id) (\(revoked.actor))")
                }
            }
        }
    }
}

extension LogOptions {
    /// The token store of the data directory, which must hold a log: a mistyped directory is
    /// an error, not a new store.
    func openTokenStore() async throws -> TokenStore {
        await (try openReadOnly()).close()
        return try TokenStore(directory: directory + "/" + TokenStore.directoryName)
    }
}
