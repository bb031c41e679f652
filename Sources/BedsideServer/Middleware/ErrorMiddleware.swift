import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into the contract's JSON error: ``APIError`` as it is, Hummingbird's own
/// `HTTPError`s (404, 413, …) with a fixed code, and anything else into a logged 500 whose body says
/// nothing about the cause (no stack trace, no message text, no secret).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try Self.translate(error.status).response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["bedside.error.type": "\(type(of: error))"])
            return try APIError(.internalServerError, "internal", "the server could not answer; the request was logged")
                .response(from: request, context: context)
        }
    }

    /// The JSON error for a status Hummingbird raised itself.
    static func translate(_ status: HTTPResponse.Status) -> APIError {
        switch status {
        case .notFound:
            return APIError(.notFound, "not-found", "no such endpoint; the routes are listed in README.md, \"Running the receiver\"")
        case .methodNotAllowed: return APIError(.methodNotAllowed, "method-not-allowed", "this endpoint does not take that method")
        case .contentTooLarge: return APIError(.contentTooLarge, "too-large", "the request body is larger than the limit")
        case .requestTimeout: return APIError(.requestTimeout, "read-timeout", "the request body did not arrive in time")
        default: return APIError(status, "http-\(status.code)", status.reasonPhrase)
        }
    }
}
