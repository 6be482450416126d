import HTTPTypes
import Hummingbird
import Synchronization

/// Answers a request for a path the router knows, with a method it does not serve, with 405
/// `method_not_allowed` and an `Allow` header naming the methods it does serve.
///
/// Hummingbird's router sends a known path with an unknown method to the same responder as an
/// unknown path (a 404). This middleware sits before the ones that act on a command's method
/// (idempotency keys), so a method the path does not serve is refused before anything else
/// looks at it; an unknown path passes on to the 404 `route_not_found`. The routes are added
/// after the middleware, so the table is filled once they are all there (``MethodTable/load(_:)``).
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: MethodTable<Context>

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // The router names the route it matched before any middleware runs: a route of this
        // method and path, so there is nothing to refuse and no table to search.
        guard context.endpointPath == nil, let endpoint = table.endpoint(for: request.uri.path),
            !endpoint.methods.contains(request.method)
        else {
            return try await next(request, context)
        }
        // Requests count under the pattern they were addressed to, not as unmatched paths.
        context.coreContext.endpointPath.value = endpoint.path.description
        let refusal = APIError(
            .methodNotAllowed,
            .methodNotAllowed,
            "\(request.method.rawValue) is not served on \(endpoint.path.description); it serves \(endpoint.allow)",
            facts: ["method": request.method.rawValue, "allow": endpoint.allow]
        )
        var response = try refusal.response(from: request, context: context)
        response.headers[.allow] = endpoint.allow
        return response
    }
}

/// The router's path patterns and the methods each serves, indexed by segment count and first
/// literal segment after `/v1`, so a request is matched against a handful of patterns.
final class MethodTable<Context: RequestContext>: Sendable {
    /// One path pattern and the methods its routes serve.
    struct Endpoint: Sendable {
        var path: RouterPath
        var methods: Set<HTTPRequest.Method>
        /// The `Allow` header: the methods, sorted.
        var allow: String
    }

    private let buckets = Mutex<[String: [Endpoint]]>([:])

    init() {}

    /// Fills the table from the router's routes, once they have all been added.
    func load(_ routes: [Router<Context>.RouteDescription]) {
        var byPath: [String: (RouterPath, Set<HTTPRequest.Method>)] = [:]
        for route in routes {
            byPath[route.path.description, default: (route.path, [])].1.insert(route.method)
        }
        var buckets: [String: [Endpoint]] = [:]
        for (path, methods) in byPath.values {
            let endpoint = Endpoint(
                path: path,
                methods: methods,
                allow: methods.map(\.rawValue).sorted().joined(separator: ", ")
            )
            let key = Self.key(
                count: path.components.count,
                path.components.count > 1 ? path.components[1].literal : path.components.first?.literal
            )
            buckets[key, default: []].append(endpoint)
        }
        for key in buckets.keys { buckets[key]!.sort { Self.isMoreSpecific($0.path, than: $1.path) } }
        self.buckets.withLock { $0 = buckets }
    }

    /// The endpoint the router's trie resolves `path` to, if any: of the patterns that match,
    /// the one with a literal segment where the others capture, at the first place they differ.
    func endpoint(for path: String) -> Endpoint? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let second = segments.count > 1 ? segments[1] : segments.first
        return buckets.withLock { buckets in
            let candidates =
                (buckets[Self.key(count: segments.count, second.map(String.init))] ?? [])
                + (buckets[Self.key(count: segments.count, nil)] ?? [])
            return candidates.first { Self.matches($0.path, segments) }
        }
    }

    private static func key(count: Int, _ literal: String?) -> String { "\(count)/\(literal ?? "*")" }

    private static func matches(_ path: RouterPath, _ segments: [Substring]) -> Bool {
        guard path.components.count == segments.count else { return false }
        return zip(path.components, segments).allSatisfy { $0 ~= $1 }
    }

    private static func isMoreSpecific(_ lhs: RouterPath, than rhs: RouterPath) -> Bool {
        for (left, right) in zip(lhs.components, rhs.components) where (left.literal != nil) != (right.literal != nil) {
            return left.literal != nil
        }
        return false
    }
}

extension RouterPath.Element {
    /// The segment when it is a plain literal; `nil` for a capture or a wildcard.
    fileprivate var literal: String? {
        let text = description
        return text.contains("{") || text.contains("*") ? nil : text
    }
}
