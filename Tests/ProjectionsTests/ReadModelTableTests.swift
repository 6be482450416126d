import Testing

@testable import Projections

@Suite("Read-model tables")
struct ReadModelTableTests {
    @Test("Only rows changed since the last commit are handed over, removals as nil")
    func changesSinceLastCommit() throws {
        let table = ReadModelTable<Int>("counts")
        table["a"] = 1
        table.update("b", default: 10) { $0 += 1 }
        #expect(try table.takeChanges(keepingThemCached: true).sorted { $0.key < $1.key }.map(\.key) == ["a", "b"])
        #expect(try table.takeChanges(keepingThemCached: true).isEmpty)
        table["a"] = nil
        let changes = try table.takeChanges(keepingThemCached: true)
        #expect(changes.count == 1 && changes[0].key == "a" && changes[0].value == nil)
        #expect(table["b"] == 11 && table["a"] == nil && !table.contains("a") && table.contains("b"))
    }
}
