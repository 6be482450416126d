import Foundation

/// A serial executor that runs its jobs on a thread of its own.
///
/// An actor whose work blocks — LMDB commits that fsync, batches that take tens of
/// milliseconds to apply — runs on one of these so that it never holds one of the few threads
/// of Swift's cooperative pool, which request handlers need (on a 2-core machine there are two).
/// The thread ends once the executor is released and its queue is empty.
final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    /// The jobs waiting, shared with the thread; guarded by `condition`.
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var jobs: [UnownedJob] = []
        var isStopping = false
    }

    private let queue = Queue()

    /// Starts the thread, named `name` for debuggers and profilers.
    init(name: String) {
        // Unowned, so that the thread does not keep the executor alive: the actor using it
        // does, and outlives every job it enqueues.
        let executor = asUnownedSerialExecutor()
        let thread = Thread { [queue] in
            while true {
                queue.condition.lock()
                while queue.jobs.isEmpty && !queue.isStopping { queue.condition.wait() }
                let jobs = queue.jobs
                queue.jobs = []
                queue.condition.unlock()
                if jobs.isEmpty { return }
                for job in jobs { job.runSynchronously(on: executor) }
            }
        }
        thread.name = name
        thread.start()
    }

    deinit {
        queue.condition.lock()
        queue.isStopping = true
        queue.condition.signal()
        queue.condition.unlock()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.condition.lock()
        queue.jobs.append(job)
        queue.condition.signal()
        queue.condition.unlock()
    }
}
