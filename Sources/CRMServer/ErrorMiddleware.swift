import CRMReadModels
import EventStore
import Hummingbird
import Logging

/// Answers every error with the API's JSON error body: the log's and the read models' typed
/// errors keep their stable codes and facts; anything else is a 500 that names no internals
/// and is logged.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as EventStoreError {
            let answer = APIError(error)
            guard answer.status == .internalServerError else { throw answer }
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError.internalError
        } catch let error as ReadModelQueryError {
            throw APIError(error)
        } catch let error as HTTPError {
            throw APIError(error.status, code: error.status == .notFound ? "route_not_found" : "http_error", error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError.internalError
        }
    }
}
