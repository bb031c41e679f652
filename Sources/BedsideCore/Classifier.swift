import Foundation

/// Decides what to do with each message, in the order README.md gives ("What it does with a message"). Not thread-safe: one per task or
/// thread (it holds PCRE2 match data, Vectorscan scratch space and the window of recent ids).
public final class Classifier {
    /// The rulebook it decides by.
    public let rulebook: Rulebook
    let matcher: Matcher
    let scratch: Prefilter.Scratch?
    private var recent: RecentIDs
    /// Rendered replies by template and author, with their content-check result and word-run hashes.
    private var rendered: [String: RenderedReply] = [:]

    struct RenderedReply {
        let text: String
        let passesContentChecks: Bool
        let grams: Set<UInt64>
    }
    private let ownAccounts: Set<String>

    /// Creates a classifier over a loaded rulebook.
    public init(rulebook: Rulebook) {
        self.rulebook = rulebook
        matcher = Matcher(limits: rulebook.policy.limits)
        scratch = rulebook.prefilter.map(Prefilter.Scratch.init)
        recent = RecentIDs(capacity: rulebook.policy.duplicateWindow)
        ownAccounts = Set(rulebook.practice.ownAccounts.map(Self.handleKey))
    }

    /// The decision for one message. Remembers its id, so the same id later is a `duplicate`.
    public func decide(_ message: Message) -> Decision {
        if isOwnAccount(message.author) {
            return Decision(id: message.id, action: .ignore, reason: "own-account")
        }
        guard recent.insert(message.id) else {
            return Decision(id: message.id, action: .ignore, reason: "duplicate")
        }
        return decision(for: message, outcomes: evaluate(message.text))
    }

    /// The decision for one message from rule outcomes already computed (no duplicate check).
    public func decide(_ message: Message, outcomes: [RuleOutcome]) -> Decision {
        let rules = rulebook.rules
        var matched: [String] = []
        var engineFailure = false
        var urgentRule: Rule?
        var escalation: Rule?
        var winner: Rule?
        for (rule, outcome) in zip(rules, outcomes) {
            switch outcome {
            case .matched:
                matched.append(rule.id)
                switch rule.escalate {
                case .urgent: if urgentRule == nil { urgentRule = rule }
                case .review: if escalation == nil { escalation = rule }
                case nil: if winner == nil || rule.priority > winner!.priority { winner = rule }
                }
            case .failed: engineFailure = true
            case .notMatched: break
            }
        }
        var decision = Decision(id: message.id, action: .review, matched: matched)
        if let rule = urgentRule ?? escalation {
            decision.category = rule.category
            // A risk signal in a message the rules can mostly not read may be the part they could
            // read of a crisis: as urgent as an unreadable message with no signal at all.
            decision.urgent = urgentRule != nil || isMostlyNotEnglish(message.text)
            decision.reason = rule.category
            // An escalating rule without a draft of its own is a risk signal: the reply a template
            // rule would have sent waits for a person instead.
            decision.draft = (rule.reply ?? (winner?.isNoise == false ? winner?.reply : nil)).flatMap { safeText($0, for: message) }
            decision.reply = rule.holdingReply.flatMap { safeText($0, for: message) }
            return decision
        }
        decision.category = winner?.category
        if engineFailure {
            decision.reason = "engine-limit"
            decision.draft = winner?.reply.flatMap { safeText($0, for: message) }
            return decision
        }
        let foreign = isMostlyNotEnglish(message.text)
        // A message the rules cannot read might be a crisis in another language: a person reads it
        // first (urgent, without a holding reply, since no rule knows what it says).
        decision.urgent = foreign
        guard let winner else {
            decision.action = foreign ? .review : rulebook.policy.unmatchedAction(for: message)
            decision.reason = foreign ? "not-english" : "unmatched"
            return decision
        }
        if winner.isNoise {
            // Silence is earned, but only in a language the rules can read.
            decision.action = foreign ? .review : .ignore
            decision.reason = foreign ? "not-english" : winner.category
            return decision
        }
        guard let templateID = winner.reply, let template = rulebook.templates[templateID] else {
            decision.reason = "no-template"
            return decision
        }
        guard let text = safeText(templateID, for: message) else {
            decision.reason = "reply-guard"
            return decision
        }
        if foreign {
            decision.reason = "not-english"
            decision.draft = text
        } else if template.auto {
            decision.action = .reply
            decision.reply = text
        } else {
            decision.reason = "needs-approval"
            decision.draft = text
        }
        return decision
    }

    /// A template rendered for a message, or `nil` when the result fails the reply guard
    /// against that message (then a person writes the answer).
    ///
    /// The author is greeted only as ``AuthorName/greeting(_:)`` allows, and when the greeting
    /// still makes the text fail the guard, the text is rendered again greeting nobody: an author
    /// can cost a reply its greeting, never the reply.
    public func safeText(_ templateID: String, for message: Message) -> String? {
        let name = AuthorName.greeting(message.author)
        if let text = safeText(templateID, greeting: name, answering: message.text) { return text }
        guard name != nil else { return nil }
        return safeText(templateID, greeting: nil, answering: message.text)
    }

    private func safeText(_ templateID: String, greeting name: String?, answering incoming: String) -> String? {
        guard let reply = render(templateID, author: name), reply.passesContentChecks else { return nil }
        let guardian = rulebook.replyGuard
        if guardian.mayCopy(incoming, grams: reply.grams),
            ReplyGuard.copiedRun(from: incoming, in: reply.text, minimum: guardian.copyWords, ignoring: name) != nil
        {
            return nil
        }
        return reply.text
    }

    /// A template rendered for an author, checked once and remembered (the cache is bounded).
    private func render(_ templateID: String, author: String?) -> RenderedReply? {
        let key = templateID + "\u{0}" + (author ?? "")
        if let cached = rendered[key] { return cached }
        guard let template = rulebook.templates[templateID] else { return nil }
        let text = template.render(rulebook.templateValues(author: author))
        let guardian = rulebook.replyGuard
        let reply = RenderedReply(
            text: text, passesContentChecks: guardian.contentViolations(in: text, author: author, using: matcher).isEmpty,
            grams: guardian.gramHashes(of: text, author: author))
        if rendered.count >= 8_192 { rendered.removeAll(keepingCapacity: true) }
        rendered[key] = reply
        return reply
    }

    /// Checks outgoing text (a staff edit, say) against the reply guard.
    public func guardViolations(_ text: String, answering message: Message?) -> [ReplyGuard.Violation] {
        rulebook.replyGuard.violations(in: text, answering: message?.text, author: message?.author, using: matcher)
    }

    /// Every rule's outcome on `text`, in rulebook order. Risk rules that do not match the text as
    /// written are tried again on its de-obfuscated form.
    public func evaluate(_ text: String) -> [RuleOutcome] {
        var outcomes = run(text, rules: rulebook.rules.indices, deobfuscated: false)
        if rulebook.rules.contains(where: \.seesDeobfuscatedText), let plain = Deobfuscator.deobfuscate(text, spellings: rulebook.spellings)
        {
            let retry = rulebook.rules.indices.filter { rulebook.rules[$0].seesDeobfuscatedText && outcomes[$0] == .notMatched }
            let second = run(plain, rules: retry, deobfuscated: true)
            for i in retry { outcomes[i] = second[i] }
        }
        return outcomes
    }

    private func run<S: Sequence<Int>>(_ text: String, rules indices: S, deobfuscated: Bool) -> [RuleOutcome] {
        var outcomes = [RuleOutcome](repeating: .notMatched, count: rulebook.rules.count)
        var text = text
        text.withUTF8 { buffer in
            let prefilter = rulebook.prefilter
            if let prefilter, let scratch { prefilter.scan(buffer, into: scratch) }
            for i in indices {
                let rule = rulebook.rules[i]
                var outcome: RuleOutcome
                if let prefilter, let scratch {
                    let clauses = prefilter.ruleClauses[i]
                    guard clauses.match.contains(where: { prefilter.mayMatch($0, scratch: scratch) }) else { continue }
                    outcome = rule.evaluate { index, kind in
                        let global = kind == .match ? clauses.match[index] : kind == .all ? clauses.all[index] : clauses.unless[index]
                        return prefilter.match(global, in: buffer, scratch: scratch, matcher: matcher)
                    }
                } else {
                    outcome = rule.evaluate { index, kind in matcher.match(rule.clause(index, kind).pattern, in: buffer) }
                }
                if deobfuscated, case .matched = outcome { outcome = .matched(deobfuscated: true) }
                outcomes[i] = outcome
            }
        }
        return outcomes
    }

    /// Whether `author` is one of the practice's own accounts.
    func isOwnAccount(_ author: String?) -> Bool {
        guard let author else { return false }
        return ownAccounts.contains(Self.handleKey(author))
    }

    /// How a handle is compared with the practice's own accounts: case, `@` and spaces ignored.
    static func handleKey(_ handle: String) -> String {
        String(handle.lowercased().filter { !$0.isWhitespace && $0 != "@" })
    }
}
