import CRMReadModels
import Foundation
import Projections

/// Where one of the CRM's read models stands against the head of the log, for `rapport stats`.
struct ReadModelLag {
    var name: String
    /// `nil` when the read model was never built in this store.
    var status: ProjectionStatus?
    /// Positions between its checkpoint and the head; `nil` when never built.
    var eventsBehind: UInt64?

    /// Every read model of the CRM in the store at `directory`, against a log whose head is
    /// `head`; `nil` when no store was ever created there. The store is opened read-only, so
    /// this runs beside a live runner.
    static func all(inStoreAt directory: String, head: UInt64) throws(ProjectionError) -> [ReadModelLag]? {
        guard FileManager.default.fileExists(atPath: directory + "/data.mdb") else { return nil }
        let store = try ReadModelStore(directory: directory, readOnly: true)
        defer { store.close() }
        let statuses = Dictionary(try store.statuses().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return CRMProjections.all.map { projector in
            let status = statuses[projector.name]
            return ReadModelLag(
                name: projector.name,
                status: status,
                eventsBehind: status.map { head >= $0.checkpoint ? head - $0.checkpoint : 0 }
            )
        }
    }

    /// One line of the statistics table.
    var line: String {
        let label = "  " + name.padding(toLength: 28, withPad: " ", startingAt: 0) + " "
        guard let status, let eventsBehind else { return label + "not built" }
        let state = status.asOf.map { "built as of \($0)" } ?? "\(eventsBehind) behind"
        return label + "\(state), checkpoint \(status.checkpoint), version \(status.version)"
    }

    /// Its JSON object for `stats --json`.
    var json: [String: Any] {
        var object: [String: Any] = ["name": name, "built": status != nil]
        if let status {
            object["checkpoint"] = status.checkpoint
            object["version"] = status.version
            if let asOf = status.asOf { object["asOf"] = asOf.description }
        }
        if let eventsBehind { object["eventsBehind"] = eventsBehind }
        return object
    }
}
