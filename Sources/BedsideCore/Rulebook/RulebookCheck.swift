/// Runs every rule's examples: each `matches` text must make the rule match, each `ignores` text must not.
public enum RulebookCheck {
    /// Every example that does not behave as its rule says, as located diagnostics.
    public static func examples(_ rulebook: Rulebook) -> [Diagnostic] {
        let classifier = Classifier(rulebook: rulebook)
        var problems: [Diagnostic] = []
        for (index, rule) in rulebook.rules.enumerated() {
            for text in rule.exampleMatches {
                switch classifier.evaluate(text)[index] {
                case .matched: continue
                case .notMatched:
                    problems.append(Diagnostic(at: rule.location, "rule '\(rule.id)' should match its example \"\(text)\" but does not"))
                case .failed(let why):
                    problems.append(
                        Diagnostic(at: rule.location, "rule '\(rule.id)' hit the engine limit on its example \"\(text)\": \(why)"))
                }
            }
            for text in rule.exampleIgnores {
                switch classifier.evaluate(text)[index] {
                case .notMatched: continue
                case .matched:
                    problems.append(Diagnostic(at: rule.location, "rule '\(rule.id)' should ignore its example \"\(text)\" but matches it"))
                case .failed(let why):
                    problems.append(
                        Diagnostic(at: rule.location, "rule '\(rule.id)' hit the engine limit on its example \"\(text)\": \(why)"))
                }
            }
        }
        let matcher = Matcher(limits: rulebook.policy.limits)
        for fragment in rulebook.lists.fragments.values.sorted(by: { $0.id < $1.id }) {
            for (text, expected) in fragment.exampleMatches.map({ ($0, true) }) + fragment.exampleIgnores.map({ ($0, false) }) {
                let found = matcher.match(fragment.pattern, in: text)
                if case .failed(_, let why) = found {
                    problems.append(
                        Diagnostic(
                            at: fragment.location, "fragment '\(fragment.id)' hit the engine limit on its example \"\(text)\": \(why)"))
                } else if found.isMatch != expected {
                    problems.append(
                        Diagnostic(
                            at: fragment.location,
                            "fragment '\(fragment.id)' should \(expected ? "find something in" : "find nothing in") its example \"\(text)\" but \(expected ? "does not" : "does")"
                        ))
                }
            }
        }
        return problems
    }

    /// Examples of replying rules that their rule matches but does not decide: another rule wins, so
    /// the writer would not get this rule's reply. A reply example promises what the writer is told.
    public static func undecidedExamples(_ rulebook: Rulebook, severity: Diagnostic.Severity = .error) -> [Diagnostic] {
        let classifier = Classifier(rulebook: rulebook)
        var problems: [Diagnostic] = []
        for (index, rule) in rulebook.rules.enumerated() where rule.escalate == nil && rule.reply != nil {
            for text in rule.exampleMatches {
                let outcomes = classifier.evaluate(text)
                guard outcomes[index].isMatch, var problem = winProblem(rule, example: text, outcomes: outcomes, classifier) else {
                    continue
                }
                problem.severity = severity
                problems.append(problem)
            }
        }
        return problems
    }

    /// A problem unless `rule` itself decides its example (its category, its template).
    static func winProblem(_ rule: Rule, example text: String, outcomes: [RuleOutcome], _ classifier: Classifier) -> Diagnostic? {
        guard rule.escalate == nil, let templateID = rule.reply else { return nil }
        let message = Message(id: "example", text: text)
        let decision = classifier.decide(message, outcomes: outcomes)
        let expected = classifier.safeText(templateID, for: message)
        if decision.category == rule.category, decision.reply ?? decision.draft == expected { return nil }
        let rules = classifier.rulebook.rules
        let winner = zip(rules, outcomes).first { candidate, outcome in
            outcome.isMatch && candidate.id != rule.id && candidate.category == decision.category
        }?.0
        let by = winner.map { "rule '\($0.id)' wins" } ?? "another rule wins"
        return Diagnostic(
            at: rule.location,
            "rule '\(rule.id)' matches its example \"\(text)\" but does not decide it: \(by) (\(decision.action.rawValue), \(decision.category ?? "no category"))"
        )
    }
}
