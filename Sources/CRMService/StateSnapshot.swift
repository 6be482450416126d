import CRMDomain
import Foundation

/// A state that commands load through snapshots of its stream.
///
/// ``snapshotFormat`` names the encoding and the fold together: change it whenever the state's
/// Codable form changes, or its `apply` folds an event differently (a rule fixed, a new event
/// type folded), so that snapshots folded by the old code are ignored rather than trusted.
protocol SnapshotState: Codable, Sendable {
    /// The kind of state and the version of its fold, such as `user/1`.
    static var snapshotFormat: String { get }
}

extension UserState: SnapshotState {
    // Claims are folded into days of the business time zone of `PoolRules.defaults`: a change
    // of that zone is a change of the fold.
    static var snapshotFormat: String { "user/1" }
}

extension CustomerState: SnapshotState {
    static var snapshotFormat: String { "customer/1" }
}

extension ContractState: SnapshotState {
    static var snapshotFormat: String { "contract/1" }
}

/// The bytes of a state's snapshot: JSON of the format name and the state, keys sorted so that
/// equal states encode to equal bytes.
enum StateSnapshotCoding {
    private struct Envelope<State: SnapshotState>: Codable {
        var format: String
        var state: State

        init(_ state: State) {
            format = State.snapshotFormat
            self.state = state
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            format = try container.decode(String.self, forKey: .format)
            // Checked before the state is read: a state of another format may read as this one.
            guard format == State.snapshotFormat else {
                throw DecodingError.dataCorruptedError(
                    forKey: .format,
                    in: container,
                    debugDescription: "a \(format) snapshot where \(State.snapshotFormat) was expected"
                )
            }
            state = try container.decode(State.self, forKey: .state)
        }
    }

    static func encode<State: SnapshotState>(_ state: State) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(Envelope(state)))
    }

    /// The state in `bytes`, or `nil` when they are not a snapshot of this format.
    static func decode<State: SnapshotState>(_ bytes: [UInt8], as type: State.Type) -> State? {
        try? JSONDecoder().decode(Envelope<State>.self, from: Data(bytes)).state
    }
}
