import BedsideCore
import BedsideStore
import Foundation
import Testing

/// The one place that decides who may do what to a review item, whatever the channel; over a real
/// SQLite file.
struct ReviewDeskTests {
    static let sam = Reviewer(name: "sam", role: .reviewer)
    static let lee = Reviewer(name: "dr_lee", role: .admin)

    let folder = TemporaryFolder()
    let store: SQLiteReviewStore
    /// A desk whose guard refuses any text naming "amoxicillin".
    let desk: ReviewDesk

    init() throws {
        store = try SQLiteReviewStore(path: folder.path("bedside.sqlite"))
        desk = ReviewDesk(store: store) { text, _ in
            text.contains("amoxicillin")
                ? [ReplyGuard.Violation(check: "medicine", reason: "names a medicine", excerpt: "amoxicillin")] : []
        }
    }

    /// Queues one review item with a draft (or none) and returns its id.
    func queue(_ id: String, draft: String? = "Thank you for telling us. Please call us on 020 7946 0321.") async throws -> String {
        let decision = Decision(
            id: id, action: .review, category: "risk.adverse-reaction", matched: ["adverse-reaction"], reason: "risk.adverse-reaction",
            draft: draft)
        return try #require(try await store.record(decision, for: Message(id: id, text: "a rash after the new tablets")).decision.queueID)
    }

    @Test func onlyAnAdminOverridesTheGuardAndTheAuditSaysCheckAndReason() async throws {
        let id = try await queue("fb_1")
        let text = "Please stop the amoxicillin and call us on 020 7946 0321."
        let violation = ReplyGuard.Violation(check: "medicine", reason: "names a medicine", excerpt: "amoxicillin")
        await #expect(throws: ReviewRefusal.guardRefused(id: id, findings: ["medicine: names a medicine"], violations: [violation])) {
            try await desk.approve(id, reply: text, override: nil, by: Self.lee)
        }
        await #expect(throws: ReviewRefusal.overrideNotAllowed(id: id, findings: ["medicine: names a medicine"])) {
            try await desk.approve(id, reply: text, override: "I say so", by: Self.sam)
        }
        #expect(try await store.item(id)?.status == .pending)
        let approval = try await desk.approve(id, reply: text, override: "clinician advice", by: Self.lee)
        #expect(approval.item.status == .edited)
        #expect(approval.override == "clinician advice")
        let entry = try #require(try await store.history(id).last)
        #expect(entry.actor == "dr_lee")
        #expect(entry.note == "reply guard: medicine: names a medicine")
        #expect(entry.override == "clinician advice")
    }

    @Test func aRejectionNeedsAReasonAndAnAssignmentDefaultsToTheReviewer() async throws {
        let id = try await queue("fb_2")
        for reason in [nil, "", "  "] {
            await #expect(throws: ReviewRefusal.reasonRequired(id: id)) { try await desk.reject(id, reason: reason, by: Self.sam) }
        }
        #expect(try await desk.assign(id, to: nil, by: Self.sam).assignee == "sam")
        #expect(try await desk.assign(id, to: "dr_lee", by: Self.sam).assignee == "dr_lee")
        #expect(try await desk.reject(id, reason: "answered by phone", by: Self.sam).status == .rejected)
        await #expect(throws: ReviewStoreError.self) { try await desk.approve(id, reply: nil, override: nil, by: Self.lee) }
    }

    @Test func anItemWithoutADraftNeedsAText() async throws {
        let id = try await queue("fb_3", draft: nil)
        await #expect(throws: ReviewRefusal.noReplyText(id: id)) { try await desk.approve(id, reply: "  ", override: nil, by: Self.sam) }
    }

    @Test func statsCountWhatPeopleDecidedEvenAfterDeliverySentIt() async throws {
        let approved = try await queue("fb_4")
        let edited = try await queue("fb_5")
        let rejected = try await queue("fb_6")
        _ = try await desk.approve(approved, reply: nil, override: nil, by: Self.sam)
        _ = try await desk.approve(edited, reply: "Please call us on 020 7946 0321 today.", override: nil, by: Self.sam)
        _ = try await desk.reject(rejected, reason: "spam", by: Self.sam)
        let keys = try await store.outbox(status: .pending).filter { $0.kind == "approved" }.map(\.idempotencyKey)
        #expect(keys.count == 2)
        try await store.markDelivered(keys, at: Date(), response: nil)
        let stats = try await store.stats(now: Date())
        #expect(stats.byStatus["sent"] == 2)
        #expect(stats.byStatus["approved"] == nil && stats.byStatus["edited"] == nil)
        #expect(stats.decided == ["approved": 1, "edited": 1, "rejected": 1])
    }
}
