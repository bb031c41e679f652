import Hummingbird
import Logging

/// Logs one structured line per request: method, route, status and duration. Never the body, the
/// query string (a Meta challenge carries the verify token) or any header.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let level: Logger.Level = response.status.code >= 500 ? .error : .debug
        context.logger.log(
            level: level, "request",
            metadata: [
                "http.method": "\(request.method.rawValue)",
                "http.route": "\(context.endpointPath ?? "unknown")",
                "http.status": "\(response.status.code)",
                "http.duration_us": "\(micros)",
            ])
        return response
    }
}
