import HTTPTypes
import Hummingbird
import Synchronization

/// Counts requests in flight on the decision endpoints and answers 429 with `Retry-After` beyond a
/// bound, so load turns into refusals the sender retries rather than unbounded memory.
final class InFlightLimit: Sendable {
    let limit: Int
    private let count = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Takes a slot, or returns false when all are taken.
    func acquire() -> Bool {
        let now = count.wrappingAdd(1, ordering: .relaxed).newValue
        if now > limit {
            count.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func release() { count.wrappingSubtract(1, ordering: .relaxed) }

    /// Requests in flight now.
    var current: Int { count.load(ordering: .relaxed) }
}

/// Applies an ``InFlightLimit`` to the routes it wraps, counting each refusal in
/// `bedside_rejected_total{reason="overloaded"}` (the controllers never see these requests).
struct BackpressureMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: InFlightLimit
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard limit.acquire() else {
            metrics.rejected("overloaded", endpoint: request.uri.path.hasPrefix("/v1/webhooks/meta") ? "meta" : "messages")
            var error = APIError(.tooManyRequests, "overloaded", "too many messages in flight; retry after a second")
            error.headers[.retryAfter] = "1"
            throw error
        }
        defer { limit.release() }
        return try await next(request, context)
    }
}
