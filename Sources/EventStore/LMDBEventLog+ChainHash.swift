extension LMDBEventLog {
    /// The chain hash stored with the record at `position`: what a signed checkpoint of that
    /// position must name if the log still extends it.
    ///
    /// The stored hash is read, not recomputed; ``verify(progress:)`` proves that stored
    /// hashes follow from the records.
    ///
    /// - Parameter position: a position from 1 to the head; 0 names the empty log, whose hash
    ///   is ``ChainHash/genesis``.
    /// - Returns: the hash, or `nil` when the log has no record at `position` (it is shorter).
    /// - Throws: `EventStoreError` `.corruptRecord` when the record cannot be decoded, or
    ///   `.storage`.
    public func chainHash(at position: UInt64) throws(EventStoreError) -> ChainHash? {
        guard position > 0 else { return .genesis }
        return try read("reading the chain hash at position \(position)") { txn in
            try storage.withRecord(at: position, in: txn) { view in ChainHash(bytes: Array(view.hashBytes)) }
        }
    }
}
