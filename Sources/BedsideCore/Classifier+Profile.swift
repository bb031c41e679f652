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
    /// Runs every pattern the prefilter lets through on each text, timing each one.
    public func profile(_ texts: [String]) -> PatternProfile {
        var runs: [ObjectIdentifier: Int] = [:]
        var seconds: [ObjectIdentifier: Double] = [:]
        for text in texts {
            var text = text
            text.withUTF8 { buffer in
                if let prefilter = rulebook.prefilter, let scratch { prefilter.scan(buffer, into: scratch) }
                for (i, rule) in rulebook.rules.enumerated() {
                    let clauses = rule.match + rule.all + rule.unless
                    let indices = rulebook.prefilter.map { p in p.ruleClauses[i].match + p.ruleClauses[i].all + p.ruleClauses[i].unless }
                    for (k, clause) in clauses.enumerated() {
                        if let indices, let scratch, !scratch.isCandidate(indices[k]) { continue }
                        let key = ObjectIdentifier(clause.pattern)
                        let start = DispatchTime.now().uptimeNanoseconds
                        _ = matcher.match(clause.pattern, in: buffer)
                        seconds[key, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                        runs[key, default: 0] += 1
                    }
                }
            }
        }
        var entries: [PatternProfile.Entry] = []
        for rule in rulebook.rules {
            for clause in rule.match + rule.all + rule.unless {
                let key = ObjectIdentifier(clause.pattern)
                entries.append(.init(rule: rule.id, pattern: clause.pattern.source, runs: runs[key] ?? 0, seconds: seconds[key] ?? 0))
            }
        }
        return PatternProfile(entries: entries.sorted { $0.seconds > $1.seconds }, texts: texts.count)
    }
}
