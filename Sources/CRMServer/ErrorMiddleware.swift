import CRMDomain
import CRMReadModels
import EventStore
import Hummingbird
import Logging
import OpenAPIRuntime

/// Answers every error with the API's JSON error body: the domain's refusals, the log's and
/// the read models' typed errors keep their stable codes and facts, so no handler wraps its
/// call; anything else is a 500 that names no internals and is logged.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = APIError.answer(to: error)
            if answer.status == .internalServerError && !(error is APIError) {
                context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            throw answer
        }
    }
}

extension APIError {
    /// The API's answer to an error a route throws: its own when it is an `APIError`, the
    /// mapped code and facts of a typed error, and a 500 naming no internals for anything else.
    static func answer(to error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            error
        case let error as DomainError:
            APIError(error)
        case let error as DedupKeyError:
            APIError(error)
        case let error as EventStoreError:
            APIError(error).status == .internalServerError ? .internalError : APIError(error)
        case let error as ReadModelQueryError:
            APIError(error)
        case let error as ServerError:
            // The generated boundary wraps what a handler or its decoding threw.
            answer(toGenerated: error)
        case let error as DecodingError:
            APIError(error)
        case let error as BodyTimeError:
            error.answer(field: nil)
        case let error as HTTPError:
            APIError(
                error.status,
                error.status == .notFound ? .routeNotFound : .httpError,
                error.body ?? error.status.reasonPhrase
            )
        default:
            .internalError
        }
    }

    /// The answer to what the generated boundary threw: the handler's or its decoder's error,
    /// or the boundary's own refusal of a request its operation cannot read (a parameter of
    /// the wrong type, a body of another media type), with the status it gives.
    private static func answer(toGenerated error: ServerError) -> APIError {
        let answer = answer(to: error.underlyingError)
        guard answer.code == APIError.internalError.code, error.httpStatus.kind == .clientError else { return answer }
        return APIError(error.httpStatus, .invalidBody, error.causeDescription)
    }
}
