import Foundation
import FuzzDriver

/// Fuzzes the reading of a command's JSON body, step for step as the server does it:
/// `JSONDecoder` into the body's type (the generated boundary's `Codable` types, which refuse
/// a field their schema does not list) with an ISO 8601 date strategy, and the business time,
/// which the handlers parse from text (`APIHandler.acting(at:)`); and for a body the decoding
/// refuses, `JSONSerialization` for the shape and the unknown-field walk over nested objects
/// and arrays (`Sources/CRMServer/API/OperationGate.swift` with the `BodyFields` table that
/// `Tools/generate-openapi` writes).
///
/// A reproduction rather than a call into CRMServer: building Hummingbird and SwiftNIO with
/// the fuzzer's instrumentation is more than this machine's fuzz runs can afford, and the
/// decode steps need none of it. Keep it in step with OperationGate.swift.
///
/// Input: a byte choosing the body type, then the body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: count)
    guard let selector = input.first else { return 0 }
    let body = Data(input[1...])
    switch selector % 3 {
    case 0: _ = try? NewQuoteBody.decode(body)
    case 1: _ = try? FollowUpBody.decode(body)
    default: _ = try? PipelineBody.decode(body)
    }
    return 0
}

// MARK: - The gate's steps

protocol BodyShape {
    static var fields: Set<String> { get }
    static var nested: [String: any BodyShape.Type] { get }
}

extension BodyShape {
    static var nested: [String: any BodyShape.Type] { [:] }

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

protocol CommandBody: BodyShape, Decodable {}

private struct BusinessTime: Decodable {
    var occurredAt: Date?
}

struct Refused: Error {
    var code: String
}

extension CommandBody {
    static func decode(_ data: Data) throws -> (body: Self, occurredAt: Date?) {
        let data = data.isEmpty ? Data("{}".utf8) : data
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom(iso8601)
            let body = try decoder.decode(Self.self, from: data)
            // The generated decoders refuse a field their schema does not list; these copies
            // of them do not, so the look that follows a refusal stands in for theirs.
            try judge(data)
            return (body, try decoder.decode(BusinessTime.self, from: data).occurredAt)
        } catch let error as DecodingError {
            try judge(data)
            // What APIError(_: DecodingError) reads of the error.
            switch error {
            case .keyNotFound(let key, let context): throw Refused(code: "\(key.stringValue) \(path(context))")
            case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
                throw Refused(code: "\(type) \(path(context))")
            case .dataCorrupted(let context): throw Refused(code: "\(path(context)) \(context.debugDescription)")
            @unknown default: throw Refused(code: "\(error)")
            }
        }
    }

    /// The gate's look at a body the decoding refused: not a JSON object, or a field the
    /// body's shape does not list.
    private static func judge(_ data: Data) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Refused(code: "malformed_json: \(error.localizedDescription)")
        }
        guard var fields = object as? [String: Any] else { throw Refused(code: "malformed_json") }
        fields.removeValue(forKey: "occurredAt")
        if let unknown = unknownField(in: fields) {
            throw Refused(code: "unknown_field \(unknown.path) \(unknown.known.sorted().joined(separator: ","))")
        }
    }
}

private func path(_ context: DecodingError.Context) -> String {
    context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
}

@Sendable private func iso8601(_ decoder: any Decoder) throws -> Date {
    let text = try decoder.singleValueContainer().decode(String.self)
    if let date = try? Date(text, strategy: .iso8601) { return date }
    if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
    throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not an ISO 8601 time")
    )
}

// MARK: - Bodies of each kind (copied from CRMServer's command routes)

/// Nested objects in an array, an optional and a required time: `POST /v1/quotes`.
struct NewQuoteBody: CommandBody {
    struct LineBody: BodyShape, Decodable {
        static let fields: Set<String> = ["productId", "quantity", "discountBasisPoints"]
        var productId: String
        var quantity: Int32
        var discountBasisPoints: Int32?
    }
    static let fields: Set<String> = ["customerId", "opportunityId", "lines", "validUntil"]
    static var nested: [String: any BodyShape.Type] { ["lines": LineBody.self] }
    var customerId: String
    var opportunityId: String?
    var lines: [LineBody]
    var validUntil: Date
}

/// The hottest command: `POST /v1/customers/{customer}/follow-ups`.
struct FollowUpBody: CommandBody {
    static let fields: Set<String> = ["contactId", "channel", "note", "nextContactAt"]
    var contactId: String?
    var channel: String
    var note: String?
    var nextContactAt: Date?
}

/// Nested objects with integers of several widths: `PUT /v1/settings/pipeline`.
struct PipelineBody: CommandBody {
    struct StageBody: BodyShape, Decodable {
        static let fields: Set<String> = ["stageId", "name", "order", "winProbabilityPercent"]
        var stageId: String
        var name: String
        var order: Int32
        var winProbabilityPercent: Int32
    }
    static let fields: Set<String> = ["stages"]
    static var nested: [String: any BodyShape.Type] { ["stages": StageBody.self] }
    var stages: [StageBody]
}

/// libFuzzer's entry: SwiftPM renames an executable's `main` to `<module>_main`.
@_cdecl("FuzzCommandBody_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}
