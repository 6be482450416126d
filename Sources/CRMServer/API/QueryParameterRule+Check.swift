import RapportAPI

extension QueryParameterRule {
    /// Refuses with 400 `invalid_query_parameter` a value of `name` that the rule does not
    /// admit, or its absence (or an empty value) when it is required.
    func check(_ name: String, in query: QueryParameters) throws(APIError) {
        let text = try query.optional(name, as: String.self)
        if isRequired, text?.isEmpty ?? true {
            throw .badRequest(.invalidQueryParameter, "the query parameter \(name) is required", parameter: name)
        }
        guard let text else { return }
        switch value {
        case .text:
            return
        case .integer(let range):
            _ = try query.integer(name, in: range, default: range.lowerBound)
        case .boolean:
            _ = try query.optional(name, as: Bool.self)
        case .oneOf(let words):
            guard !words.contains(text) else { return }
            throw .badRequest(
                .invalidQueryParameter,
                "\(name) is one of \(words.joined(separator: ", ")), not \"\(text)\"",
                parameter: name
            )
        }
    }
}
