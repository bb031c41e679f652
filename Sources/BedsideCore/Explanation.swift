/// Why a message got its decision: every rule tried, what matched where, and why the winner won.
public struct Explanation: Sendable {
    /// One pattern's result.
    public struct ClauseResult: Sendable {
        /// `match`, `all` or `unless`.
        public let kind: String
        /// The pattern as written.
        public let pattern: String
        /// The matched words, when it matched.
        public let matchedText: String?
        /// Whether the match was found in the de-obfuscated text.
        public let inDeobfuscatedText: Bool
        /// An engine error, when PCRE2 stopped without an answer.
        public let failure: String?
        /// For a match: each fragment the pattern names and the words it found inside the match
        /// (nil where the fragment is optional in the pattern and found nothing there).
        public var fragments: [(name: String, found: String?)] = []
    }

    /// One rule's result.
    public struct RuleResult: Sendable {
        /// The rule.
        public let rule: Rule
        /// Whether it matched.
        public let outcome: RuleOutcome
        /// Each of its patterns.
        public let clauses: [ClauseResult]
    }

    /// The message explained.
    public let message: Message
    /// The de-obfuscated text risk rules also saw, when it differs.
    public let deobfuscated: String?
    /// The decision.
    public let decision: Decision
    /// Every rule, in rulebook order.
    public let rules: [RuleResult]
    /// Why the decision is what it is, for people.
    public let reasoning: String
}

extension Classifier {
    /// Explains the decision for `message` (without remembering its id).
    public func explain(_ message: Message) -> Explanation {
        let outcomes = evaluate(message.text)
        var decision: Decision
        if isOwnAccount(message.author) {
            decision = Decision(id: message.id, action: .ignore, reason: "own-account")
        } else {
            decision = self.decision(for: message, outcomes: outcomes)
        }
        let plain = Deobfuscator.deobfuscate(message.text, spellings: rulebook.spellings)
        var results: [Explanation.RuleResult] = []
        for (rule, outcome) in zip(rulebook.rules, outcomes) {
            var clauses: [Explanation.ClauseResult] = []
            for (kind, list) in [("match", rule.match), ("all", rule.all), ("unless", rule.unless)] {
                for clause in list {
                    clauses.append(clauseResult(kind, clause.pattern, message.text, plain: rule.seesDeobfuscatedText ? plain : nil))
                }
            }
            results.append(.init(rule: rule, outcome: outcome, clauses: clauses))
        }
        return Explanation(
            message: message, deobfuscated: plain, decision: decision, rules: results,
            reasoning: reasoning(decision, results, message: message))
    }

    private func clauseResult(_ kind: String, _ pattern: Pattern, _ text: String, plain: String?) -> Explanation.ClauseResult {
        for (candidate, isPlain) in [(text, false), (plain, true)] {
            guard let candidate else { continue }
            switch matcher.match(pattern, in: candidate) {
            case .match(let range):
                let found = ReplyGuard.slice(candidate, range)
                var result = Explanation.ClauseResult(
                    kind: kind, pattern: pattern.source, matchedText: found, inDeobfuscatedText: isPlain, failure: nil)
                var seen = Set<String>()
                for name in WordLists.fragmentNames(in: pattern.source) where seen.insert(name).inserted {
                    guard let fragment = rulebook.lists.fragments[name] else { continue }
                    if case .match(let inner) = matcher.match(fragment.pattern, in: found) {
                        result.fragments.append((name, ReplyGuard.slice(found, inner)))
                    } else {
                        result.fragments.append((name, nil))
                    }
                }
                return result
            case .failed(_, let message):
                return .init(kind: kind, pattern: pattern.source, matchedText: nil, inDeobfuscatedText: isPlain, failure: message)
            case .noMatch:
                continue
            }
        }
        return .init(kind: kind, pattern: pattern.source, matchedText: nil, inDeobfuscatedText: false, failure: nil)
    }

    private func reasoning(_ decision: Decision, _ results: [Explanation.RuleResult], message: Message) -> String {
        let matched = results.filter { $0.outcome.isMatch }.map(\.rule)
        switch decision.reason {
        case "own-account": return "The author is one of the practice's own accounts, so Bedside never answers it."
        case "unmatched":
            let channel = rulebook.policy.channel(of: message)
            return
                "No rule recognised it. Its channel is '\(channel)', and the policy for unmatched messages there is \(decision.action.rawValue)"
                + (decision.action == .review ? ": when no rule understands a message addressed to the practice, a person decides." : ".")
        case "not-english":
            return
                "Most of its words are not English, which the rules are written in, so it is neither answered by a template nor ignored: a person reads it first (urgent), since it could be a crisis in another language."
        case "engine-limit":
            return
                "A pattern hit the engine's limit before it could answer. Bedside never reads that as \"no match\", so a person looks (fails closed)."
        default: break
        }
        if let urgent = matched.first(where: { $0.escalate == .urgent }) {
            var text =
                "Rule '\(urgent.id)' escalates as urgent: someone may be in danger now, so a person must see this first. Escalating rules outrank every other rule."
            if let holding = urgent.holdingReply { text += " Its holding reply '\(holding)' is sent at once." }
            return text
        }
        if let review = matched.first(where: { $0.escalate == .review }) {
            if review.reply == nil, decision.draft != nil {
                return
                    "Rule '\(review.id)' (\(review.category)) is a risk signal: the reply a template would have sent waits for a person as a draft."
            }
            return
                "Rule '\(review.id)' (\(review.category)) escalates to review, which outranks every rule that would answer automatically."
        }
        guard let winnerID = decision.category, let winner = matched.first(where: { $0.category == winnerID && $0.escalate == nil }) else {
            return "Decided: \(decision.action.rawValue)."
        }
        let others = matched.filter { $0.id != winner.id && $0.escalate == nil }
        var text = "Rule '\(winner.id)' wins"
        if others.isEmpty {
            text += " as the only matching rule."
        } else {
            text +=
                " over " + others.map { "'\($0.id)' (priority \($0.priority))" }.joined(separator: ", ")
                + " with priority \(winner.priority)"
                + (others.contains { $0.priority == winner.priority } ? ", earlier in file order." : ".")
        }
        switch decision.reason {
        case let reason? where reason.hasPrefix("noise."): text += " It is noise, so the message is ignored."
        case "needs-approval":
            text +=
                " Its template '\(winner.reply ?? "")' is not vetted for automatic use (auto: false), so it waits for a person as a draft."
        case "reply-guard": text += " Its reply failed the reply guard against this message, so a person writes the answer."
        default: text += " Its template '\(winner.reply ?? "")' is vetted for automatic use, so Bedside replies at once."
        }
        return text
    }
}
