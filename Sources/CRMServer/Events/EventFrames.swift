import EventStore
import LogArchive
import Synchronization

/// The Server-Sent Events frames of the latest events, rendered once and shared by every
/// subscriber: a hundred clients following the log live all send the same few hundred
/// frames, and rendering an event as CloudEvents JSON (its payload as protobuf JSON) costs
/// far more than copying it.
///
/// A ring of `capacity` slots indexed by position: a subscriber catching up from far back
/// renders what it needs without evicting what the live ones share.
final class EventFrames: Sendable {
    private struct Slot {
        var position: UInt64 = 0
        var frame: [UInt8] = []
    }

    private let slots: Mutex<[Slot]>
    private let capacity: Int

    /// A cache of the frames of the last `capacity` positions asked for.
    init(capacity: Int = 8_192) {
        self.capacity = capacity
        slots = Mutex(Array(repeating: Slot(), count: capacity))
    }

    /// The frames of `events`, one after the other, as one buffer to write.
    func frames(of events: [RecordedEvent]) -> [UInt8] {
        var cached: [[UInt8]?] = slots.withLock { slots in
            events.map { event in
                let slot = slots[Int(event.position % UInt64(capacity))]
                return slot.position == event.position ? slot.frame : nil
            }
        }
        var rendered: [(UInt64, [UInt8])] = []
        for (index, event) in events.enumerated() where cached[index] == nil {
            let frame = Self.render(event)
            cached[index] = frame
            rendered.append((event.position, frame))
        }
        if !rendered.isEmpty {
            slots.withLock { slots in
                for (position, frame) in rendered {
                    slots[Int(position % UInt64(capacity))] = Slot(position: position, frame: frame)
                }
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(cached.reduce(0) { $0 + ($1?.count ?? 0) })
        for frame in cached { bytes.append(contentsOf: frame ?? []) }
        return bytes
    }

    /// One event's frame: its position as the SSE id, its type as the SSE event, and its
    /// CloudEvents JSON as the data.
    static func render(_ event: RecordedEvent) -> [UInt8] {
        var bytes = Array("id: \(event.position)\nevent: \(event.type)\ndata: ".utf8)
        CloudEventJSON.render(event, into: &bytes)
        bytes.append(contentsOf: "\n\n".utf8)
        return bytes
    }
}
