// The framework's own ceiling for `Benchmarks/HTTP/run-follow-ups.sh`: a minimal Hummingbird
// app that answers the same request as `rapport serve` does (POST a follow-up to a customer,
// with a bearer token and a JSON body), decoding and checking the body and answering 201 with
// a small JSON body, and doing nothing else: no log, no access checks, no read models.
//
// Usage: http-ceiling [PORT] (default 18290). The script runs it beside the server, under the
// same wrk, so the two figures come from one run on one machine.
import Hummingbird
import Synchronization

/// The follow-up body the script sends.
struct FollowUp: Decodable {
    var channel: String
    var note: String?
}

/// What the answer carries, shaped like the server's: the event's position.
struct Logged: ResponseEncodable {
    var position: Int
}

/// The channels a follow-up may name, as the server checks them.
let channels: Set<String> = ["call", "visit", "email", "im"]

/// Positions handed out, one per answer, as the log would.
final class Positions: Sendable {
    private let last = Mutex(0)
    func next() -> Int {
        last.withLock {
            $0 += 1
            return $0
        }
    }
}

let positions = Positions()
let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 18290
let router = Router()
router.post("/v1/customers/:customer/follow-ups") { request, context -> EditedResponse<Logged> in
    guard request.headers[.authorization]?.hasPrefix("Bearer ") == true else {
        throw HTTPError(.unauthorized)
    }
    let customer = try context.parameters.require("customer")
    guard !customer.isEmpty else { throw HTTPError(.notFound) }
    let body = try await request.decode(as: FollowUp.self, context: context)
    guard channels.contains(body.channel) else { throw HTTPError(.badRequest) }
    return EditedResponse(status: .created, response: Logged(position: positions.next()))
}
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "http-ceiling")
)
try await app.runService()
