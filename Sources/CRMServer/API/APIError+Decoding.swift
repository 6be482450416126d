import Foundation
import HTTPTypes

extension APIError {
    /// A body the generated decoding refused: not JSON, a field missing or of the wrong type,
    /// a value it cannot hold; the field named by its dotted path.
    init(_ error: DecodingError) {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init(.badRequest, .malformedJson, "the body is not JSON: \(context.debugDescription)")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            self.init(.badRequest, .malformedJson, "the body must be a JSON object")
        case .keyNotFound(let key, let context):
            let field = path(context, key)
            self.init(.badRequest, .fieldRequired, "the body needs the field \"\(field)\"", facts: ["field": field])
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context)
            self.init(
                .badRequest,
                .wrongType,
                "the field \"\(field)\" must be \(Self.describe(type))",
                facts: ["field": field]
            )
        case .dataCorrupted(let context):
            let field = path(context)
            // JSONDecoder names the Swift type of an enum it cannot read a value into.
            let reason =
                context.debugDescription.range(of: "from invalid String value ").map {
                    "\"\(context.debugDescription[$0.upperBound...])\" is none of the values the API lists for it"
                } ?? context.debugDescription
            self.init(
                .badRequest,
                .invalidValue,
                "the field \"\(field)\" is invalid: \(reason)",
                facts: ["field": field]
            )
        @unknown default:
            self.init(.badRequest, .invalidBody, "the body cannot be read: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String].Type: "an array of strings"
        case is [Any].Type: "an array"
        case is [String: Any].Type, is any Decodable.Type: "an object"
        default: "\(type)"
        }
    }
}
