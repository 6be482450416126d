/// One page of a list a route answers in a stable order: the items after the one whose key is
/// the request's `after`, and the key to pass as `after` for the `next` page (absent on the
/// last). Encoded as `{"<name>": [...], "next": "..."}`, the shape of the customer listings.
struct ListPage<Item: Encodable>: Encodable {
    /// The JSON key of the items.
    let name: String
    let items: [Item]
    let next: String?

    /// The page of `all` after the item keyed `after` (from the first when `nil`), at most
    /// `limit` items.
    ///
    /// - Throws: 400 `invalid_query_parameter` naming `after` when no item has that key: the
    ///   cursor did not come from a `next` of this list.
    init(_ name: String, _ all: [Item], key: (Item) -> String, after: String?, limit: Int) throws(APIError) {
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
        let end = min(all.endIndex, start + limit)
        self.name = name
        items = Array(all[start..<end])
        next = end < all.endIndex ? items.last.map(key) : nil
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(stringValue: name))
        try container.encodeIfPresent(next, forKey: Key(stringValue: "next"))
    }
}
