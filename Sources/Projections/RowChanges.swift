/// A projector's rows changed since its last commit, encoded and keyed as stored: what one
/// commit, flush or install writes for it.
///
/// Taken outside the write transaction, so encoding runs in parallel across projectors and a
/// transaction that LMDB runs again (after growing the map) writes the same rows.
struct RowChanges: Sendable {
    /// The projector's name.
    let projector: String
    /// The projector's version.
    let version: UInt32
    /// The row database its tables are attached to, `nil` when they are not.
    let slot: ProjectionStatus.Slot?
    /// Storage keys and encoded rows (`nil` for a removed row), in storage-key order, which lets
    /// LMDB write them page after page.
    private(set) var rows: [(key: [UInt8], value: [UInt8]?)] = []

    /// Takes (and clears) the changed rows of every table of `projector`, keeping them cached
    /// unless told otherwise.
    init(takenFrom projector: any Projector, keepingThemCached: Bool = true) throws(ProjectionError) {
        self.projector = projector.name
        self.version = projector.version
        let tables = try ReadModelStore.persistentTables(of: projector)
        self.slot = tables.values.first?.attachedSource?.slot
        for table in tables.values {
            for change in try table.takeChanges(keepingThemCached: keepingThemCached) {
                rows.append((ReadModelStore.storageKey(table: table.name, key: change.key), change.value))
            }
        }
        rows.sort { $0.key.lexicographicallyPrecedes($1.key) }
    }

    /// Takes the changed rows of `projectors`, each projector on its own task.
    static func take(from projectors: [any Projector]) async throws(ProjectionError) -> [RowChanges] {
        let boxes = projectors.map(Unchecked.init)
        do {
            return try await withThrowingTaskGroup(of: (Int, RowChanges).self) { group in
                for (index, box) in boxes.enumerated() {
                    group.addTask { (index, try RowChanges(takenFrom: box.value)) }
                }
                var taken = [RowChanges?](repeating: nil, count: boxes.count)
                for try await (index, changes) in group { taken[index] = changes }
                return taken.compactMap { $0 }
            }
        } catch {
            throw (error as? ProjectionError) ?? ProjectionError(.storage, "\(error)")
        }
    }
}
