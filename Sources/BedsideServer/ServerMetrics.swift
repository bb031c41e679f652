import BedsideCore
import BedsideStore
import Foundation
import Prometheus
import Synchronization

/// The server's Prometheus metrics, on a registry of its own (so tests can run several servers).
///
/// Every metric has a `# HELP` line, and every label set an alert may watch exists from the start
/// at zero (`increase()` cannot see a series' first increment otherwise): the decisions each of the
/// rulebook's categories can lead to, every rejection reason, every delivery and review outcome.
/// Labels are bounded and never personal: actions, rulebook categories, reason codes, outcomes.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let latency: DurationHistogram
    private let batches: DurationHistogram
    private let pendingUrgent: Gauge
    private let pendingRoutine: Gauge
    private let urgentOldest: Gauge
    private let inFlightGauge: Gauge
    private let counters = Mutex<[String: Counter]>([:])

    /// Buckets for decision and commit times: 250 µs to 5 s.
    static let buckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(1000), .seconds(5),
    ]

    /// What each counter counts, and its labels, for `# HELP`.
    static let help: [String: String] = [
        "bedside_messages_total": "Messages decided, by action, rulebook category, source endpoint and whether newly recorded.",
        "bedside_rejected_total": "Requests refused before a decision, by reason code and endpoint.",
        "bedside_deliveries_total": "Replies handed to the connector, by outcome.",
        "bedside_notifications_total": "Staff notifications of new review items, by outcome.",
        "bedside_reloads_total": "Rulebook reloads (SIGHUP), by result.",
        "bedside_review_actions_total": "Review actions taken by staff through the API, by action.",
    ]

    /// Reason codes a request may be refused with, by endpoint (`APIError` codes).
    static let rejections: [String: [String]] = {
        let transport = ["overloaded", "not-configured", "missing-signature", "bad-signature", "not-json", "too-large", "read-timeout"]
        return [
            "messages": transport + [
                "invalid-webhook-id", "bad-timestamp", "stale-timestamp", "invalid-json", "invalid-id", "missing-text", "invalid-text",
                "empty-text",
            ],
            "meta": transport + ["invalid-event"],
            "queue": ["missing-token", "bad-token"],
        ]
    }()

    init(rulebook: Rulebook? = nil) {
        let registry = self.registry
        func gauge(_ name: String, _ unit: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: unit, helpText: help), labels: labels)
        }
        let build = gauge("bedside_build", "info", "The running release; always 1.", [("version", BedsideVersion.current)])
        build.set(Double(1))
        latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "bedside_decision", unitName: "seconds", helpText: "Time from a request to its decision being committed."),
            labels: [], buckets: Self.buckets)
        batches = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "bedside_commit", unitName: "seconds", helpText: "Time one group commit of decisions took."),
            labels: [], buckets: Self.buckets)
        let pendingHelp = "Review items waiting for a person, by urgency."
        pendingUrgent = gauge("bedside_queue", "pending", pendingHelp, [("urgency", "urgent")])
        pendingRoutine = gauge("bedside_queue", "pending", pendingHelp, [("urgency", "routine")])
        urgentOldest = gauge(
            "bedside_urgent_oldest", "seconds", "Age of the oldest urgent review item still pending; 0 when none waits.")
        inFlightGauge = gauge("bedside_in", "flight", "Decisions in flight now.")
        for (endpoint, codes) in Self.rejections {
            for code in codes { _ = counter("bedside_rejected_total", [("reason", code), ("endpoint", endpoint)]) }
        }
        for outcome in ["delivered", "retrying", "dead_lettered"] { _ = counter("bedside_deliveries_total", [("outcome", outcome)]) }
        for outcome in ["delivered", "failed"] { _ = counter("bedside_notifications_total", [("outcome", outcome)]) }
        for result in ["ok", "failed"] { _ = counter("bedside_reloads_total", [("result", result)]) }
        for action in ["approve", "approve-override", "reject", "retry-delivery"] {
            _ = counter("bedside_review_actions_total", [("action", action)])
        }
        if let rulebook { prepare(for: rulebook) }
    }

    /// Creates, at zero, the decision series the rulebook's categories can produce.
    func prepare(for rulebook: Rulebook) {
        var series: Set<[String]> = [["none", "review"], ["none", "ignore"], ["none", "error"]]
        for rule in rulebook.rules {
            if rule.escalate != nil {
                series.insert([rule.category, "review"])
            } else if rule.isNoise {
                series.insert([rule.category, "ignore"])
            } else {
                series.insert([rule.category, "reply"])
                series.insert([rule.category, "review"])
            }
        }
        for entry in series {
            for source in ["messages", "meta"] {
                _ = counter("bedside_messages_total", [("action", entry[1]), ("category", entry[0]), ("source", source), ("new", "true")])
            }
        }
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        return counters.withLock { all in
            if let existing = all[key] { return existing }
            let name = String(label.dropLast("_total".count))
            let made = registry.makeCounter(
                descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: Self.help[label] ?? ""), labels: dimensions)
            all[key] = made
            return made
        }
    }

    /// One decision answered: its action, category (a rulebook id, never message content), source.
    func decided(_ decision: Decision, source: String, isNew: Bool) {
        let category = decision.category ?? "none"
        counter(
            "bedside_messages_total",
            [
                ("action", decision.action.rawValue), ("category", category), ("source", source), ("new", isNew ? "true" : "false"),
            ]
        ).increment()
    }

    /// How long one decision took from request to commit.
    func latency(_ duration: Duration) { latency.record(duration) }

    /// How long one group commit of decisions took.
    func committed(in duration: Duration) { batches.record(duration) }

    /// A rejected request, by reason code (`bad-signature`, `overloaded`, …).
    func rejected(_ code: String, endpoint: String) {
        counter("bedside_rejected_total", [("reason", code), ("endpoint", endpoint)]).increment()
    }

    /// Delivery outcomes of one outbox pass.
    func delivered(_ delivered: Int, retrying: Int, deadLettered: Int) {
        if delivered > 0 { counter("bedside_deliveries_total", [("outcome", "delivered")]).increment(by: Int64(delivered)) }
        if retrying > 0 { counter("bedside_deliveries_total", [("outcome", "retrying")]).increment(by: Int64(retrying)) }
        if deadLettered > 0 { counter("bedside_deliveries_total", [("outcome", "dead_lettered")]).increment(by: Int64(deadLettered)) }
    }

    /// A staff notification's outcome.
    func notified(_ outcome: String) { counter("bedside_notifications_total", [("outcome", outcome)]).increment() }

    /// The queue now: how many wait, and since when the oldest urgent item has.
    func queue(_ pending: [ReviewItem], now: Date = Date()) {
        let urgent = pending.filter(\.urgent)
        pendingUrgent.set(Int64(urgent.count))
        pendingRoutine.set(Int64(pending.count - urgent.count))
        let oldest = urgent.map(\.createdAt).min()
        urgentOldest.set(Double(oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0))
    }

    /// Decisions in flight now.
    func inFlight(_ n: Int) { inFlightGauge.set(Int64(n)) }

    /// A rulebook reload and its result.
    func reloaded(ok: Bool) { counter("bedside_reloads_total", [("result", ok ? "ok" : "failed")]).increment() }

    /// The rulebook in use: `bedside_rulebook_info{version="…"} 1`, and 0 for the one it replaced,
    /// so a rollout across instances can be watched until every one reports the new version.
    func rulebook(_ version: String, replacing old: String? = nil) {
        let descriptor = MetricNameDescriptor(
            metricName: "bedside_rulebook", unitName: "info", helpText: "The rulebook in use (1) and the one it replaced (0), by version.")
        if let old, old != version { registry.makeGauge(descriptor: descriptor, labels: [("version", old)]).set(Int64(0)) }
        registry.makeGauge(descriptor: descriptor, labels: [("version", version)]).set(Int64(1))
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
