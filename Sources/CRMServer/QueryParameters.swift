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
