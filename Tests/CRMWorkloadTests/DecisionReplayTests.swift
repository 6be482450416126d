import CRMSchema
import CRMWorkload
import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("The generated history, replayed through the decisions")
struct DecisionReplayTests {
    /// The small history of ``WorkloadGeneratorTests``, over `days`, read back and decoded.
    private func history(days: Int) async throws -> (LMDBEventLog, [DecisionReplay.Recorded]) {
        var options = WorkloadGeneratorTests.small
        options.days = days
        let log = try openTestLog(TemporaryDirectory("workload-replay"))
        let summary = try await WorkloadGenerator(options: options, log: log).run()
        let events = try log.readAll(from: 1)
        #expect(events.count == summary.events)
        let recorded = try events.map { event in
            DecisionReplay.Recorded(
                event: event,
                message: try EventCatalogue.crm.decode(
                    typeName: event.type,
                    schemaVersion: event.schemaVersion,
                    payload: event.payload
                )
            )
        }
        return (log, recorded)
    }

    /// 120 days, and two years, which add the departing reps, the second year's rules, refunds
    /// and surveys.
    @Test(
        "the generator's output replayed through the decisions again is accepted event for event",
        arguments: [120, 730]
    )
    func acceptedEventForEvent(days: Int) async throws {
        let (log, history) = try await history(days: days)
        var replay = DecisionReplay()
        replay.replay(history)

        // One issue per type that differs, with the count and the first difference.
        for (type, failures) in Dictionary(grouping: replay.failures, by: \.type).sorted(by: { $0.key < $1.key }) {
            Issue.record(
                "\(failures.count) \(type) event(s) are not what the decisions append; the first \(failures[0])"
            )
        }
        let types = Set(history.map(\.type))
        let unchecked = types.subtracting(replay.checked.keys).sorted()
        #expect(unchecked.isEmpty, "event types never checked against a decision: \(unchecked)")
        #expect(
            replay.checked.values.reduce(0, +) == history.count,
            "events checked, of \(history.count): \(replay.checked.sorted { $0.key < $1.key })"
        )
        #expect(types.count >= 50, "the history covers \(types.count) event types: \(types.sorted())")

        // The unique keys the decisions moved are where the log holds them at the end.
        var misplaced: [String] = []
        for (key, holder) in replay.keyHolders.sorted(by: { $0.key < $1.key }) {
            let owner = try log.owner(of: UniqueKey(key))
            if owner != holder {
                misplaced.append(
                    "\(key): the log says \(owner?.description ?? "free"), the replay \(holder?.description ?? "free")"
                )
            }
        }
        #expect(
            misplaced.isEmpty,
            "\(misplaced.count) unique keys held elsewhere than decided, such as \(misplaced.prefix(5))"
        )
        #expect(replay.keyHolders.count > 1_000)
        await log.close()
    }

    @Test(
        "the replay objects, where it happens, to a history the decisions would not have appended",
        arguments: Tampering.allCases
    )
    func tamperedHistory(_ tampering: Tampering) async throws {
        let (log, generated) = try await history(days: 120)
        await log.close()
        var history = generated
        let position = try #require(tampering.apply(to: &history), "the history has nothing to tamper with")
        var replay = DecisionReplay()
        replay.replay(history)
        #expect(replay.failures.first?.position == position, "failures: \(replay.failures.prefix(3))")
    }
}

/// A change to a generated history that no decision would have made.
enum Tampering: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case claimRecordedForAnotherRep
    case holdingsEntryDropped
    case paymentCreditInflated
    case quoteLineRepriced
    case leadWithATakenPhone

    var testDescription: String {
        switch self {
        case .claimRecordedForAnotherRep: "a claim gives the customer to another rep than the claimant"
        case .holdingsEntryDropped: "a claim without the rep's holdings entry"
        case .paymentCreditInflated: "a payment leaves more credit than it brought"
        case .quoteLineRepriced: "a quote line at another price than the product list's"
        case .leadWithATakenPhone: "a lead with a phone number another lead holds"
        }
    }

    /// Tampers with `history`; returns the position where the replay must first object, or
    /// `nil` when the history has nothing of the kind.
    func apply(to history: inout [DecisionReplay.Recorded]) -> UInt64? {
        func first<M>(
            _: M.Type,
            after start: Int = 0,
            where matches: (M) -> Bool = { _ in true }
        ) -> (
            index: Int, message: M
        )? {
            for index in start..<history.count {
                if let message = history[index].message as? M, matches(message) { return (index, message) }
            }
            return nil
        }
        switch self {
        case .claimRecordedForAnotherRep, .holdingsEntryDropped:
            guard let (index, claim) = first(CRMCustomerOwnershipChanged.self, where: { $0.reason == .claimed }) else {
                return nil
            }
            if self == .holdingsEntryDropped {
                history.remove(at: index + 1)
            } else {
                guard
                    let other = first(
                        CRMCustomerOwnershipChanged.self,
                        where: { $0.reason == .claimed && $0.toOwnerID != claim.toOwnerID }
                    )
                else { return nil }
                var changed = claim
                changed.toOwnerID = other.message.toOwnerID
                history[index].message = changed
            }
            return history[index].event.position
        case .paymentCreditInflated:
            guard let (index, payment) = first(CRMPaymentReceived.self) else { return nil }
            var changed = payment
            changed.credit.minorUnits += 1
            history[index].message = changed
            return history[index].event.position
        case .quoteLineRepriced:
            guard let (index, quote) = first(CRMQuoteCreated.self) else { return nil }
            var changed = quote
            changed.lines[0].unitPrice.minorUnits += 100
            history[index].message = changed
            return history[index].event.position
        case .leadWithATakenPhone:
            guard let (earlier, taken) = first(CRMLeadCreated.self),
                let (index, lead) = first(CRMLeadCreated.self, after: earlier + 1)
            else { return nil }
            var changed = lead
            changed.phone = taken.phone
            history[index].message = changed
            return history[index].event.position
        }
    }
}
