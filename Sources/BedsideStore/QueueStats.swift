import Foundation

/// What `bedside queue stats` shows.
public struct QueueStats: Sendable, Hashable, Codable {
    /// How long pending items have waited.
    public struct AgeBuckets: Sendable, Hashable, Codable {
        /// Under an hour.
        public var underOneHour = 0
        /// One hour to a day.
        public var underOneDay = 0
        /// One to three days.
        public var underThreeDays = 0
        /// Three days or more.
        public var older = 0

        /// Creates empty buckets.
        public init() {}

        /// Counts one item of this age (seconds).
        public mutating func add(age: TimeInterval) {
            switch age {
            case ..<3600: underOneHour += 1
            case ..<86_400: underOneDay += 1
            case ..<259_200: underThreeDays += 1
            default: older += 1
            }
        }

        enum CodingKeys: String, CodingKey {
            case older
            case underOneHour = "under_1h"
            case underOneDay = "under_1d"
            case underThreeDays = "under_3d"
        }
    }

    /// Items in each state now. An approved or edited item becomes `sent` once its reply is
    /// delivered, so this says where items are, not what people decided: see ``decided``.
    public var byStatus: [String: Int]
    /// What people decided, from the audit trail: `approved`, `edited` and `rejected`, counted
    /// however delivery went afterwards.
    public var decided: [String: Int]
    /// Pending items by category (`none` for items without one).
    public var pendingByCategory: [String: Int]
    /// Pending urgent items.
    public var pendingUrgent: Int
    /// Pending items by how long they have waited.
    public var pendingAge: AgeBuckets
    /// How long the oldest pending item has waited, in seconds.
    public var oldestPendingAge: TimeInterval?
    /// Median seconds from queueing to a person's approve or reject.
    public var medianTimeToDecision: TimeInterval?
    /// Outbox entries by delivery state.
    public var outbox: [String: Int]
    /// Decisions recorded, by action.
    public var decisions: [String: Int]

    /// Creates figures.
    public init(
        byStatus: [String: Int] = [:], decided: [String: Int] = [:], pendingByCategory: [String: Int] = [:], pendingUrgent: Int = 0,
        pendingAge: AgeBuckets = AgeBuckets(), oldestPendingAge: TimeInterval? = nil,
        medianTimeToDecision: TimeInterval? = nil, outbox: [String: Int] = [:], decisions: [String: Int] = [:]
    ) {
        self.byStatus = byStatus
        self.decided = decided
        self.pendingByCategory = pendingByCategory
        self.pendingUrgent = pendingUrgent
        self.pendingAge = pendingAge
        self.oldestPendingAge = oldestPendingAge
        self.medianTimeToDecision = medianTimeToDecision
        self.outbox = outbox
        self.decisions = decisions
    }

    /// The audit actions that are a person's decision on an item.
    public static let decisionActions: [AuditEntry.Action] = [.approved, .edited, .rejected]

    /// The median of some durations, or `nil` for none.
    public static func median(_ values: [TimeInterval]) -> TimeInterval? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    enum CodingKeys: String, CodingKey {
        case outbox, decisions, decided
        case byStatus = "by_status"
        case pendingByCategory = "pending_by_category"
        case pendingUrgent = "pending_urgent"
        case pendingAge = "pending_age"
        case oldestPendingAge = "oldest_pending_age_seconds"
        case medianTimeToDecision = "median_time_to_decision_seconds"
    }
}
