import ArgumentParser
import CRMDomain
import CRMServer
import EventStore
import Foundation

extension Rapport {
    /// Issues, lists and revokes API tokens.
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and revoke the API tokens of a data directory.",
            discussion: """
                Tokens live hashed in the access store inside the data directory; a token is shown \
                once, when it is created. A user's token acts with that user's role, team and \
                scope as the log says at each request, and stops working once the user is \
                deactivated. Works beside a running server: a revoked token is refused from the \
                next request on. Examples:
                  rapport token create --user 0192e505-9000-7d23-9d45-35ed7d92bc78 --name laptop
                  rapport token create --service billing --role subscriber
                  rapport token list --json
                  rapport token revoke 1a2b3c4d
                """,
            subcommands: [Create.self, List.self, Revoke.self]
        )

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a token and print it (shown only now).")

            @OptionGroup var log: LogOptions

            @Option(help: "The CRM user the token acts as (their id).")
            var user: String?

            @Option(help: "A service the token is for, instead of a user.")
            var service: String?

            @Option(help: "A service token's role: subscriber (events only, the default) or auditor (read-only, everything).")
            var role: String?

            @Option(help: "A name to recognise the token by.")
            var name = ""

            func validate() throws {
                guard (user == nil) != (service == nil) else { throw ValidationError("give one of --user or --service") }
                if user != nil, role != nil { throw ValidationError("a user's token has the user's role; --role is for --service") }
                if service != nil, ![AccessRole.subscriber, .auditor].contains(serviceRole) {
                    throw ValidationError("--role must be subscriber or auditor for a service token")
                }
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
                            FileHandle.standardError.write(Data("rapport: no active user \(user) in \(log.directory) [user_not_found]\n".utf8))
                            throw ExitCode(2)
                        }
                        holder = .user(id: found.userID)
                    } else {
                        guard let service, let serviceRole else { throw ExitCode.validationFailure }
                        holder = .service(name: service, role: serviceRole)
                    }
                    let store = try await log.openTokenStore()
                    defer { store.close() }
                    let (token, record) = try store.create(for: holder, name: name)
                    FileHandle.standardError.write(Data("rapport: token \(record.id) for \(record.actor); it is shown only now\n".utf8))
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
                        let state = token.revokedAt.map { "revoked \($0.formatted(.iso8601))" } ?? "active"
                        print("\(token.id)  \(token.actor)  \(token.name.isEmpty ? "-" : token.name)  created \(token.createdAt.formatted(.iso8601))  \(state)")
                    }
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a token by its id; it is refused from the next request on.")

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
