import HTTPTypes
import Hummingbird

/// Answers a request for a path the router knows, with a method it does not serve, with 405
/// `method_not_allowed` and an `Allow` header naming the methods it does serve.
///
/// Hummingbird's router sends a known path with an unknown method to the same responder as an
/// unknown path (a 404). Added to the router after every route, this middleware wraps only that
/// responder, so it runs for nothing the routes answer; for a path no route matches it lets the
/// 404 `route_not_found` through.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// One path pattern and the methods its routes serve.
    private struct Endpoint: Sendable {
        var path: RouterPath
        var methods: [HTTPRequest.Method]
    }

    private let endpoints: [Endpoint]

    /// A middleware for the routes the router has now.
    init(routes: [Router<Context>.RouteDescription]) {
        var endpoints: [String: Endpoint] = [:]
        for route in routes {
            endpoints[route.path.description, default: Endpoint(path: route.path, methods: [])].methods.append(route.method)
        }
        self.endpoints = endpoints.values.sorted { $0.path.description < $1.path.description }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        guard let endpoint = bestMatch(segments), !endpoint.methods.contains(request.method) else {
            return try await next(request, context)
        }
        // Requests count under the pattern they were addressed to, not as unmatched paths.
        context.coreContext.endpointPath.value = endpoint.path.description
        let allowed = endpoint.methods.map(\.rawValue).sorted()
        let refusal = APIError(
            .methodNotAllowed, code: "method_not_allowed",
            "\(request.method.rawValue) is not served on \(endpoint.path.description); it serves \(allowed.joined(separator: ", "))",
            facts: ["method": request.method.rawValue, "allow": allowed.joined(separator: ", ")]
        )
        var response = try refusal.response(from: request, context: context)
        response.headers[.allow] = allowed.joined(separator: ", ")
        return response
    }

    /// The endpoint the router's trie resolves `segments` to: of the patterns that match, the one
    /// with a literal segment where the others capture, at the first place they differ.
    private func bestMatch(_ segments: [Substring]) -> Endpoint? {
        endpoints.filter { matches($0.path, segments) }.min { isMoreSpecific($0.path, than: $1.path) }
    }

    private func matches(_ path: RouterPath, _ segments: [Substring]) -> Bool {
        for (index, component) in path.components.enumerated() {
            if component.description == "**" { return true }
            guard index < segments.count, component ~= segments[index] else { return false }
        }
        return path.components.count == segments.count
    }

    private func isMoreSpecific(_ lhs: RouterPath, than rhs: RouterPath) -> Bool {
        for (left, right) in zip(lhs.components, rhs.components) {
            let leftIsLiteral = !left.description.contains("{") && !left.description.contains("*")
            let rightIsLiteral = !right.description.contains("{") && !right.description.contains("*")
            if leftIsLiteral != rightIsLiteral { return leftIsLiteral }
        }
        return lhs.components.count > rhs.components.count
    }
}
