import Foundation
import HTTPTypes
import OpenAPIRuntime

/// The times a request body may carry: ISO 8601, with or without fractional seconds
/// (JavaScript's `toISOString()` writes milliseconds).
enum BodyTime {
    /// 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z: every time a command carries becomes
    /// a timestamp of the log, which holds 1677 … 2262, and nothing the CRM plans lies outside.
    static let range = Date(timeIntervalSince1970: -2_208_988_800)...Date(timeIntervalSince1970: 7_258_118_400)

    /// The time `text` writes, of any date; `nil` when it is not ISO 8601.
    static func parse(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    /// Why `text` is refused as a time.
    static func notATime(_ text: String) -> String {
        "\"\(text)\" is not an ISO 8601 time such as 2026-11-30T09:00:00Z"
    }

    /// Why `text` is refused as a time out of ``range``.
    static func outOfRange(_ text: String) -> String {
        "\"\(text)\" is outside 1900-01-01 … 2200-01-01"
    }
}

/// Reads and writes the times of the generated boundary's bodies: ISO 8601 in, within
/// ``BodyTime/range`` (`invalid_value` outside); ISO 8601 out, in whole seconds unless the
/// time has a fraction.
///
/// A command's `occurredAt` is not read here but by ``APIHandler/acting(at:)``, so a time
/// outside the caller's window is refused with the business time's own codes.
struct BodyTimeTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
            ? date.formatted(.iso8601) : date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    func decode(_ text: String) throws -> Date {
        guard let date = BodyTime.parse(text) else { throw BodyTimeError(text: text, reason: BodyTime.notATime(text)) }
        guard BodyTime.range.contains(date) else {
            throw BodyTimeError(text: text, reason: BodyTime.outOfRange(text))
        }
        return date
    }
}

/// A body time the transcoder refuses. JSONDecoder passes it on as thrown, without the
/// field's path, so it carries the text, by which ``OperationGate`` finds the field.
struct BodyTimeError: Error {
    var text: String
    var reason: String

    /// The answer: 400 `invalid_value`, naming the field when it is known.
    func answer(field: String?) -> APIError {
        guard let field else { return APIError(.badRequest, .invalidValue, "a time in the body is invalid: \(reason)") }
        return APIError(
            .badRequest,
            .invalidValue,
            "the field \"\(field)\" is invalid: \(reason)",
            facts: ["field": field]
        )
    }
}
