import Foundation

/// Where matching time goes: which patterns run most and cost most.
public struct PatternProfile: Sendable {
    /// One pattern's figures.
    public struct Entry: Sendable {
        /// The rule it belongs to.
        public let rule: String
        /// The pattern as written.
        public let pattern: String
        /// How many texts it ran on (after the prefilter).
        public let runs: Int
        /// Total time spent in PCRE2 for it, in seconds.
        public let seconds: Double
    }

    /// Every pattern, most expensive first.
    public let entries: [Entry]
    /// Texts profiled.
    public let texts: Int
}

extension Classifier {
    /// Runs every pattern (each alternative the prefilter keeps apart) that the literal scan lets
    /// through on each text, timing each one.
    public func profile(_ texts: [String]) -> PatternProfile {
        var runs: [ObjectIdentifier: Int] = [:]
        var seconds: [ObjectIdentifier: Double] = [:]
        var owners: [(rule: String, pattern: Pattern)] = []
        var seen = Set<ObjectIdentifier>()
        for (i, rule) in rulebook.rules.enumerated() {
            let clauses = rule.match + rule.all + rule.unless
            for (k, clause) in clauses.enumerated() {
                if let prefilter = rulebook.prefilter {
                    let p = prefilter.ruleClauses[i]
                    let global = (p.match + p.all + p.unless)[k]
                    for u in prefilter.patternUnits[global] {
                        guard case .success(let pattern) = prefilter.units[u].piece.pattern else { continue }
                        if seen.insert(ObjectIdentifier(pattern)).inserted { owners.append((rule.id, pattern)) }
                    }
                } else if seen.insert(ObjectIdentifier(clause.pattern)).inserted {
                    owners.append((rule.id, clause.pattern))
                }
            }
        }
        for text in texts {
            var text = text
            text.withUTF8 { buffer in
                if let prefilter = rulebook.prefilter, let scratch { prefilter.scan(buffer, into: scratch) }
                for (i, _) in rulebook.rules.enumerated() {
                    var pieces: [Pattern] = []
                    if let prefilter = rulebook.prefilter, let scratch {
                        let p = prefilter.ruleClauses[i]
                        for global in p.match + p.all + p.unless {
                            guard scratch.has(prefilter.patternNeeds[global]) else { continue }
                            for u in prefilter.patternUnits[global] where scratch.has(prefilter.units[u].needs) {
                                if case .success(let pattern) = prefilter.units[u].piece.pattern { pieces.append(pattern) }
                            }
                        }
                    } else {
                        let rule = rulebook.rules[i]
                        pieces = (rule.match + rule.all + rule.unless).map(\.pattern)
                    }
                    for pattern in pieces {
                        let key = ObjectIdentifier(pattern)
                        let start = DispatchTime.now().uptimeNanoseconds
                        _ = matcher.match(pattern, in: buffer)
                        seconds[key, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                        runs[key, default: 0] += 1
                    }
                }
            }
        }
        let entries = owners.map { owner in
            let key = ObjectIdentifier(owner.pattern)
            return PatternProfile.Entry(rule: owner.rule, pattern: owner.pattern.source, runs: runs[key] ?? 0, seconds: seconds[key] ?? 0)
        }
        return PatternProfile(entries: entries.sorted { $0.seconds > $1.seconds }, texts: texts.count)
    }
}
