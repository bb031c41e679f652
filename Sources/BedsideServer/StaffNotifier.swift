import BedsideDelivery
import BedsideStore
import Logging

/// Tells staff on Slack that a review item waits: a link and a category, never the message.
/// Fire and forget: a failed notification never fails the webhook that queued the item.
struct StaffNotifier: Sendable {
    let slack: SlackNotifier
    let metrics: ServerMetrics
    let logger: Logger

    /// `holdingReplyLost`: the item is urgent and its holding reply could not be sent.
    func notify(queueID: String, category: String?, urgent: Bool, holdingReplyLost: Bool = false) {
        let slack = self.slack
        send(queueID: queueID) {
            await slack.notifyNewItem(queueID: queueID, category: category, urgent: urgent, holdingReplyLost: holdingReplyLost)
        }
    }

    /// Alerts staff that an urgent item's holding reply was not delivered.
    func holdingFailed(_ entry: OutboxEntry, error: String) {
        guard let queueID = entry.queueID else { return }
        let slack = self.slack
        send(queueID: queueID) { await slack.notifyHoldingFailed(queueID: queueID, error: error) }
    }

    private func send(queueID: String, _ post: @escaping @Sendable () async -> DeliveryOutcome) {
        let metrics = self.metrics, logger = self.logger
        Task {
            let outcome = await post()
            switch outcome {
            case .delivered: metrics.notified("delivered")
            case .retry(let reason), .permanent(let reason):
                metrics.notified("failed")
                logger.warning("staff notification failed", metadata: ["bedside.queue.id": "\(queueID)", "bedside.reason": "\(reason)"])
            }
        }
    }
}
