import Synchronization

/// Wakes subscribers when the writer commits past the position they wait beyond.
final class HeadNotifier: Sendable {
    private struct State {
        var head: UInt64
        var isClosed = false
        var nextID = 0
        var waiters: [Int: (beyond: UInt64, continuation: CheckedContinuation<Void, Never>)] = [:]
        var cancelled: Set<Int> = []
    }

    private let state: Mutex<State>

    init(head: UInt64) {
        state = Mutex(State(head: head))
    }

    /// Records a new head and wakes those waiting below it.
    func advance(to head: UInt64) {
        let woken = state.withLock { state in
            state.head = max(state.head, head)
            let ready = state.waiters.filter { $0.value.beyond < head }
            for id in ready.keys { state.waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Wakes everyone for good: the log is closing.
    func close() {
        let woken = state.withLock { state in
            state.isClosed = true
            defer { state.waiters = [:] }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns once the head is past `position`, the log closes, or the task is cancelled.
    func wait(beyond position: UInt64) async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.head > position || state.isClosed || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = (position, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                if let waiter = state.waiters.removeValue(forKey: id) { return Optional(waiter.continuation) }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume()
        }
        state.withLock { _ = $0.cancelled.remove(id) }
    }
}
