import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// Serves the generated boundary's operations on Hummingbird routes, each body in one piece.
///
/// swift-openapi-hummingbird's transport streams both ways: the request body as an
/// `HTTPBody` of one `[UInt8]` copy per chunk, the answer through a response writer that
/// awaits each chunk. Rapport's bodies are small and already whole (``OperationGate`` read
/// the command's within its limit), and every answer the boundary gives has a known length
/// (JSON or the metrics text; the live event stream is not one of its operations), so here
/// a body goes in as the one buffer it is and the answer comes back as one buffer: the same
/// requests and answers, measurably cheaper under load (see BENCHMARKS.md, "Commands through
/// the generated boundary").
struct BoundaryTransport<Routes: RouterMethods<RapportRequestContext>>: ServerTransport {
    let router: Routes

    func register(
        _ handler:
            @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        router.on(RouterPath(path), method: method) { request, context in
            var request = request
            let bytes = try await request.collectBody(within: context)
            let body = HTTPBody(bytes.readableBytesView, length: .known(Int64(bytes.readableBytes)))
            let metadata = ServerRequestMetadata(
                pathParameters: Dictionary(context.parameters.map { (String($0.0), $0.1) }) { first, _ in first }
            )
            let (head, answer) = try await handler(request.head, body, metadata)
            var buffer = ByteBuffer()
            if let answer {
                for try await chunk in answer { buffer.writeBytes(chunk) }
            }
            return Response(status: head.status, headers: head.headerFields, body: .init(byteBuffer: buffer))
        }
    }
}
