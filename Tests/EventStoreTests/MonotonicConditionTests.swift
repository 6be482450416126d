import Foundation
import Testing

@testable import EventStore

@Suite("The group-commit wait's condition")
struct MonotonicConditionTests {
    @Test(
        "any window gives a deadline without trapping, and a wait on a passed one ends at once",
        arguments: [Duration.zero, .seconds(-5), .microseconds(250), .seconds(Int64.max)]
    )
    func deadlines(window: Duration) {
        let deadline = MonotonicCondition.deadline(after: window)
        #expect((0..<1_000_000_000).contains(deadline.tv_nsec))
        let condition = MonotonicCondition()
        condition.lock()
        let passed = MonotonicCondition.deadline(after: .zero)
        #expect(!condition.wait(until: passed), "a deadline already passed times out")
        condition.unlock()
    }
}
