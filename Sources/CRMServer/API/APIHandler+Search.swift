import CRMReadModels
import RapportAPI

/// One search over the customers, contacts and leads, before a rep claims or creates one.
extension APIHandler {
    /// The hits best first, a page at a time; a hit the caller may not see keeps only its kind,
    /// id, name and owner.
    func search(_ input: Operations.Search.Input) async throws -> Operations.Search.Output {
        let principal = try caller
        let query = input.query
        let page = try SearchQueries(store: reads).search(
            q: query.q,
            limit: query.limit ?? 20,
            after: QueryValues.given(query.after),
            // A directory the caller's scope cannot be read from hides the details: never shows them.
            visibleOwner: { owner in (try? scope.allows(principal, owner: owner)) ?? false }
        )
        return .ok(.init(body: .json(try answer(page))))
    }
}
