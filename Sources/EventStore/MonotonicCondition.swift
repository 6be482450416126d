import Foundation

/// A lock and its condition whose timed waits run on the monotonic clock.
///
/// `NSCondition.wait(until:)` takes a wall-clock date: a clock stepped back (NTP, a resumed
/// VM, a test run two years ahead) would stretch a wait of a fraction of a millisecond to
/// however far the clock moved. This one's deadline cannot move, and a signal ends the wait at
/// once, so a writer gathering appends wakes the moment the last one arrives.
final class MonotonicCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }

    func unlock() { pthread_mutex_unlock(mutex) }

    /// Wakes one waiter.
    func signal() { pthread_cond_signal(condition) }

    /// Waits, holding the lock before and after, until signalled.
    func wait() { pthread_cond_wait(condition, mutex) }

    /// The monotonic time `duration` from now, for ``wait(until:)``: a negative duration is
    /// now, and one past a year a year, so no option can overflow the sum.
    static func deadline(after duration: Duration) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let bounded = min(max(duration, .zero), .seconds(365 * 86_400))
        let (seconds, attoseconds) = bounded.components
        let nanoseconds = Int(now.tv_nsec) + Int(attoseconds / 1_000_000_000)
        let wholeSeconds = Int(now.tv_sec) + Int(seconds) + nanoseconds / 1_000_000_000
        return timespec(tv_sec: wholeSeconds, tv_nsec: nanoseconds % 1_000_000_000)
    }

    /// Waits, holding the lock before and after, until signalled or `deadline` passes.
    ///
    /// - Returns: false once the deadline has passed (or the wait failed), so a caller's loop
    /// never spins.
    func wait(until deadline: timespec) -> Bool {
        var deadline = deadline
        return pthread_cond_timedwait(condition, mutex, &deadline) == 0
    }
}
