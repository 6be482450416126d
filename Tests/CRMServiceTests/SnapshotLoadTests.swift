import CRMDomain
import CRMSchema
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import SwiftProtobuf
import Synchronization
import Testing

@testable import CRMService

/// A reproducible generator for random histories.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The wall clock moved by whole days: the log records claims by the wall clock, so a test of
/// the daily limit needs a "now" on the same days, and moves it to the next day itself.
final class ShiftedWallClock: CRMClock {
    private let shift = Mutex<TimeInterval>(0)
    func now() -> Date { Date().addingTimeInterval(shift.withLock { $0 }) }
    func advance(days: Double) { shift.withLock { $0 += days * 86_400 } }
}

@Suite("Commands load long streams through snapshots")
struct SnapshotLoadTests {
    /// Snapshots offered after every second event folded, so histories of a few dozen events
    /// go through many of them.
    static let eager = SnapshotPolicy(isEnabled: true, foldThreshold: 2)

    /// Appends an empty event to a stream of its own: the commit that writes the snapshots
    /// offered so far.
    func writeOfferedSnapshots(_ log: LMDBEventLog) async throws {
        try await log.append(to: stream("test-flush"), [testEvent()])
    }

    // MARK: - Equal to the whole fold

    @Test(
        "a rep's and a customer's state through snapshots equal the fold of the whole stream, over random claims, releases and transfers",
        arguments: 0..<6
    )
    func userHistories(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let world = try CRMWorld("snapshot-users")
        let crm = CRMService(log: world.log, clock: world.clock, snapshots: Self.eager)
        let whole = CRMService(log: world.log, clock: world.clock, snapshots: .disabled)
        let team = try await world.team("East")
        let manager = try await world.user("manager", role: .manager, team: team)
        var reps: [String] = []
        for index in 0..<3 { reps.append(try await world.user("rep\(index)", team: team)) }
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap, rules.previousOwnerCooldownDays) = (1_000, 1_000, 0)
        try await crm.configurePoolRules(rules, actor: "admin")
        var customers: [String] = []
        for index in 0..<10 { customers.append(try await world.poolCustomer("客户\(seed)-\(index)有限公司")) }

        for _ in 0..<60 {
            let rep = reps.randomElement(using: &random) ?? reps[0]
            let customer = customers.randomElement(using: &random) ?? customers[0]
            do {
                switch Int.random(in: 0..<14, using: &random) {
                case 0..<5: try await crm.claimCustomer(customer, actor: rep)
                case 5..<8: try await crm.releaseCustomer(customer, actor: rep)
                case 8..<10:
                    let receiver = reps.randomElement(using: &random) ?? reps[0]
                    try await crm.transferCustomer(customer, to: receiver, actor: manager)
                case 10:
                    var followUp = CRMFollowUpLogged()
                    (followUp.customerID, followUp.channel) = (customer, .call)
                    try await crm.logFollowUp(followUp, actor: rep)
                case 11:
                    let tag = "t\(Int.random(in: 0..<3, using: &random))"
                    try await crm.tagCustomer(
                        customer,
                        adding: [tag],
                        removing: ["t0"].filter { $0 != tag },
                        actor: rep
                    )
                default:
                    var contact = CustomerDecisions.ContactFields()
                    contact.name = "联系人\(Int.random(in: 0..<100, using: &random))"
                    _ = try await crm.addContact(to: customer, contact, actor: rep)
                }
            } catch is DomainError {
                // Claims of held customers, releases by non-owners: refused, nothing appended.
            }
            if Int.random(in: 0..<4, using: &random) == 0 { world.clock.advance(days: 1) }
            for rep in reps {
                let (snapshotted, version) = try await crm.loadUser(rep)
                let (folded, wholeVersion) = try await whole.loadUser(rep)
                #expect(snapshotted == folded)
                #expect(version == wholeVersion)
                #expect(try StateSnapshotCoding.encode(snapshotted) == StateSnapshotCoding.encode(folded))
            }
            let (snapshotted, version) = try await crm.loadCustomer(customer)
            let (folded, wholeVersion) = try await whole.loadCustomer(customer)
            #expect(snapshotted == folded)
            #expect(version == wholeVersion)
            #expect(try StateSnapshotCoding.encode(snapshotted) == StateSnapshotCoding.encode(folded))
        }
        for rep in reps {
            let kept = try #require(try world.log.snapshot(of: stream("user-\(rep)")))
            let anchor = try #require(
                try world.log.readStream(stream("user-\(rep)"), from: kept.version, limit: 1).first
            )
            #expect(kept.isAnchored(at: anchor), "the snapshots kept are this log's")
        }
        await world.close()
    }

    @Test(
        "a contract's state through snapshots equals the fold of the whole stream, over random contract events",
        arguments: 0..<6
    )
    func contractHistories(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let world = try CRMWorld("snapshot-contracts")
        let crm = CRMService(log: world.log, clock: world.clock, snapshots: Self.eager)
        let whole = CRMService(log: world.log, clock: world.clock, snapshots: .disabled)
        let contractID = "c\(seed)"
        let contract = stream("contract-\(contractID)")
        try await world.log.append(to: contract, [try event(Self.drafted(contractID, &random))])
        for _ in 0..<80 {
            let count = Int.random(in: 1...3, using: &random)
            let messages = (0..<count).map { _ in Self.contractEvent(contractID, &random) }
            try await world.log.append(to: contract, try messages.map { try event($0) })
            let (snapshotted, version) = try await crm.loadContract(contractID)
            let (folded, wholeVersion) = try await whole.loadContract(contractID)
            #expect(snapshotted == folded)
            #expect(version == wholeVersion)
            // Equal states built along different paths encode to the same bytes.
            #expect(try StateSnapshotCoding.encode(snapshotted) == StateSnapshotCoding.encode(folded))
        }
        #expect(try world.log.snapshot(of: contract) != nil)
        await world.close()
    }

    /// The log's event for `message`.
    func event(_ message: any SwiftProtobuf.Message) throws -> EventData {
        let encoded = try EventCatalogue.crm.encode(message)
        return EventData(type: encoded.typeName, schemaVersion: encoded.schemaVersion, payload: encoded.payload)
    }

    static func money(_ random: inout SplitMix64) -> CRMMoney {
        CRMMoney(minorUnits: Int64.random(in: -1_000...1_000_000, using: &random), currency: "CNY")
    }

    static func drafted(_ contractID: String, _ random: inout SplitMix64) -> CRMContractDrafted {
        var drafted = CRMContractDrafted()
        (drafted.contractID, drafted.customerID, drafted.amount) = (contractID, "customer-1", money(&random))
        drafted.lines = (0..<Int.random(in: 0...3, using: &random)).map { index in
            CRMPricedLine.with {
                $0.productID = "p\(index)"
                $0.quantity = Int32.random(in: 1...50, using: &random)
            }
        }
        if Bool.random(using: &random) { drafted.approvalChain = [.manager, .finance] }
        return drafted
    }

    /// One of the events a contract's stream holds, with ids from small sets so that later
    /// events meet earlier ones (an invoice issued after it was requested, a refund paid).
    static func contractEvent(_ contractID: String, _ random: inout SplitMix64) -> any SwiftProtobuf.Message {
        let id = "\(Int.random(in: 0..<4, using: &random))"
        switch Int.random(in: 0..<14, using: &random) {
        case 0: return drafted(contractID, &random)
        case 1:
            return CRMContractApproved.with {
                $0.contractID = contractID
                $0.binding = Bool.random(using: &random)
            }
        case 2: return CRMContractRejected.with { $0.contractID = contractID }
        case 3:
            return CRMInstalmentsScheduled.with {
                $0.contractID = contractID
                $0.instalments = (1...Int32.random(in: 1...3, using: &random)).map { number in
                    CRMInstalment.with {
                        $0.number = number
                        $0.amount = money(&random)
                        $0.dueAt = .init(seconds: Int64.random(in: 0...2_000_000_000, using: &random))
                    }
                }
            }
        case 4:
            return CRMPaymentReceived.with {
                $0.paymentID = "pay-\(Int.random(in: 0..<1_000_000, using: &random))"
                $0.contractID = contractID
                $0.allocations = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                    CRMPaymentAllocation.with {
                        $0.instalmentNumber = Int32.random(in: 1...4, using: &random)
                        $0.amount = money(&random)
                    }
                }
                $0.credit = money(&random)
                $0.bankReference = Bool.random(using: &random) ? "REF-\(id)" : ""
            }
        case 5:
            return CRMCommissionEarned.with {
                $0.contractID = contractID
                $0.collected = money(&random)
                $0.rateBasisPoints = Int32.random(in: 0...2_000, using: &random)
                $0.commission = money(&random)
            }
        case 6:
            return CRMInvoiceRequested.with {
                ($0.invoiceID, $0.contractID, $0.amount) = ("inv-\(id)", contractID, money(&random))
            }
        case 7: return CRMInvoiceIssued.with { ($0.invoiceID, $0.contractID) = ("inv-\(id)", contractID) }
        case 8:
            return CRMRefundRequested.with {
                ($0.refundID, $0.contractID, $0.amount, $0.reason) = ("ref-\(id)", contractID, money(&random), "r")
            }
        case 9: return CRMRefundApproved.with { ($0.refundID, $0.contractID) = ("ref-\(id)", contractID) }
        case 10: return CRMRefundRejected.with { ($0.refundID, $0.contractID) = ("ref-\(id)", contractID) }
        case 11: return CRMReturnedGoodsReceived.with { ($0.refundID, $0.contractID) = ("ref-\(id)", contractID) }
        case 12: return CRMRefundPaid.with { ($0.refundID, $0.contractID) = ("ref-\(id)", contractID) }
        default:
            return CRMShipmentDispatched.with {
                $0.contractID = contractID
                $0.lines = (0..<Int.random(in: 1...3, using: &random)).map { index in
                    CRMStockLine.with {
                        $0.productID = "p\(index)"
                        $0.quantity = Int32.random(in: 1...20, using: &random)
                    }
                }
            }
        }
    }

    // MARK: - Snapshots that must not be trusted

    @Test(
        "an anchored snapshot stands in for its events; one of another log, past the stream's end, off its anchor, damaged or of another format is ignored"
    )
    func onlyAnchoredSnapshotsCount() async throws {
        let world = try CRMWorld("snapshot-trust")
        // Never offers snapshots of its own, so only those the test writes are kept.
        let crm = CRMService(
            log: world.log,
            clock: world.clock,
            snapshots: .init(isEnabled: true, foldThreshold: 1_000)
        )
        let rep = try await world.user("rep")
        for index in 0..<3 { try await crm.claimCustomer(try await world.poolCustomer("客户\(index)有限公司"), actor: rep) }
        let (truth, version) = try await crm.loadUser(rep)
        let userStream = stream("user-\(rep)")
        let last = try #require(try world.log.readStream(userStream, from: .max, direction: .backward, limit: 1).first)
        var planted = truth
        planted.name = "Planted"
        let plantedBytes = try StateSnapshotCoding.encode(planted)

        func loaded(with snapshot: StreamSnapshot) async throws -> UserState {
            world.log.offerSnapshot(snapshot)
            try await writeOfferedSnapshots(world.log)
            #expect(try world.log.snapshot(of: userStream) == snapshot)
            let (state, loadedVersion) = try await crm.loadUser(rep)
            #expect(loadedVersion == version)
            return state
        }

        // Anchored at this log's event: trusted, which the planted name shows.
        #expect(try await loaded(with: StreamSnapshot(of: last, state: plantedBytes)) == planted)

        // The same stream, version and position in another log: the chain hash differs.
        let other = TemporaryDirectory("snapshot-other")
        let otherLog = try openTestLog(other)
        let otherCRM = CRMService(log: otherLog, clock: world.clock)
        _ = try await otherCRM.addUser(NewUser(name: "x", email: "x@example.com", role: .salesRep), actor: "admin")
        let foreign = StreamSnapshot(
            stream: userStream,
            version: last.streamVersion,
            position: last.position,
            hash: try otherLog.head().hash,
            state: plantedBytes
        )
        await otherLog.close()
        #expect(try await loaded(with: foreign) == truth)

        // Past the stream's end (a restore of an older backup), and off its anchor.
        var ahead = StreamSnapshot(of: last, state: plantedBytes)
        ahead.version += 5
        #expect(try await loaded(with: ahead) == truth)
        var moved = StreamSnapshot(of: last, state: plantedBytes)
        moved.position -= 1
        #expect(try await loaded(with: moved) == truth)

        // Bytes that are no state, and a contract's state under a user's stream.
        #expect(try await loaded(with: StreamSnapshot(of: last, state: Array("{\"format\":".utf8))) == truth)
        let contract = try StateSnapshotCoding.encode(ContractState(contractID: rep))
        #expect(try await loaded(with: StreamSnapshot(of: last, state: contract)) == truth)
        var wrongFormat = try #require(String(bytes: plantedBytes, encoding: .utf8))
        wrongFormat = wrongFormat.replacingOccurrences(of: "\"user/1\"", with: "\"user/0\"")
        #expect(try await loaded(with: StreamSnapshot(of: last, state: Array(wrongFormat.utf8))) == truth)

        // A state that breaks what a fold can produce: a negative count of claims.
        var negative = try #require(String(bytes: try StateSnapshotCoding.encode(truth), encoding: .utf8))
        #expect(negative.contains("\"claims\":3"))
        negative = negative.replacingOccurrences(of: "\"claims\":3", with: "\"claims\":-3")
        #expect(try await loaded(with: StreamSnapshot(of: last, state: Array(negative.utf8))) == truth)
        await world.close()
    }

    // MARK: - Rules through snapshots

    @Test("through snapshots a rep at the daily limit or the cap is refused, and the next day's claims count afresh")
    func limitsHold() async throws {
        let directory = TemporaryDirectory("snapshot-limits")
        let log = try openTestLog(directory)
        let clock = ShiftedWallClock()
        // Claims are counted by the business day the log records them on: keep clear of midnight.
        let local = Date().timeIntervalSince1970 + Double(PoolRules.defaults.businessTimeZone.secondsFromGMT())
        let untilMidnight = 86_400 - local.truncatingRemainder(dividingBy: 86_400)
        if untilMidnight < 20 { try await Task.sleep(for: .seconds(untilMidnight + 1)) }

        let crm = CRMService(log: log, clock: clock, snapshots: .init(isEnabled: true, foldThreshold: 0))
        let whole = CRMService(log: log, clock: clock, snapshots: .disabled)
        let rep = try await crm.addUser(NewUser(name: "rep", email: "rep@example.com", role: .salesRep), actor: "admin")
        var configured = CRMPoolRulesConfigured()
        (configured.dailyClaimLimit, configured.holdingCap, configured.previousOwnerCooldownDays) = (3, 5, 0)
        try await crm.configurePoolRules(configured, actor: "admin", occurredAt: clock.now().addingTimeInterval(-60))
        var customers: [String] = []
        for index in 0..<8 {
            customers.append(try await crm.createCustomer(NewCustomer(name: "限额客户\(index)有限公司"), actor: "admin"))
        }
        let userStream = stream("user-\(rep)")

        /// Claims through snapshots, and checks the fold of the whole stream decides the same.
        func claim(_ customer: String) async throws -> DomainError.Code? {
            let (snapshotted, _) = try await crm.loadUser(rep)
            let (folded, _) = try await whole.loadUser(rep)
            #expect(snapshotted == folded)
            do {
                try await crm.claimCustomer(customer, actor: rep)
                return nil
            } catch let error as DomainError {
                return error.code
            }
        }

        for customer in customers[0..<3] { #expect(try await claim(customer) == nil) }
        #expect(try log.snapshot(of: userStream) != nil, "the decisions went through snapshots")
        #expect(try await claim(customers[3]) == .dailyClaimLimitReached)
        #expect(try await claim(customers[3]) == .dailyClaimLimitReached, "also once the refusal's snapshot is kept")

        // The snapshot holds claims per day, not "today's claims": tomorrow starts from zero.
        clock.advance(days: 1)
        #expect(try await claim(customers[3]) == nil)
        #expect(try await claim(customers[4]) == nil)
        #expect(try await claim(customers[5]) == .holdingCapReached)
        try await crm.releaseCustomer(customers[0], actor: rep)
        #expect(try await claim(customers[5]) == nil)
        #expect(try await claim(customers[6]) == .holdingCapReached)
        let (state, _) = try await crm.loadUser(rep)
        #expect(state.holdings.customers == Set(customers[1..<6]))
        await log.close()
    }

    @Test("a snapshot folded on one day decides claims on the next by the injected clock, as the whole fold does")
    func snapshotAcrossDays() throws {
        let rules = PoolRules(
            dailyClaimLimit: 2,
            holdingCap: 10,
            previousOwnerCooldownDays: 0,
            idleDaysByLevel: [:],
            defaultIdleDays: 30,
            warningDaysBeforeRelease: 3,
            businessTimeZone: PoolRules.defaults.businessTimeZone
        )
        // 2026-03-02 10:00 China time, and the next day.
        let monday = Date(timeIntervalSince1970: 1_772_416_800)
        let tuesday = monday.addingTimeInterval(86_400)
        var folded = UserState(userID: "rep")
        folded.apply(CRMUserAdded.with { ($0.name, $0.role) = ("rep", .salesRep) }, recordedAt: monday)
        for index in 0..<2 {
            var entry = CRMRepHoldingChanged()
            (entry.customerID, entry.gained, entry.reason) = ("c\(index)", true, .claimed)
            folded.apply(entry, recordedAt: monday)
        }
        let snapshot = try #require(
            StateSnapshotCoding.decode(try StateSnapshotCoding.encode(folded), as: UserState.self)
        )
        #expect(snapshot == folded)
        #expect(try StateSnapshotCoding.encode(snapshot) == StateSnapshotCoding.encode(folded), "deterministic")
        var created = CustomerState(customerID: "c9")
        created.apply(CRMCustomerCreated.with { ($0.customerID, $0.name) = ("c9", "c9") }, occurredAt: monday)
        for state in [folded, snapshot] {
            let today = #expect(throws: DomainError.self) {
                try PoolDecisions.claim(
                    created,
                    by: state,
                    rules: rules,
                    context: try CommandContext(actor: "rep", now: monday.addingTimeInterval(3_600))
                )
            }
            #expect(today?.code == .dailyClaimLimitReached)
            let claim = try PoolDecisions.claim(
                created,
                by: state,
                rules: rules,
                context: try CommandContext(actor: "rep", now: tuesday)
            )
            #expect(claim.toOwnerID == "rep")
        }
    }

    // MARK: - After a restore or an import

    @Test(
        "after a restore or an import into a new directory, commands answer as before; the restored snapshots still count"
    )
    func restoreAndImport() async throws {
        let world = try CRMWorld("snapshot-restore")
        let crm = CRMService(log: world.log, clock: world.clock, snapshots: Self.eager)
        let rep = try await world.user("rep")
        var configured = CRMPoolRulesConfigured()
        (configured.dailyClaimLimit, configured.holdingCap, configured.previousOwnerCooldownDays) = (100, 6, 0)
        try await crm.configurePoolRules(
            configured,
            actor: "admin",
            occurredAt: world.clock.now().addingTimeInterval(-60)
        )
        var customers: [String] = []
        for index in 0..<8 { customers.append(try await world.poolCustomer("恢复客户\(index)有限公司")) }
        for round in 0..<4 {
            for customer in customers[0..<6] { try await crm.claimCustomer(customer, actor: rep) }
            if round < 3 { for customer in customers[0..<6] { try await crm.releaseCustomer(customer, actor: rep) } }
        }
        try await writeOfferedSnapshots(world.log)
        let userStream = stream("user-\(rep)")
        let kept = try #require(try world.log.snapshot(of: userStream))
        let before = try await crm.loadUser(rep)

        // A backup restored into a new directory: the same log, snapshots included.
        let backups = TemporaryDirectory("snapshot-backups")
        _ = try await LogBackup.create(from: world.directory.path, to: backups.appending("log.backup"))
        let restoredDirectory = TemporaryDirectory("snapshot-restored")
        _ = try await LogBackup.restore(from: backups.appending("log.backup"), to: restoredDirectory.appending("log"))
        let restored = try LMDBEventLog(directory: restoredDirectory.appending("log"))
        #expect(try restored.snapshot(of: userStream) == kept)

        // The events imported into a new directory: the same log, no snapshots.
        let importedDirectory = TemporaryDirectory("snapshot-imported")
        let imported = try openTestLog(importedDirectory)
        _ = try await imported.appendRecorded(try world.log.readAll())
        #expect(try imported.snapshot(of: userStream) == nil)

        // A log that took another turn after the first events: the kept snapshot is not its.
        let divergedDirectory = TemporaryDirectory("snapshot-diverged")
        let diverged = try openTestLog(divergedDirectory)
        let all = try world.log.readAll()
        // Up to the first round's last claim, whose user entry ends its append.
        let lastClaim = try #require(all.firstIndex { $0.stream == userStream && $0.streamVersion == 6 })
        _ = try await diverged.appendRecorded(Array(all[...lastClaim]))
        let turn = CRMService(log: diverged, clock: world.clock, snapshots: .disabled)
        while try diverged.currentVersion(of: userStream) ?? 0 < kept.version + 2 {
            try await turn.releaseCustomer(customers[5], actor: rep)
            try await turn.claimCustomer(customers[5], actor: rep)
        }
        diverged.offerSnapshot(kept)
        try await diverged.append(to: stream("test-flush"), [testEvent()])
        #expect(try diverged.snapshot(of: userStream) == kept)

        for log in [restored, imported, diverged] {
            let copy = CRMService(log: log, clock: world.clock, snapshots: Self.eager)
            let whole = CRMService(log: log, clock: world.clock, snapshots: .disabled)
            if log !== diverged {
                let after = try await copy.loadUser(rep)
                #expect(after == before)
                let refused = await #expect(throws: DomainError.self) {
                    try await copy.claimCustomer(customers[6], actor: rep)
                }
                #expect(refused?.code == .holdingCapReached)
            }
            try await log.append(to: stream("test-flush"), [testEvent()])
            #expect(try await copy.loadUser(rep) == whole.loadUser(rep))
            try await copy.releaseCustomer(customers[0], actor: rep)
            try await copy.claimCustomer(customers[6], actor: rep)
            #expect(try await copy.loadUser(rep) == whole.loadUser(rep))
            await log.close()
        }
        await world.close()
    }
}
