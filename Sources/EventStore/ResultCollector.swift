import Synchronization

/// Gathers the outcomes of appends queued together, and hands them over, in order, once the
/// last one is in.
final class ResultCollector: Sendable {
    typealias Outcome = Result<AppendResult, EventStoreError>

    private struct State {
        var outcomes: [Outcome?]
        var remaining: Int
        var completion: (@Sendable ([Outcome]) -> Void)?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(outcomes: Array(repeating: nil, count: count), remaining: count, completion: nil))
    }

    /// Records the outcome of the request at `index`.
    func set(_ index: Int, _ outcome: Outcome) {
        finish(
            state.withLock { state in
                if state.outcomes[index] == nil {
                    state.outcomes[index] = outcome
                    state.remaining -= 1
                }
                return Self.takeCompletion(&state)
            }
        )
    }

    /// Calls `completion` with every outcome once all are recorded (at once if they are).
    func onComplete(_ completion: @escaping @Sendable ([Outcome]) -> Void) {
        finish(
            state.withLock { state in
                state.completion = completion
                return Self.takeCompletion(&state)
            }
        )
    }

    private static func takeCompletion(_ state: inout State) -> (@Sendable ([Outcome]) -> Void, [Outcome])? {
        guard state.remaining == 0, let completion = state.completion else { return nil }
        state.completion = nil
        return (completion, state.outcomes.compactMap { $0 })
    }

    private func finish(_ ready: (@Sendable ([Outcome]) -> Void, [Outcome])?) {
        if let (completion, outcomes) = ready { completion(outcomes) }
    }
}
