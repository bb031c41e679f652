extension Prefilter {
    /// Warns about each pattern that would make every message slower: one with an alternative in
    /// which no word is required, so PCRE2 searches it from every position of every message. (A
    /// pattern whose every alternative names a word runs only on the messages that contain those
    /// words, which is cheap.) `bedside check` shows these warnings.
    func reportSlowPatterns(_ rules: [Rule], into sink: inout DiagnosticSink) {
        var reported = Set<Int>()
        for (rule, clauses) in zip(rules, ruleClauses) {
            let written = rule.match + rule.all + rule.unless
            let indices = clauses.match + clauses.all + clauses.unless
            for (clause, index) in zip(written, indices) where reported.insert(index).inserted {
                guard let piece = unfilteredPiece(index) else { continue }
                let shown = piece == clause.pattern.expanded ? "" : " (its alternative '\(piece.prefix(80))')"
                sink.warning(
                    clause.location,
                    "pattern '\(clause.pattern.source)' makes matching slow\(shown): no word is required in every match, so PCRE2 tries it on every message; make it name a word"
                )
            }
        }
    }

    /// The text of an alternative of pattern `index` that runs on every message, or `nil` when
    /// every one needs a word or is anchored at the start (or the pattern was already warned about
    /// as one that may backtrack).
    func unfilteredPiece(_ index: Int) -> String? {
        guard patternNeeds[index].isEmpty, !Prefilter.mayBacktrack(patterns[index].source) else { return nil }
        // a piece anchored at the start is tried at one position only, which is cheap
        return patternUnits[index].first { units[$0].needs.isEmpty && !units[$0].piece.text.hasPrefix("^") }.map { units[$0].piece.text }
    }
}
