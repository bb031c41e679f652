/// Whether one rule matched one message.
public enum RuleOutcome: Sendable, Equatable {
    /// Matched, in the text as written or in its de-obfuscated form.
    case matched(deobfuscated: Bool)
    /// Did not match.
    case notMatched
    /// A pattern hit an engine limit or error before the rule could be decided: fail closed.
    case failed(String)

    /// True when matched.
    public var isMatch: Bool {
        if case .matched = self { return true }
        return false
    }
}

extension Rule {
    /// Evaluates this rule on one text: any `match`, every `all`, no `unless`. A pattern whose
    /// outcome is `failed` never counts as "no match".
    func evaluate(_ outcome: (_ clause: Int, _ kind: ClauseKind) -> MatchOutcome) -> RuleOutcome {
        var hit = false
        var failure: String?
        for i in match.indices {
            switch outcome(i, .match) {
            case .match: hit = true
            case .noMatch: continue
            case .failed(_, let message): failure = message; continue
            }
            break
        }
        guard hit else { return failure.map(RuleOutcome.failed) ?? .notMatched }
        failure = nil
        for i in all.indices {
            switch outcome(i, .all) {
            case .match: continue
            case .noMatch: return .notMatched
            case .failed(_, let message): failure = message
            }
        }
        for i in unless.indices {
            switch outcome(i, .unless) {
            case .match: return .notMatched
            case .noMatch: continue
            case .failed(_, let message): failure = message
            }
        }
        if let failure { return .failed(failure) }
        return .matched(deobfuscated: false)
    }

    /// Which list a clause index refers to.
    enum ClauseKind {
        case match, all, unless
    }

    func clause(_ i: Int, _ kind: ClauseKind) -> Clause {
        switch kind {
        case .match: match[i]
        case .all: all[i]
        case .unless: unless[i]
        }
    }
}
