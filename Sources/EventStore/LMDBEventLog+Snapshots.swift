extension LMDBEventLog {
    public func snapshot(of stream: StreamName) throws(EventStoreError) -> StreamSnapshot? {
        try read("reading the snapshot of \(stream)") { txn in try storage.snapshot(of: stream, in: txn) }
    }

    /// Queues `snapshot` to be written in the same transaction as the next batch of appends,
    /// so it costs no commit of its own; a failure to write it is logged and the appends go in
    /// without it. A read-only or closed log ignores it.
    public func offerSnapshot(_ snapshot: StreamSnapshot) {
        guard let writer, !isClosed, snapshot.state.count <= StreamSnapshot.maxStateSize else { return }
        writer.offer(snapshot)
    }
}
