import Foundation
import Hummingbird

/// A command's JSON body, decoded strictly: malformed JSON, a field the command does not
/// know, a missing required field or a value of the wrong type is a 400 naming the field,
/// never a silently ignored mistake.
protocol CommandBody: Decodable {
    /// Every field the body may carry.
    static var fields: Set<String> { get }
}

extension CommandBody {
    /// Reads and decodes the request's body (up to the context's upload limit: 413 past it).
    static func decode(from request: Request, context: RapportRequestContext) async throws -> Self {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError.bodyTooLarge(limit: context.maxUploadSize)
        }
        let data = Data(buffer: buffer)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data.isEmpty ? Data("{}".utf8) : data)
        } catch {
            throw APIError.badRequest("malformed_json", "the body is not JSON: \(error.localizedDescription)")
        }
        guard let fields = object as? [String: Any] else {
            throw APIError.badRequest("malformed_json", "the body must be a JSON object")
        }
        if let unknown = fields.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw APIError(
                .badRequest, code: "unknown_field", "the body has a field \"\(unknown)\" this command does not take",
                facts: ["field": unknown, "fields": Self.fields.sorted().joined(separator: ",")]
            )
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(Self.self, from: data.isEmpty ? Data("{}".utf8) : data)
        } catch let error as DecodingError {
            throw APIError(error)
        }
    }
}

extension APIError {
    /// A body whose fields have the wrong types or are missing.
    init(_ error: DecodingError) {
        func path(_ context: DecodingError.Context, _ key: CodingKey? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context, key)
            self.init(.badRequest, code: "field_required", "the body needs the field \"\(field)\"", facts: ["field": field])
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context)
            self.init(.badRequest, code: "wrong_type", "the field \"\(field)\" must be \(Self.describe(type))", facts: ["field": field])
        case .dataCorrupted(let context):
            let field = path(context)
            self.init(.badRequest, code: "invalid_value", "the field \"\(field)\" is invalid: \(context.debugDescription)", facts: ["field": field])
        @unknown default:
            self.init(.badRequest, code: "invalid_body", "the body cannot be read: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String].Type: "an array of strings"
        default: "\(type)"
        }
    }
}
