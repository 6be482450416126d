import Synchronization

/// Hands out `total` numbered tickets to concurrent appenders, so together they append exactly
/// `total` events and all stay busy until the last few.
final class Tickets: Sendable {
    private let taken = Atomic<Int>(0)
    let total: Int

    init(_ total: Int) {
        self.total = total
    }

    /// Takes the next ticket, numbered from 0; `nil` when none is left.
    func take() -> Int? {
        let ticket = taken.wrappingAdd(1, ordering: .relaxed).oldValue
        return ticket < total ? ticket : nil
    }
}

extension Duration {
    /// `count` events in this time, per second.
    func rate(of count: Int) -> Int {
        let (seconds, attoseconds) = components
        let elapsed = Double(seconds) + Double(attoseconds) / 1e18
        return elapsed > 0 ? Int((Double(count) / elapsed).rounded()) : 0
    }
}
