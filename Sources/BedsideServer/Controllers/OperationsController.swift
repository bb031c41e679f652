import Foundation
import Hummingbird

/// `GET`/`HEAD /healthz` (liveness, and the version of the rulebook in use) and `GET /metrics`
/// (Prometheus text format).
struct OperationsController: Sendable {
    let metrics: ServerMetrics
    let inFlight: InFlightLimit
    let pool: ClassifierPool
    /// Brings the gauges read from the store up to date before a scrape.
    let refresh: @Sendable (ServerMetrics) async throws -> Void

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/healthz") { _, _ in
            let body = #"{"rulebook":"\#(pool.rulebook.version)","status":"ok"}"#
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        // Load balancers and uptime checks probe with HEAD: the same answer, without a body.
        router.head("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"])
        }
        router.get("/metrics") { _, context in
            metrics.inFlight(inFlight.current)
            // The queue is read at each scrape, so the age of the oldest urgent item is current
            // whether or not this server delivers replies.
            do {
                try await refresh(metrics)
            } catch {
                context.logger.error("metrics could not read the queue", metadata: ["bedside.error.type": "\(type(of: error))"])
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }
}
