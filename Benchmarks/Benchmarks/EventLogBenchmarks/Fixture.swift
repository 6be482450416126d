import Synchronization

/// Holds what a benchmark's setup made, for its measured closure and its teardown
/// (package-benchmark hands the setup's result to the closure only, not to the teardown).
final class Fixture<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    /// The value setup stored.
    var value: Value {
        guard let value = storage.withLock({ $0 }) else {
            preconditionFailure("the benchmark's setup did not run")
        }
        return value
    }

    func set(_ value: Value) {
        storage.withLock { $0 = value }
    }

    /// Takes the value out, for the teardown.
    func take() -> Value? {
        storage.withLock { stored in
            defer { stored = nil }
            return stored
        }
    }
}
