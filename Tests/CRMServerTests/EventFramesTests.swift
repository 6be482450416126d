import EventStore
import Foundation
import RapportTestSupport
import Testing

@testable import CRMServer

@Suite("Shared event frames")
struct EventFramesTests {
    @Test(
        "frames are each event's own, in order, whether rendered now, cached, or evicted by a position sharing their slot"
    )
    func framesAreExact() async throws {
        let directory = TemporaryDirectory("event-frames")
        let log = try openTestLog(directory)
        for index in 0..<6 {
            try await log.append(to: stream("lead-\(index)"), [testEvent("lead.Noted", payload: #"{"n":\#(index)}"#)])
        }
        let events = try log.readAll(from: 1, limit: 6)
        let expected = events.flatMap { EventFrames.render($0) }
        let frames = EventFrames(capacity: 4)
        #expect(frames.frames(of: events) == expected)
        #expect(frames.frames(of: events) == expected)
        // Positions 2 and 6 share a slot of 4: each is its own frame, never the other's.
        #expect(frames.frames(of: [events[1]]) == EventFrames.render(events[1]))
        #expect(
            frames.frames(of: [events[5], events[1]]) == EventFrames.render(events[5]) + EventFrames.render(events[1])
        )
        let text = String(decoding: EventFrames.render(events[2]), as: UTF8.self)
        #expect(text.hasPrefix("id: 3\nevent: lead.Noted\ndata: {"))
        #expect(text.hasSuffix("}\n\n"))
        await log.close()
    }
}
