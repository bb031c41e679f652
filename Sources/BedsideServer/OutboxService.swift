import BedsideDelivery
import BedsideStore
import Logging
import ServiceLifecycle

/// The server's delivery: the ``DeliveryService`` loop as a service of the application, counting
/// and logging each drain. A graceful shutdown ends it after the reply in flight.
struct OutboxService<Store: ReviewStore>: Service {
    let delivery: DeliveryService<Store>
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await delivery.run(
                shouldStop: { Task.isShuttingDownGracefully },
                passed: { report in
                    metrics.delivered(report.delivered, retrying: report.retrying, deadLettered: report.deadLettered)
                    if report != DeliveryReport() { logger.info("outbox pass", metadata: ["bedside.delivery": "\(report.summary)"]) }
                },
                failed: { error in
                    logger.error("outbox pass failed", metadata: ["bedside.error.type": "\(type(of: error))"])
                })
        } onGracefulShutdown: {
            delivery.finish()
        }
    }
}
