import Hummingbird
import Logging

/// One structured log entry per request, with the request id, actor and role that the
/// authenticator put in the request's logger: method, route, status, error code and duration.
///
/// Answers are logged at debug, refusals (4xx) at info and failures (5xx) at warning, so a
/// server at the default level records what went wrong without a line per success.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, code: nil, since: start)
            return response
        } catch {
            let answer = APIError.answer(to: error)
            log(request, context, status: answer.status.code, code: answer.code, since: start)
            throw error
        }
    }

    private func log(
        _ request: Request,
        _ context: Context,
        status: Int,
        code: String?,
        since start: ContinuousClock.Instant
    ) {
        let level: Logger.Level =
            switch status {
            case ..<400: .debug
            case ..<500: .info
            default: .warning
            }
        guard context.logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)",
            "route": "\(context.endpointPath ?? request.uri.path)",
            "status": "\(status)",
            "durationMs": "\((ContinuousClock.now - start) / .milliseconds(1))",
        ]
        if let code { metadata["code"] = "\(code)" }
        context.logger.log(level: level, "request", metadata: metadata)
    }
}
