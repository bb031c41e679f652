/// The last N message ids seen, in a fixed-size ring: memory stays flat on an endless stream.
struct RecentIDs {
    private var ring: [String?]
    private var members: Set<String> = []
    private var next = 0

    init(capacity: Int) {
        ring = Array(repeating: nil, count: max(1, capacity))
        members.reserveCapacity(min(capacity, 1 << 16))
    }

    /// Records `id`; returns false when it was already among the last N.
    mutating func insert(_ id: String) -> Bool {
        guard !members.contains(id) else { return false }
        if let evicted = ring[next] { members.remove(evicted) }
        ring[next] = id
        members.insert(id)
        next = (next + 1) % ring.count
        return true
    }
}
