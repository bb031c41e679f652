import Hummingbird

/// `GET /healthz` (liveness, and the version of the rulebook in use) and `GET /metrics`
/// (Prometheus text format).
struct OperationsController: Sendable {
    let metrics: ServerMetrics
    let inFlight: InFlightLimit
    let pool: ClassifierPool

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/healthz") { _, _ in
            let body = #"{"rulebook":"\#(pool.rulebook.version)","status":"ok"}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/metrics") { _, _ in
            metrics.inFlight(inFlight.current)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }
}
