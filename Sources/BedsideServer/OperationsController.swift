import Hummingbird

/// `GET /healthz` (liveness) and `GET /metrics` (Prometheus text format).
struct OperationsController: Sendable {
    let metrics: ServerMetrics
    let inFlight: InFlightLimit
    /// Brings the gauges read from the store up to date before a scrape.
    let refresh: @Sendable (ServerMetrics) async throws -> Void

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/metrics") { _, _ in
            metrics.inFlight(inFlight.current)
            try await refresh(metrics)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }
}
