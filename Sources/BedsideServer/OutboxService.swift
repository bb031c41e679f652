import BedsideDelivery
import BedsideStore
import Foundation
import Logging
import ServiceLifecycle

/// Sends due outbox entries through the configured connector every few seconds, and keeps the
/// queue-depth gauges current. Stops between passes on graceful shutdown.
struct OutboxService<Store: ReviewStore>: Service {
    let store: Store
    let deliverer: Deliverer<Store>?
    let interval: Duration
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await pass()
            try? await gracefulShutdownSleep(for: interval)
        }
    }

    func pass() async {
        do {
            metrics.queue(try await store.items(ReviewFilter.pending))
            if let deliverer {
                let report = try await deliverer.drainOnce { Task.isShuttingDownGracefully }
                metrics.delivered(report.delivered, retrying: report.retrying, deadLettered: report.deadLettered)
                if report != DeliveryReport() { logger.info("outbox pass", metadata: ["bedside.delivery": "\(report.summary)"]) }
            }
        } catch {
            logger.error("outbox pass failed", metadata: ["bedside.error.type": "\(type(of: error))"])
        }
    }
}

/// Sleeps, waking early when a graceful shutdown starts.
func gracefulShutdownSleep(for duration: Duration) async throws {
    try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}
