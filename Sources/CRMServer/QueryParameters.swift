import Hummingbird

/// Query parameters read strictly: a parameter that is present but malformed is a 400 naming
/// it, never silently ignored.
struct QueryParameters {
    private let parameters: Parameters

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    /// The value of `name` as `T`, or `nil` when absent.
    func optional<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) throws(APIError) -> T? {
        guard let raw = parameters[name[...]] else { return nil }
        guard let value = T(String(raw)) else {
            throw .badRequest(
                .invalidQueryParameter,
                "query parameter \(name) is \"\(raw)\", not a valid \(T.self)",
                parameter: name
            )
        }
        return value
    }

    /// The largest log position or stream version a request may name: `Int64.max`, so that
    /// the spec states it as an integer every OpenAPI tool reads (a log holds far fewer).
    static let maxPosition = UInt64(Int64.max)

    /// The position (or version) `name` names, within 0 … ``maxPosition``; `nil` when absent.
    func position(_ name: String) throws(APIError) -> UInt64? {
        guard parameters[name[...]] != nil else { return nil }
        return try integer(name, in: 0...Self.maxPosition, default: 0)
    }

    /// The value of `name` within `range`, `fallback` when absent.
    func integer<T: FixedWidthInteger>(
        _ name: String,
        in range: ClosedRange<T>,
        default fallback: T
    ) throws(APIError) -> T {
        guard let value = try optional(name, as: T.self) else { return fallback }
        guard range.contains(value) else {
            throw .badRequest(
                .invalidQueryParameter,
                "query parameter \(name) is \(value); it must be \(range.lowerBound) to \(range.upperBound)",
                parameter: name
            )
        }
        return value
    }

    /// Every value of `name` (a repeated parameter, or one with comma-separated values).
    func list(_ name: String) -> [String] {
        parameters.getAll(name).flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
    }
}
