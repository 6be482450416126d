import Foundation
import Projections
import Synchronization

/// A long command's progress on standard error: done of total, rate and time left.
///
/// On a terminal it is a bar redrawn in place, at most ten times a second; in a log file it
/// is a plain line every tenth of the way or every five seconds, whichever comes first, so a
/// long run still shows it is alive. Safe to update from any thread.
final class ProgressLine: Sendable {
    private struct State {
        var total: Int
        var lastShown: ContinuousClock.Instant?
        var lastTenth = -1
        var shownAny = false
    }

    private let unit: String
    private let started = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let state: Mutex<State>

    /// A line counting `unit`s ("events", "MiB", "days") out of `total`, 0 while unknown.
    init(unit: String, total: Int = 0) {
        self.unit = unit
        state = Mutex(State(total: total))
    }

    /// Shows `done`, with a new `total` when it became known, and a `detail` after the counts.
    func update(_ done: Int, total: Int? = nil, detail: String? = nil) {
        let now = ContinuousClock.now
        let text: String? = state.withLock { state in
            if let total { state.total = total }
            let tenth = state.total > 0 ? done * 10 / state.total : 0
            let sinceLast = state.lastShown.map { now - $0 } ?? .seconds(3_600)
            let due =
                isTerminal
                ? sinceLast >= .milliseconds(100) || done == state.total
                : tenth != state.lastTenth || sinceLast >= .seconds(5)
            guard due else { return nil }
            state.lastShown = now
            state.lastTenth = tenth
            state.shownAny = true
            return describe(done, of: state.total, elapsed: now - started, detail: detail)
        }
        guard let text else { return }
        FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + text : text + "\n").utf8))
    }

    /// Ends the line on a terminal, so what is printed next starts on a line of its own.
    func finish() {
        if isTerminal && state.withLock({ $0.shownAny }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func describe(_ done: Int, of total: Int, elapsed: Duration, detail: String?) -> String {
        let seconds = elapsed / .seconds(1)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var parts: [String] = []
        if total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let filled = Int(fraction * 20)
            let bar =
                isTerminal
                ? "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "] " : ""
            parts.append(bar + "\(done)/\(total) \(unit) (\(Int(fraction * 100))%)")
        } else {
            parts.append("\(done) \(unit)")
        }
        parts.append("\(Int(rate)) \(unit)/s")
        if total > 0, rate > 0 { parts.append("ETA \(Int((Double(max(0, total - done)) / rate).rounded(.up))) s") }
        if let detail { parts.append(detail) }
        return parts.joined(separator: ", ")
    }
}

extension ProgressLine {
    /// A handler that shows a read-model build's progress on this line.
    var projectionReport: ProjectionProgressHandler {
        { [self] progress in update(Int(progress.eventsDone), total: Int(progress.eventsTotal)) }
    }
}
