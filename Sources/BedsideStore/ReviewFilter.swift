import Foundation

/// Which review items to list. Every field narrows the list; the default lists everything.
public struct ReviewFilter: Sendable, Hashable {
    /// Only items in one of these states (`nil`: any).
    public var statuses: Set<ReviewItem.Status>?
    /// Only items whose category starts with this (`risk` finds `risk.self-harm`).
    public var categoryPrefix: String?
    /// Only items queued at least this many seconds before `now`.
    public var olderThan: TimeInterval?
    /// Only urgent items.
    public var urgentOnly: Bool
    /// At most this many items.
    public var limit: Int?
    /// The time `olderThan` counts back from.
    public var now: Date

    /// Creates a filter.
    public init(
        statuses: Set<ReviewItem.Status>? = nil, categoryPrefix: String? = nil, olderThan: TimeInterval? = nil,
        urgentOnly: Bool = false, limit: Int? = nil, now: Date = Date()
    ) {
        self.statuses = statuses
        self.categoryPrefix = categoryPrefix
        self.olderThan = olderThan
        self.urgentOnly = urgentOnly
        self.limit = limit
        self.now = now
    }

    /// Pending items only.
    public static var pending: ReviewFilter { ReviewFilter(statuses: [.pending]) }

    /// Whether an item passes the filter (the in-memory store's test; SQLite says the same in SQL).
    public func admits(_ item: ReviewItem) -> Bool {
        if let statuses, !statuses.contains(item.status) { return false }
        if let categoryPrefix, !(item.category ?? "").hasPrefix(categoryPrefix) { return false }
        if let olderThan, item.createdAt > now.addingTimeInterval(-olderThan) { return false }
        if urgentOnly, !item.urgent { return false }
        return true
    }

    /// The queue's order: pending before the rest, urgent first, then oldest, then by id.
    public static func queueOrder(_ a: ReviewItem, _ b: ReviewItem) -> Bool {
        let aOpen = a.status == .pending, bOpen = b.status == .pending
        if aOpen != bOpen { return aOpen }
        if a.urgent != b.urgent { return a.urgent }
        if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
        return a.id < b.id
    }
}
