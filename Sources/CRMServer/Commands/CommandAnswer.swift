import CRMService
import EventStore
import Foundation
import HTTPTypes

/// How a command that appended answers, as a function of the ids it made and where its
/// events went: so the answer to a retry, rebuilt from the command's receipt in the log,
/// is the first answer byte for byte.
enum CommandAnswer: Equatable {
    /// 200 `{"changed": true, "position": N}`: the position of the last event appended.
    case changed
    /// 201 with the command's new id under the key.
    case created(String)
    /// 201 `{"position": N}`: a record with no id of its own (a follow-up).
    case position
    /// 201 with the customer, contact and opportunity a lead became.
    case convertedLead

    /// The name kept in a receipt's note.
    var tag: String {
        switch self {
        case .changed: "changed"
        case .created(let key): "created:" + key
        case .position: "position"
        case .convertedLead: "convertedLead"
        }
    }

    /// The answer a receipt's note names; `nil` for a name this build does not know.
    init?(tag: String) {
        switch tag {
        case "changed": self = .changed
        case "position": self = .position
        case "convertedLead": self = .convertedLead
        case let created where created.hasPrefix("created:"):
            self = .created(String(created.dropFirst("created:".count)))
        default: return nil
        }
    }

    /// The status and fields of the answer to a command that made `ids`, in order, and
    /// appended its last event at `lastPosition`; `nil` when `ids` are fewer than it needs.
    func answer(ids: [String], lastPosition: UInt64) -> (HTTPResponse.Status, [String: any Sendable])? {
        switch self {
        case .changed:
            return (.ok, ["changed": true, "position": lastPosition])
        case .created(let key):
            guard let id = ids.first else { return nil }
            return (.created, [key: id])
        case .position:
            return (.created, ["position": lastPosition])
        case .convertedLead:
            guard ids.count >= 3 else { return nil }
            return (.created, ["customerId": ids[0], "contactId": ids[1], "opportunityId": ids[2]])
        }
    }

    /// The first answer to the command whose receipt is `note`, kept by the log as `stored`;
    /// a command whose receipt names no answer this build knows gets the `changed` one, which
    /// still says where its events went.
    static func rebuild(
        _ note: CommandReceipt.Note,
        _ stored: StoredReceipt,
        request: [UInt8]
    ) -> IdempotencyStore.Answer {
        let answer =
            CommandAnswer(tag: note.answer)?.answer(ids: note.ids, lastPosition: stored.lastPosition)
            ?? CommandAnswer.changed.answer(ids: [], lastPosition: stored.lastPosition)!
        return IdempotencyStore.Answer(request: request, status: answer.0.code, body: Array(jsonBody(answer.1)))
    }

    /// Says, in the keyed command's receipt, how the command running now will answer.
    func expect() {
        CommandReceipt.current?.answer(tag)
    }
}

/// A small JSON object, keys sorted, as every command answers.
func jsonBody(_ fields: [String: any Sendable]) -> Data {
    (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
}
