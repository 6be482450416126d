/// One page of a list answered in a stable order: the items after the one whose key is the
/// request's `after`, and the key to pass as `after` for the `next` page (absent on the last).
struct ListPage<Item> {
    let items: [Item]
    let next: String?

    /// The page of `all` after the item keyed `after` (from the first when `nil`), at most
    /// `limit` items (100 when `nil`).
    ///
    /// - Throws: 400 `invalid_query_parameter` naming `after` when no item has that key: the
    ///   cursor did not come from a `next` of this list.
    init(_ all: [Item], key: (Item) -> String, after: String?, limit: Int?) throws(APIError) {
        var start = all.startIndex
        if let after {
            guard let index = all.firstIndex(where: { key($0) == after }) else {
                throw .badRequest(
                    .invalidQueryParameter,
                    "after \"\(after)\" is not in this list: pass the next of the page before",
                    parameter: "after"
                )
            }
            start = index + 1
        }
        let end = min(all.endIndex, start + (limit ?? 100))
        items = Array(all[start..<end])
        next = end < all.endIndex ? items.last.map(key) : nil
    }
}
