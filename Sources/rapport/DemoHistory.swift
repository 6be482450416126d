import EventStore
import Foundation

/// A small, deterministic CRM-shaped history: customers are claimed, reps follow up, some
/// deals close and are paid. Its events are JSON under `demo.*` types, so they never pass for
/// the `crm.v1` protobuf events of the catalogue; the workload generator replaces it.
struct DemoHistory {
    var customers: Int

    /// Appends the history in batches, each customer's events to its own stream.
    func append(to log: LMDBEventLog) async throws -> Int {
        var generator = SplitMix64(seed: 2026)
        var appended = 0
        var batch: [StreamAppend] = []
        var keys: [(key: UniqueKey, owner: StreamName)] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let start = Timestamp(nanosecondsSinceEpoch: 1_735_689_600_000_000_000)  // 2025-01-01
        for index in 0..<customers {
            let id = String(format: "%08d", index)
            let customer = try StreamName(category: "customer", id: id)
            let rep = "rep-\(generator.next() % 40)"
            var time = start.nanosecondsSinceEpoch + Int64(generator.next() % 600) * 86_400_000_000_000
            func event(_ type: String, _ fields: [String: String]) throws -> EventData {
                time += Int64(1 + generator.next() % 14) * 86_400_000_000_000
                let payload = try encoder.encode(fields)
                return EventData(
                    type: type,
                    contentType: "application/json",
                    payload: Array(payload),
                    metadata: EventMetadata(actor: rep, occurredAt: Timestamp(nanosecondsSinceEpoch: time))
                )
            }
            var events = try [
                event("demo.CustomerCreated", ["name": "Customer \(id) Ltd", "region": ["North", "East", "South", "West"][index % 4]]),
                event("demo.CustomerClaimed", ["owner": rep]),
            ]
            for _ in 0..<(1 + generator.next() % 6) {
                events.append(try event("demo.FollowUpLogged", ["channel": ["call", "visit", "email", "im"][Int(generator.next() % 4)], "note": "talked about next quarter's order"]))
            }
            if generator.next() % 3 == 0 {
                let amount = String(10_000 + generator.next() % 90_000)
                events.append(try event("demo.ContractSigned", ["amount": amount, "currency": "CNY"]))
                events.append(try event("demo.PaymentReceived", ["amount": amount, "currency": "CNY", "method": "bank_transfer"]))
            }
            batch.append(StreamAppend(stream: customer, expectedVersion: .noStream, events: events))
            keys.append((try UniqueKey("company:customer \(id) ltd"), customer))
            if batch.count == 200 || index == customers - 1 {
                let result = try await log.append(AppendRequest(batch, reserving: keys))
                appended += result.positions.count
                batch.removeAll()
                keys.removeAll()
            }
        }
        return appended
    }
}

/// A tiny deterministic random generator, so every demo history is the same.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
