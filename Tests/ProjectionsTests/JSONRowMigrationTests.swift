import EventStore
import Foundation
import LMDB
import Testing

@testable import Projections

@Suite("Read models stored in the JSON row format of before")
struct JSONRowMigrationTests {
    @Test("are not read but rebuilt on start, and their rows are binary after")
    func rebuiltOnStart() async throws {
        let world = try ProjectionWorld("rows-json")
        try await appendEvents(world.log, count: 30)
        try await world.runner().start()
        let binary = try world.store.contents(of: "counting")
        try rewriteAsJSON(world.store, projector: "counting")
        #expect(try world.store.status(of: "counting")?.rowFormat == nil)
        let error = #expect(throws: ProjectionError.self) {
            try world.store.row(Int.self, projector: "counting", table: "types", key: "test.Other")
        }
        #expect(error?.code == .undecodableRow)

        try await world.runner().start()
        #expect(try world.store.status(of: "counting")?.rowFormat == RowFormat.version)
        #expect(try world.store.contents(of: "counting") == binary)
        #expect(try world.store.row(Int.self, projector: "counting", table: "types", key: "test.Other") == 10)
    }

    /// Stores the rows of `projector` as the JSON row codec did, and its status as it was then,
    /// without a row format.
    private func rewriteAsJSON(_ store: ReadModelStore, projector: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var status = try #require(try store.status(of: projector))
        status.rowFormat = nil
        let rows = try store.contents(of: projector)
        let database = try store.environment.openDatabase("\(projector)#\(status.slot.rawValue)")
        let catalogue = try store.environment.openDatabase("projections")
        try store.environment.withWriteTransaction { txn in
            for row in rows {
                let json =
                    row.table == "streams"
                    ? try encoder.encode(try decode(CountingProjector.StreamRow.self, row.bytes))
                    : try encoder.encode(try decode(Int.self, row.bytes))
                try txn.put(Array(json), for: ReadModelStore.storageKey(table: row.table, key: row.key), in: database)
            }
            try txn.put(Array(try JSONEncoder().encode(status)), for: Array(projector.utf8), in: catalogue)
        }
    }

    private func decode<T: Decodable>(_: T.Type, _ bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try RowCodec.decode(T.self, from: $0, table: "test", key: "row") }
    }
}
