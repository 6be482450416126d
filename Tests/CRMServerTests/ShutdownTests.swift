import AsyncHTTPClient
import CRMSchema
import CRMServer
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import RapportTestSupport
import Synchronization
import Testing

/// A graceful shutdown in the middle of a load of commands loses none that were acknowledged.
@Suite("Shutting down under load")
struct ShutdownTests {
    @Test("every follow-up answered 201 before or during the shutdown is in the log afterwards")
    func noAcknowledgedCommandLost() async throws {
        var rep = ""
        var customers: [String] = []
        let server = try await RunningServer.start("shutdown-load") { log in
            let crm = CRMService(log: log, clock: RunningServer.businessClock)
            rep = try await crm.addUser(NewUser(name: "Rui", email: "rui@example.com", role: .salesRep), actor: "setup")
            for index in 0..<16 {
                var customer = NewCustomer(name: "Customer \(index) Trading")
                customer.ownerID = rep
                customers.append(try await crm.createCustomer(customer, actor: rep))
            }
        }
        let token = try server.tokens.create(for: .user(id: rep), name: "load").token
        let tally = Acknowledgements()
        let customerList = customers

        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<32 {
                group.addTask {
                    let customer = customerList[caller % customerList.count]
                    // Until the shutdown, a failed request is retried (a busy machine can make one
                    // time out); after it, the caller stops at the first failure.
                    while true {
                        var request = HTTPClientRequest(url: server.baseURL + "/v1/customers/\(customer)/follow-ups")
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        request.body = .bytes(ByteBuffer(string: #"{"channel":"call","note":"load"}"#))
                        // A request sent as the server closes may get no answer: the caller gives up
                        // after its timeout, and the command counts as unacknowledged.
                        let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(5))
                        let body = try? await response?.body.collect(upTo: 1 << 16)
                        guard let response, response.status == .created, let body,
                            let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                            let position = json["position"] as? Int
                        else {
                            if tally.isStopping { return }
                            continue
                        }
                        tally.record(position: position, customer: customer)
                    }
                }
            }
            // Let the load build up, then shut down in the middle of it.
            while tally.count < 300 { try await Task.sleep(for: .milliseconds(5)) }
            tally.isStopping = true
            try await server.stop()
            try await group.waitForAll()
        }

        let acks = tally.all
        #expect(acks.count >= 300)
        #expect(server.log.isClosed)
        var options = LMDBEventLog.Options()
        options.readOnly = true
        let reopened = try LMDBEventLog(directory: server.directory.path, options: options)
        #expect(try reopened.verify().isIntact)
        for ack in acks {
            let event = try #require(try reopened.readAll(from: UInt64(ack.position), limit: 1).first)
            #expect(event.position == UInt64(ack.position))
            #expect(event.type == "crm.v1.FollowUpLogged")
            #expect(event.stream.rawValue == "customer-" + ack.customer)
        }
        await reopened.close()
    }
}

/// The commands the server acknowledged, from many callers at once.
private final class Acknowledgements: Sendable {
    private let acks = Mutex<[(position: Int, customer: String)]>([])
    private let stopping = Atomic<Bool>(false)

    /// Set once the shutdown begins.
    var isStopping: Bool {
        get { stopping.load(ordering: .acquiring) }
        set { stopping.store(newValue, ordering: .releasing) }
    }

    func record(position: Int, customer: String) {
        acks.withLock { $0.append((position, customer)) }
    }

    var count: Int { acks.withLock { $0.count } }
    var all: [(position: Int, customer: String)] { acks.withLock { $0 } }
}
