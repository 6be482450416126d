/// A projector's rows changed since its last commit, encoded and keyed as stored: what one
/// commit or install writes for it.
///
/// Taken outside the write transaction, so encoding runs in parallel across projectors and a
/// transaction that LMDB runs again (after growing the map) writes the same rows.
struct RowChanges: Sendable {
    /// The projector's name.
    let projector: String
    /// The projector's version.
    let version: UInt32
    /// Storage keys and encoded rows (`nil` for a removed row), in storage-key order when
    /// `sorted` was asked for.
    private(set) var rows: [(key: [UInt8], value: [UInt8]?)] = []

    /// Takes (and clears) the changed rows of every table of `projector`, or all its rows.
    init(takenFrom projector: any Projector, everything: Bool = false, sorted: Bool = false) throws(ProjectionError) {
        self.projector = projector.name
        self.version = projector.version
        for table in try ReadModelStore.persistentTables(of: projector).values {
            for change in everything ? try table.takeAllRows() : try table.takeChanges() {
                rows.append((ReadModelStore.storageKey(table: table.name, key: change.key), change.value))
            }
        }
        if sorted { rows.sort { $0.key.lexicographicallyPrecedes($1.key) } }
    }

    /// Takes every row of projectors built from scratch, each projector on its own task, sorted
    /// for an install; the projectors track changes again afterwards.
    static func takeAll(from projectors: [any Projector]) async throws(ProjectionError) -> [RowChanges] {
        let boxes = projectors.map(Unchecked.init)
        do {
            return try await withThrowingTaskGroup(of: (Int, RowChanges).self) { group in
                for (index, box) in boxes.enumerated() {
                    group.addTask { (index, try RowChanges(takenFrom: box.value, everything: true, sorted: true)) }
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
