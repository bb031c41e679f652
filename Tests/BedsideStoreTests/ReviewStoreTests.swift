import BedsideCore
import BedsideStore
import Foundation
import Testing

/// The store's behaviour, the same for SQLite (a real file) and memory.
struct ReviewStoreTests {
    @Test(arguments: StoreKind.allCases)
    func recordsADecisionOnceAndAnswersARepeatWithTheFirst(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let reply = Decision(id: "fb_1", action: .reply, category: "question.hours", matched: ["hours"], reply: "We open at 9.")
        let first = try await f.store.record(reply, for: Message(id: "fb_1", text: "When do you open?", platform: "facebook", thread: "p1"))
        #expect(first.isNew)
        #expect(first.decision == reply)
        let again = Decision(id: "fb_1", action: .ignore, reason: "unmatched")
        let second = try await f.store.record(again, for: Message(id: "fb_1", text: "something else"))
        #expect(!second.isNew)
        #expect(second.decision == reply)
        #expect(second.printable == Decision(id: "fb_1", action: .ignore, reason: "duplicate"))
        #expect(try await f.store.decision(for: "fb_1") == reply)
        let outbox = try await f.store.outbox(status: nil)
        #expect(outbox.count == 1)
        #expect(outbox.first?.kind == "reply")
        #expect(outbox.first?.text == "We open at 9.")
        #expect(outbox.first?.platform == "facebook")
        #expect(outbox.first?.thread == "p1")
    }

    @Test(arguments: StoreKind.allCases)
    func runLocalIdsAndErrorsAreNeverDuplicates(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let plain = Decision(id: "line-1", action: .ignore, reason: "unmatched")
        #expect(try await f.store.record(plain, for: Message(id: "line-1", text: "hello")).isNew)
        #expect(try await f.store.record(plain, for: Message(id: "line-1", text: "hello")).isNew)
        let error = Decision.failure(id: "fb_2", reason: "missing-text", explanation: "line 1: the message has no \"text\" field")
        #expect(try await f.store.record(error, for: Message(id: "fb_2", text: "")).isNew)
        let fixed = Decision(id: "fb_2", action: .ignore, reason: "unmatched")
        #expect(try await f.store.record(fixed, for: Message(id: "fb_2", text: "ok")).isNew)
        #expect(try await f.store.record(fixed, for: Message(id: "fb_2", text: "ok")).isNew == false)
    }

    @Test(arguments: StoreKind.allCases)
    func aReviewBecomesAPendingItemWithItsMessage(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let id = try await f.queue("fb_3")
        #expect(id.hasPrefix("q_") && id.count == 10)
        let item = try #require(try await f.store.item(id))
        #expect(item.status == .pending)
        #expect(item.messageID == "fb_3")
        #expect(item.text == "I came out in a rash after the new tablets")
        #expect(item.author == "jane_d")
        #expect(item.matched == ["adverse-reaction"])
        #expect(item.reason == "risk.adverse-reaction")
        #expect(try await f.store.history(id).map(\.action) == [.queued])
        #expect(try await f.store.outbox(status: nil).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func anUrgentHoldingReplyGoesOutAtOnceAndTheItemStillWaits(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let id = try await f.queue(
            "fb_4", category: "risk.self-harm", urgent: true, draft: nil, holding: "Please call 999 or Samaritans on 116 123.")
        let entries = try await f.store.outbox(status: .pending)
        #expect(entries.count == 1)
        #expect(entries[0].kind == "holding")
        #expect(entries[0].queueID == id)
        try await f.store.markDelivered(entries[0].idempotencyKey, at: f.clock.now, response: "ok")
        #expect(try await f.store.item(id)?.status == .pending)
    }

    @Test(arguments: StoreKind.allCases)
    func approvingQueuesTheReplyAndDeliveryMarksItSent(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let id = try await f.queue("fb_5")
        f.clock.advance(600)
        let approved = try await f.store.approve(id, text: "Thank you for telling us. Please call us on 020 7946 0321.", by: "sam")
        #expect(approved.status == .approved)
        #expect(approved.decidedBy == "sam")
        let entries = try await f.store.outbox(status: .pending)
        #expect(entries.count == 1)
        #expect(entries[0].kind == "approved")
        #expect(entries[0].messageID == "fb_5")
        #expect(entries[0].idempotencyKey == StoreIDs.idempotencyKey(messageID: "fb_5", kind: "approved", text: approved.finalText!))
        try await f.store.markDelivered(entries[0].idempotencyKey, at: f.clock.now, response: "200")
        #expect(try await f.store.item(id)?.status == .sent)
        #expect(try await f.store.history(id).map(\.action) == [.queued, .approved, .sent])
        #expect(try await f.store.stats(now: f.clock.now).medianTimeToDecision?.rounded() == 600)
    }

    @Test(arguments: StoreKind.allCases)
    func anEditedReplyIsMarkedEditedWithTheTextBeforeAndAfter(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let id = try await f.queue("fb_6")
        let item = try await f.store.approve(id, text: "Sorry to hear that. Please ring us on 020 7946 0321.", by: "sam")
        #expect(item.status == .edited)
        let last = try #require(try await f.store.history(id).last)
        #expect(last.action == .edited)
        #expect(last.actor == "sam")
        #expect(last.textBefore == "Thank you for telling us. Please call us on 020 7946 0321.")
        #expect(last.textAfter == "Sorry to hear that. Please ring us on 020 7946 0321.")
    }

    @Test(arguments: StoreKind.allCases)
    func twoConcurrentApprovalsOneWinsOneReplyIsQueued(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let id = try await f.queue("fb_7")
        let store = f.store
        async let a: Result<ReviewItem, any Error> = {
            do { return .success(try await store.approve(id, text: "Reply from Sam, call 020 7946 0321.", by: "sam")) } catch {
                return .failure(error)
            }
        }()
        async let b: Result<ReviewItem, any Error> = {
            do { return .success(try await store.approve(id, text: "Reply from Ana, call 020 7946 0321.", by: "ana")) } catch {
                return .failure(error)
            }
        }()
        let results = await [a, b]
        let wins = results.compactMap { try? $0.get() }
        #expect(wins.count == 1)
        let failure = try #require(results.compactMap { if case .failure(let e) = $0 { return e } else { return nil } }.first)
        let conflict = try #require(failure as? ReviewStoreError)
        guard case .conflict(let conflictID, let status, let by, _, _) = conflict else {
            Issue.record("expected a conflict, got \(conflict)")
            return
        }
        #expect(conflictID == id)
        #expect(status == .edited)
        #expect(by == wins[0].decidedBy)
        #expect(conflict.localizedDescription.contains("item \(id) is already edited by \(wins[0].decidedBy!) at "))
        #expect(conflict.localizedDescription.hasSuffix("nothing was sent again"))
        #expect(try await store.outbox(status: nil).count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func anOverrideIsRecordedInTheAuditTrail(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let id = try await f.queue("fb_8")
        _ = try await f.store.approve(
            id, text: "Your appointment is fine, call 020 7946 0321.", by: "dr_lee",
            override: "patient asked us publicly to confirm", guardFindings: ["confirms a patient relationship (\"Your appointment\")"])
        let last = try #require(try await f.store.history(id).last)
        #expect(last.override == "patient asked us publicly to confirm")
        #expect(last.note == "reply guard: confirms a patient relationship (\"Your appointment\")")
        #expect(last.actor == "dr_lee")
    }

    @Test(arguments: StoreKind.allCases)
    func rejectAndAssignAreRecordedAndRejectClosesTheItem(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let id = try await f.queue("fb_9")
        let assigned = try await f.store.assign(id, to: "ana", by: "sam")
        #expect(assigned.assignee == "ana")
        let rejected = try await f.store.reject(id, reason: "spam", by: "ana")
        #expect(rejected.status == .rejected)
        #expect(rejected.rejectReason == "spam")
        let history = try await f.store.history(id)
        #expect(history.map(\.action) == [.queued, .assigned, .rejected])
        #expect(history[1].note == "to ana")
        #expect(history[2].note == "spam")
        await #expect(throws: ReviewStoreError.self) { try await f.store.approve(id, text: "hello", by: "sam") }
        await #expect(throws: ReviewStoreError.notFound(id: "q_nothere")) { try await f.store.reject("q_nothere", reason: "x", by: "sam") }
        #expect(try await f.store.outbox(status: nil).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func listingPutsUrgentFirstThenOldestAndFilters(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let old = try await f.queue("m1", category: "complaint.service")
        f.clock.advance(7200)
        let urgent = try await f.store.record(
            Decision(id: "m2", action: .review, category: "risk.self-harm", urgent: true, reason: "risk.self-harm"),
            for: Message(id: "m2", text: "x")
        ).decision.queueID!
        f.clock.advance(60)
        let newer = try await f.queue("m3", category: "risk.adverse-reaction")
        f.clock.advance(60)
        let closed = try await f.queue("m4")
        _ = try await f.store.reject(closed, reason: "spam", by: "sam")
        #expect(try await f.store.items(ReviewFilter()).map(\.id) == [urgent, old, newer, closed])
        #expect(try await f.store.items(.pending).map(\.id) == [urgent, old, newer])
        #expect(try await f.store.items(ReviewFilter(categoryPrefix: "risk", now: f.clock.now)).map(\.id) == [urgent, newer, closed])
        #expect(try await f.store.items(ReviewFilter(olderThan: 3600, now: f.clock.now)).map(\.id) == [old])
        #expect(try await f.store.items(ReviewFilter(urgentOnly: true)).map(\.id) == [urgent])
        #expect(try await f.store.items(ReviewFilter(limit: 2)).map(\.id) == [urgent, old])
    }

    @Test(arguments: StoreKind.allCases)
    func purgeRemovesTextOfClosedItemsButKeepsDecisionAndAudit(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let closed = try await f.queue("fb_10")
        let open = try await f.queue("fb_11")
        _ = try await f.store.reject(closed, reason: "spam", by: "sam")
        f.clock.advance(91 * 86_400)
        let recent = try await f.queue("fb_12")
        _ = try await f.store.reject(recent, reason: "spam", by: "sam")
        let purged = try await f.store.purge(closedBefore: f.clock.now.addingTimeInterval(-90 * 86_400), by: "admin")
        #expect(purged == 1)
        let item = try #require(try await f.store.item(closed))
        #expect(item.text == nil)
        #expect(item.author == nil)
        #expect(item.purgedAt == f.clock.now)
        #expect(item.status == .rejected)
        #expect(try await f.store.item(open)?.text != nil)
        #expect(try await f.store.item(recent)?.text != nil)
        #expect(try await f.store.decision(for: "fb_10")?.queueID == closed)
        #expect(try await f.store.history(closed).map(\.action) == [.queued, .rejected, .purged])
        #expect(try await f.store.purge(closedBefore: f.clock.now.addingTimeInterval(-90 * 86_400), by: "admin") == 0)
    }

    /// Purge erases the writer from everything about the item: drafts, holding replies, approved
    /// replies, outbox entries, decisions and the text of audit entries.
    @Test(arguments: StoreKind.allCases)
    func purgeErasesTheWriterFromEveryRowAboutTheItem(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let id = try await f.queue(
            "fb_20", text: "everyone would be better off without me tonight", urgent: true,
            draft: "Hi jane_d, we are here for you.", holding: "jane_d, please call 999 if you are in danger now.")
        _ = try await f.store.approve(
            id, text: "Hi @jane_d, we read that everyone would be better off without you; please call us.", by: "sam",
            override: "agreed",
            guardFindings: ["copied-words: repeats 6 or more consecutive words of the message (\"everyone would be better off without\")"])
        f.clock.advance(10)
        #expect(try await f.store.purge(closedBefore: f.clock.now.addingTimeInterval(1), by: "admin") == 0, "approved is not closed")
        for entry in try await f.store.claimDeliveries(now: f.clock.now, limit: 10, lease: 30) {
            try await f.store.markDelivered(entry.idempotencyKey, at: f.clock.now, response: nil)
        }
        #expect(try await f.store.purge(closedBefore: f.clock.now.addingTimeInterval(1), by: "admin") == 1)
        let item = try #require(try await f.store.item(id))
        var texts = [item.draft, item.holdingReply, item.finalText].compactMap { $0 }
        texts += try await f.store.outbox(status: nil).map(\.text)
        let decision = try #require(try await f.store.decision(for: "fb_20"))
        texts += [decision.reply, decision.draft].compactMap { $0 }
        for entry in try await f.store.history(id) { texts += [entry.textBefore, entry.textAfter, entry.note].compactMap { $0 } }
        #expect(texts.count >= 8)
        for text in texts {
            #expect(!text.contains("jane_d") && !text.contains("better off without"), "\(text)")
        }
        #expect(try await f.store.history(id).map(\.action) == [.queued, .edited, .sent, .purged])
        #expect(item.finalText == "Hi [removed], we read that [removed] you; please call us.")
    }

    @Test(arguments: StoreKind.allCases)
    func statsCountPendingByCategoryAndAge(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        _ = try await f.queue("s1", category: "complaint.service")
        f.clock.advance(2 * 86_400)
        _ = try await f.queue("s2", category: "risk.self-harm", urgent: true)
        _ = try await f.queue("s3", category: "complaint.service")
        let done = try await f.queue("s4", category: "question.other")
        f.clock.advance(1800)
        _ = try await f.store.reject(done, reason: "answered elsewhere", by: "sam")
        _ = try await f.store.record(Decision(id: "s5", action: .ignore, reason: "unmatched"), for: Message(id: "s5", text: "x"))
        let stats = try await f.store.stats(now: f.clock.now)
        #expect(stats.pendingByCategory == ["complaint.service": 2, "risk.self-harm": 1])
        #expect(stats.pendingUrgent == 1)
        #expect(stats.pendingAge.underOneHour == 2)
        #expect(stats.pendingAge.underThreeDays == 1)
        #expect(Int((stats.oldestPendingAge ?? 0).rounded()) == 2 * 86_400 + 1800)
        #expect(Int((stats.medianTimeToDecision ?? 0).rounded()) == 1800)
        #expect(stats.byStatus == ["pending": 3, "rejected": 1])
        #expect(stats.decisions == ["review": 4, "ignore": 1])
    }

    @Test(arguments: StoreKind.allCases)
    func twoClaimsNeverReturnTheSameEntryUntilTheLeaseEnds(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        for i in 0..<10 {
            _ = try await f.store.record(
                Decision(id: "r\(i)", action: .reply, category: "question.hours", reply: "We open at 9, reply \(i)."),
                for: Message(id: "r\(i)", text: "when?"))
        }
        let store = f.store
        let now = f.clock.now
        async let a = store.claimDeliveries(now: now, limit: 6, lease: 60)
        async let b = store.claimDeliveries(now: now, limit: 6, lease: 60)
        let (first, second) = try await (a, b)
        #expect(first.count + second.count == 10)
        #expect(Set(first.map(\.idempotencyKey)).isDisjoint(with: second.map(\.idempotencyKey)))
        #expect(try await store.claimDeliveries(now: now.addingTimeInterval(30), limit: 10, lease: 60).isEmpty)
        try await store.markDelivered(first[0].idempotencyKey, at: now, response: nil)
        try await store.markAttemptFailed(first[1].idempotencyKey, error: "HTTP 500", retryAt: now.addingTimeInterval(10))
        try await store.markAttemptFailed(first[2].idempotencyKey, error: "HTTP 400", retryAt: nil)
        let retried = try await store.claimDeliveries(now: now.addingTimeInterval(11), limit: 10, lease: 60)
        #expect(retried.map(\.idempotencyKey) == [first[1].idempotencyKey])
        #expect(retried[0].attempts == 1)
        #expect(retried[0].lastError == "HTTP 500")
        let afterLease = try await store.claimDeliveries(now: now.addingTimeInterval(61), limit: 10, lease: 60)
        #expect(afterLease.count == 7)
        #expect(try await store.outbox(status: .failed).map(\.idempotencyKey) == [first[2].idempotencyKey])
        #expect(try await store.outbox(status: .sent).count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func aDeadLetteredApprovalMarksTheItemFailed(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let id = try await f.queue("fb_13")
        _ = try await f.store.approve(id, text: "Thank you for telling us. Please call us on 020 7946 0321.", by: "sam")
        let key = try #require(try await f.store.outbox(status: .pending).first?.idempotencyKey)
        try await f.store.markAttemptFailed(key, error: "HTTP 403 from the platform", retryAt: nil)
        #expect(try await f.store.item(id)?.status == .failed)
        #expect(try await f.store.history(id).last?.note == "HTTP 403 from the platform")
        await #expect(throws: ReviewStoreError.unknownDelivery(key: "nope")) {
            try await f.store.markDelivered("nope", at: Date(), response: nil)
        }
    }
}

/// Marking many outbox entries delivered at once, as the outbox file's batches do.
struct BatchDeliveryMarkTests {
    @Test(arguments: StoreKind.allCases)
    func markingABatchSendsEveryEntryAndItsApprovedItem(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        for i in 0..<5 {
            _ = try await f.store.record(
                Decision(id: "r\(i)", action: .reply, category: "question.hours", reply: "We open at 9, reply \(i)."),
                for: Message(id: "r\(i)", text: "when?"))
        }
        let id = try await f.queue("fb_20")
        _ = try await f.store.approve(id, text: "Thank you for telling us. Please call us on 020 7946 0321.", by: "sam")
        let claimed = try await f.store.claimDeliveries(now: f.clock.now, limit: 100, lease: 30)
        #expect(claimed.count == 6)

        try await f.store.markDelivered(claimed.map(\.idempotencyKey), at: f.clock.now, response: "appended to outbox.jsonl")

        #expect(try await f.store.outbox(status: .pending).isEmpty)
        #expect(try await f.store.outbox(status: .sent).count == 6)
        #expect(try await f.store.item(id)?.status == .sent)
        #expect(try await f.store.history(id).map(\.action) == [.queued, .approved, .sent])
        #expect(try await f.store.claimDeliveries(now: f.clock.now.addingTimeInterval(60), limit: 100, lease: 30).isEmpty)
        // Marking again (a resumed batch) changes nothing and adds no audit entry.
        try await f.store.markDelivered(claimed.map(\.idempotencyKey), at: f.clock.now, response: nil)
        #expect(try await f.store.history(id).map(\.action) == [.queued, .approved, .sent])
        #expect(try await f.store.stats(now: f.clock.now).outbox == ["sent": 6])
        try await f.store.markDelivered([], at: f.clock.now, response: nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aBatchWithAnUnknownKeyMarksNothing(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        for i in 0..<3 {
            _ = try await f.store.record(
                Decision(id: "r\(i)", action: .reply, category: "question.hours", reply: "We open at 9, reply \(i)."),
                for: Message(id: "r\(i)", text: "when?"))
        }
        let keys = try await f.store.outbox(status: .pending).map(\.idempotencyKey)
        await #expect(throws: ReviewStoreError.unknownDelivery(key: "nope")) {
            try await f.store.markDelivered(keys + ["nope"], at: f.clock.now, response: nil)
        }
        #expect(try await f.store.outbox(status: .pending).map(\.idempotencyKey) == keys)
        #expect(try await f.store.outbox(status: .sent).isEmpty)
    }

    /// Every code point of a message is kept, U+0000 (which PostgreSQL text cannot hold) and U+FFFF
    /// (the PostgreSQL store's escape) included.
    @Test(arguments: StoreKind.allCases)
    func everyCodePointIsKept(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        let text = "Thanks\u{0} I took 40 pills \u{FFFF}0 \u{FFFF}\u{FFFF} \u{202E}end"
        let id = try await f.queue("nul_1", text: text, category: "risk.self-harm")
        let item = try #require(try await f.store.item(id))
        #expect(item.text == text)
        #expect(try await f.store.items(ReviewFilter(categoryPrefix: "risk.self")).map(\.id) == [id])
    }
}
