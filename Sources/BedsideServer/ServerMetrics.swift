import BedsideCore
import BedsideStore
import Foundation
import Metrics
import Prometheus
import Synchronization

/// The server's Prometheus metrics, on a registry of its own (so tests can run several servers).
/// Labels are bounded and never personal: actions, rulebook categories, outcomes, urgency.
final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let latency: Metrics.Timer
    private let counters = Mutex<[String: Metrics.Counter]>([:])
    private let pendingUrgent: Metrics.Gauge
    private let pendingRoutine: Metrics.Gauge
    private let inFlightGauge: Metrics.Gauge
    private let batches: Metrics.Timer

    init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(1000), .seconds(5),
        ]
        self.factory = factory
        latency = Metrics.Timer(label: "bedside_decision_seconds", factory: factory)
        batches = Metrics.Timer(label: "bedside_commit_seconds", factory: factory)
        pendingUrgent = Metrics.Gauge(label: "bedside_queue_pending", dimensions: [("urgency", "urgent")], factory: factory)
        pendingRoutine = Metrics.Gauge(label: "bedside_queue_pending", dimensions: [("urgency", "routine")], factory: factory)
        inFlightGauge = Metrics.Gauge(label: "bedside_in_flight", factory: factory)
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Metrics.Counter {
        let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        return counters.withLock { all in
            if let existing = all[key] { return existing }
            let made = Metrics.Counter(label: label, dimensions: dimensions, factory: factory)
            all[key] = made
            return made
        }
    }

    /// One decision answered: its action, category (a rulebook id, never message content), source.
    func decided(_ decision: Decision, source: String, isNew: Bool) {
        let category = decision.category ?? "none"
        counter("bedside_messages_total", [
            ("action", decision.action.rawValue), ("category", category), ("source", source), ("new", isNew ? "true" : "false"),
        ]).increment()
    }

    /// How long one decision took from request to commit.
    func latency(_ duration: Duration) { latency.recordNanoseconds(Int64(duration / .nanoseconds(1))) }

    /// How long one group commit of decisions took.
    func committed(in duration: Duration) { batches.recordNanoseconds(Int64(duration / .nanoseconds(1))) }

    /// A rejected request, by reason code (`bad-signature`, `overloaded`, …).
    func rejected(_ code: String, endpoint: String) {
        counter("bedside_rejected_total", [("reason", code), ("endpoint", endpoint)]).increment()
    }

    /// Delivery outcomes of one outbox pass.
    func delivered(_ delivered: Int, retrying: Int, deadLettered: Int) {
        if delivered > 0 { counter("bedside_deliveries_total", [("outcome", "delivered")]).increment(by: delivered) }
        if retrying > 0 { counter("bedside_deliveries_total", [("outcome", "retrying")]).increment(by: retrying) }
        if deadLettered > 0 { counter("bedside_deliveries_total", [("outcome", "dead_lettered")]).increment(by: deadLettered) }
    }

    /// A staff notification's outcome.
    func notified(_ outcome: String) { counter("bedside_notifications_total", [("outcome", outcome)]).increment() }

    /// The queue's depth now.
    func queue(urgent: Int, routine: Int) {
        pendingUrgent.record(urgent)
        pendingRoutine.record(routine)
    }

    /// Decisions in flight now.
    func inFlight(_ n: Int) { inFlightGauge.record(n) }

    /// A rulebook reload and its result.
    func reloaded(ok: Bool) { counter("bedside_reloads_total", [("result", ok ? "ok" : "failed")]).increment() }

    /// The rulebook in use: `bedside_rulebook_info{version="…"} 1`, and 0 for the one it replaced,
    /// so a rollout across instances can be watched until every one reports the new version.
    func rulebook(_ version: String, replacing old: String? = nil) {
        if let old, old != version { Metrics.Gauge(label: "bedside_rulebook_info", dimensions: [("version", old)], factory: factory).record(0) }
        Metrics.Gauge(label: "bedside_rulebook_info", dimensions: [("version", version)], factory: factory).record(1)
    }

    /// A review action by staff.
    func reviewed(_ action: String) { counter("bedside_review_actions_total", [("action", action)]).increment() }

    /// The text exposition.
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
