import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat

/// The fields a JSON object in a command's body may carry, and the shapes of the objects
/// nested in it, so a misspelt field is refused at any depth rather than silently ignored.
protocol BodyShape {
    /// Every field the object may carry.
    static var fields: Set<String> { get }
    /// The shape of each field that holds an object or an array of objects.
    static var nested: [String: any BodyShape.Type] { get }
}

extension BodyShape {
    static var nested: [String: any BodyShape.Type] { [:] }

    /// The first field of `object`, or of an object nested in it, that its shape does not
    /// know, as a dotted path (`lines.1.discount`), with the fields its object may carry.
    static func unknownField(in object: [String: Any], at path: String = "") -> (path: String, known: Set<String>)? {
        for key in object.keys.sorted() {
            let field = path.isEmpty ? key : "\(path).\(key)"
            guard fields.contains(key) else { return (field, fields) }
            guard let shape = nested[key] else { continue }
            let children: [(String, [String: Any])] =
                if let child = object[key] as? [String: Any] {
                    [(field, child)]
                } else if let array = object[key] as? [Any] {
                    array.enumerated().compactMap { index, element in
                        (element as? [String: Any]).map { ("\(field).\(index)", $0) }
                    }
                } else {
                    []
                }
            for (childPath, child) in children {
                if let unknown = shape.unknownField(in: child, at: childPath) { return unknown }
            }
        }
        return nil
    }
}

/// A command's JSON body, decoded strictly: malformed JSON, a field the command does not
/// know, a missing required field or a value of the wrong type is a 400 naming the field,
/// never a silently ignored mistake.
///
/// Every command's body may also carry `occurredAt`, the command's business time (ISO 8601),
/// for history brought in from elsewhere; the service refuses one in the future.
protocol CommandBody: BodyShape, Decodable {}

/// The field every command body may carry besides its own.
private struct BusinessTime: Decodable {
    var occurredAt: Date?
}

extension CommandBody {
    /// Reads and decodes a command's body (up to the context's upload limit: 413 past it),
    /// with its business time when it gives one.
    static func decodeCommand(
        from request: Request,
        context: RapportRequestContext
    ) async throws -> (body: Self, occurredAt: Date?) {
        try await read(request, context, businessTime: true)
    }

    /// Reads and decodes a body that is not a command's, so it takes no `occurredAt`.
    static func decode(from request: Request, context: RapportRequestContext) async throws -> Self {
        try await read(request, context, businessTime: false).body
    }

    private static func read(
        _ request: Request,
        _ context: RapportRequestContext,
        businessTime: Bool
    ) async throws -> (body: Self, occurredAt: Date?) {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError.bodyTooLarge(limit: context.maxUploadSize)
        }
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer: buffer)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw APIError.badRequest(.malformedJson, "the body is not JSON: \(error.localizedDescription)")
        }
        guard var fields = object as? [String: Any] else {
            throw APIError.badRequest(.malformedJson, "the body must be a JSON object")
        }
        // Decoded on its own below, and only when present: follow-ups are the hottest command.
        let givesTime = businessTime && fields.removeValue(forKey: "occurredAt") != nil
        if let unknown = unknownField(in: fields) {
            throw APIError(
                .badRequest,
                .unknownField,
                "the body has a field \"\(unknown.path)\" this command does not take",
                facts: ["field": unknown.path, "fields": unknown.known.sorted().joined(separator: ",")]
            )
        }
        // A field only some of the route's roles may send (AccessRule.narrower) is refused
        // before anything else of the body is judged; `null` is a field not sent.
        for (field, value) in fields.sorted(by: { $0.key < $1.key }) {
            try context.require(part: field, sent: !(value is NSNull))
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom(iso8601)
            let body = try decoder.decode(Self.self, from: data)
            // Read without the body's range, so a time out of it is refused by the business
            // time's own rules, with their code.
            let timeDecoder = JSONDecoder()
            timeDecoder.dateDecodingStrategy = .custom(parseISO8601)
            let occurredAt = givesTime ? try timeDecoder.decode(BusinessTime.self, from: data).occurredAt : nil
            if let occurredAt { try context.businessTime?.check(occurredAt) }
            return (body, occurredAt)
        } catch let error as DecodingError {
            throw APIError(error)
        }
    }
}

/// An ISO 8601 time, with or without fractional seconds (JavaScript's `toISOString()` writes
/// milliseconds), from 1900 up to 2200: every time a command carries becomes a timestamp
/// of the log, which holds 1677 … 2262, and nothing the CRM plans lies outside.
@Sendable private func iso8601(_ decoder: any Decoder) throws -> Date {
    let date = try parseISO8601(decoder)
    guard BodyTime.range.contains(date) else {
        let text = try decoder.singleValueContainer().decode(String.self)
        throw DecodingError.dataCorrupted(
            .init(codingPath: decoder.codingPath, debugDescription: BodyTime.outOfRange(text))
        )
    }
    return date
}

/// An ISO 8601 time, with or without fractional seconds, of any date.
@Sendable private func parseISO8601(_ decoder: any Decoder) throws -> Date {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let date = BodyTime.parse(text) else {
        throw DecodingError.dataCorrupted(
            .init(codingPath: decoder.codingPath, debugDescription: BodyTime.notATime(text))
        )
    }
    return date
}

extension APIError {
    /// A body whose fields have the wrong types or are missing.
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
