import BedsideCore
import Foundation
import PostgresNIO

/// Recording decisions: a whole batch in one transaction, with one multi-row statement per table.
///
/// Two receivers may be given the same message at the same moment (a platform retrying on
/// another instance). The unique `dedup_key` decides: the decision inserted first wins, the other
/// insert does nothing (`ON CONFLICT DO NOTHING`), and its batch answers with the winner's
/// decision as a duplicate and writes no item, audit row or reply for it.
extension PostgresReviewStore {
    /// A decision new to this batch, with the rows it adds.
    private struct Planned {
        var plan: RecordPlan
        var seq: Int64 = 0
        var key: String?
    }

    /// How each input is answered: by a decision recorded before, or by one planned in this batch.
    private enum Answer {
        case recorded(Decision)
        case planned(Int, first: Bool)
    }

    /// Records decisions in one transaction (see ``ReviewStore/recordBatch(_:)``).
    public func recordBatch(_ items: [(decision: Decision, message: Message)]) async throws -> [Recorded] {
        guard !items.isEmpty else { return [] }
        let now = clock()
        let batch = items.map { (decision: $0.decision, message: $0.message) }
        return try await transaction { connection in try await Self.record(batch, now: now, connection) }
    }

    static func record(_ items: [(decision: Decision, message: Message)], now: Date, _ connection: PostgresConnection) async throws
        -> [Recorded]
    {
        var byDelivery = try await decisionsByDelivery(Set(items.compactMap(\.message.deliveryID)), connection)
        var byKey = try await decisionsByKey(Set(items.compactMap { StoreIDs.dedupKey($0.decision) }), connection)
        var planned: [Planned] = []
        var answers: [Answer] = []
        var plannedByKey: [String: Int] = [:]
        var plannedByDelivery: [String: Int] = [:]
        /// Webhook deliveries to remember: the decision (planned in this batch, or recorded before) that answered each.
        var deliveries: [(id: String, planned: Int?, seq: Int64?)] = []
        for (decision, message) in items {
            let delivery = message.deliveryID
            if let delivery, let old = byDelivery[delivery] {
                answers.append(.recorded(old.decision))
                continue
            }
            if let delivery, let index = plannedByDelivery[delivery] {
                answers.append(.planned(index, first: false))
                continue
            }
            let key = StoreIDs.dedupKey(decision)
            if let key, let old = byKey[key] {
                if let delivery {
                    deliveries.append((delivery, nil, old.seq))
                    byDelivery[delivery] = old
                }
                answers.append(.recorded(old.decision))
                continue
            }
            if let key, let index = plannedByKey[key] {
                if let delivery {
                    deliveries.append((delivery, index, nil))
                    plannedByDelivery[delivery] = index
                }
                answers.append(.planned(index, first: false))
                continue
            }
            let index = planned.count
            let queueID = decision.action == .review ? StoreIDs.newQueueID() : ""
            planned.append(Planned(plan: RecordPlan(decision, for: message, now: now, queueID: queueID), key: key))
            if let key { plannedByKey[key] = index }
            if let delivery {
                deliveries.append((delivery, index, nil))
                plannedByDelivery[delivery] = index
            }
            answers.append(.planned(index, first: true))
        }
        try await avoidTakenQueueIDs(&planned, items: items, now: now, connection)
        let seqs = try await run(
            "SELECT nextval(pg_get_serial_sequence('decision', 'seq')) FROM generate_series(1, \(planned.count))", connection)
        for (i, row) in seqs.enumerated() { planned[i].seq = try row.decode(Int64.self) }

        // Decisions in key order, so two batches inserting the same keys wait for each other in one order (no deadlock).
        let order = planned.indices.sorted { (planned[$0].key ?? "") < (planned[$1].key ?? "") }
        var won: Set<Int64> = []
        for s in PostgresStatement.insert(
            "decision", decisionColumns, order.map { values(planned[$0].plan.decision, seq: planned[$0].seq, at: now) },
            suffix: " ON CONFLICT (dedup_key) DO NOTHING RETURNING seq")
        {
            for row in try await run(s.query, connection) { won.insert(try row.decode(Int64.self)) }
        }
        // Keys another instance recorded first, while this batch was being planned.
        let lost = Set(planned.filter { !won.contains($0.seq) }.compactMap(\.key))
        if !lost.isEmpty { byKey.merge(try await decisionsByKey(lost, connection)) { $1 } }
        let winners = planned.filter { won.contains($0.seq) }

        for s in PostgresStatement.insert("review_item", itemColumns, winners.compactMap(\.plan.item).map(values)) {
            _ = try await run(s.query, connection)
        }
        try await append(winners.compactMap(\.plan.audit), connection)
        try await insert(winners.flatMap(\.plan.outbox), connection)
        let remembered: [[PostgresValue]] = deliveries.sorted { $0.id < $1.id }.compactMap { delivery in
            let seq: Int64? =
                if let index = delivery.planned {
                    won.contains(planned[index].seq) ? planned[index].seq : planned[index].key.flatMap { byKey[$0]?.seq }
                } else { delivery.seq }
            return seq.map { [.text(delivery.id), .int($0)] }
        }
        for s in PostgresStatement.insert(
            "webhook_delivery", ["delivery_id", "decision_seq"], remembered, suffix: " ON CONFLICT (delivery_id) DO NOTHING")
        {
            _ = try await run(s.query, connection)
        }

        return try answers.map { answer in
            switch answer {
            case .recorded(let decision): return Recorded(decision: decision, isNew: false)
            case .planned(let index, let first):
                let entry = planned[index]
                if won.contains(entry.seq) { return Recorded(decision: entry.plan.decision, isNew: first) }
                guard let key = entry.key, let old = byKey[key] else {
                    throw ReviewStoreError.unavailable("a decision for \(entry.plan.decision.id) was neither recorded nor found")
                }
                return Recorded(decision: old.decision, isNew: false)
            }
        }
    }

    /// Draws new queue ids for the (rare) planned items whose random id is already taken.
    private static func avoidTakenQueueIDs(
        _ planned: inout [Planned], items: [(decision: Decision, message: Message)], now: Date, _ connection: PostgresConnection
    ) async throws {
        while true {
            let ids = planned.compactMap { $0.plan.item?.id }
            guard !ids.isEmpty else { return }
            var s = PostgresStatement("SELECT id FROM review_item WHERE id = ANY(")
            s.bind(.texts(ids))
            s.add(")")
            let taken = Set(try await run(s.query, connection).map { try $0.decode(String.self) })
            guard !taken.isEmpty else { return }
            for i in planned.indices where planned[i].plan.item.map({ taken.contains($0.id) }) == true {
                let original = items.first { $0.decision.id == planned[i].plan.decision.id }!
                planned[i].plan = RecordPlan(original.decision, for: original.message, now: now, queueID: StoreIDs.newQueueID())
            }
        }
    }

    /// Decisions recorded before, by the webhook deliveries that were answered with them.
    private static func decisionsByDelivery(_ ids: Set<String>, _ connection: PostgresConnection) async throws
        -> [String: (seq: Int64, decision: Decision)]
    {
        try await decisions(
            "SELECT w.delivery_id AS found_by, d.* FROM webhook_delivery w JOIN decision d ON d.seq = w.decision_seq WHERE w.delivery_id = ANY(",
            ids, connection)
    }

    /// Decisions recorded before, by message id (their dedup key).
    private static func decisionsByKey(_ keys: Set<String>, _ connection: PostgresConnection) async throws
        -> [String: (seq: Int64, decision: Decision)]
    {
        try await decisions("SELECT dedup_key AS found_by, * FROM decision WHERE dedup_key = ANY(", keys, connection)
    }

    /// Runs `select` (ending in `= ANY(`) for `values` and returns the decisions by their `found_by` column.
    private static func decisions(_ select: String, _ values: Set<String>, _ connection: PostgresConnection) async throws
        -> [String: (seq: Int64, decision: Decision)]
    {
        guard !values.isEmpty else { return [:] }
        var s = PostgresStatement(select)
        s.bind(.texts(values.sorted()))
        s.add(")")
        var found: [String: (seq: Int64, decision: Decision)] = [:]
        for row in try await run(s.query, connection) {
            let c = PostgresColumns(row)
            found[try c.string("found_by")] = (try c.int("seq"), try decision(row))
        }
        return found
    }

    /// The first decision recorded for a message id.
    public func decision(for messageID: String) async throws -> Decision? {
        var s = PostgresStatement("SELECT * FROM decision WHERE message_id = ")
        s.bind(.text(messageID))
        s.add(" ORDER BY seq LIMIT 1")
        let query = s.query
        return try await read { connection in try await Self.run(query, connection).first.map(Self.decision) }
    }
}
