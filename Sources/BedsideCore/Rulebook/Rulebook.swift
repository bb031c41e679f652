import Foundation

/// Everything a decision needs, loaded at once and never changed: configuration, rules,
/// templates, word lists and the reply guard. A broken rulebook never half-loads.
public final class Rulebook: Sendable {
    /// `bedside.yaml`.
    public let configuration: Configuration
    /// Every rule, in file order.
    public let rules: [Rule]
    /// Templates by id.
    public let templates: [String: Template]
    /// The reply guard.
    public let replyGuard: ReplyGuard
    /// Named vocabularies.
    public let lists: WordLists
    /// Warnings found while loading (a load with errors throws instead).
    public let warnings: [Diagnostic]
    /// What the rulebook was loaded from, as a short hash (``RulebookFiles/version``): the same
    /// files give the same version on every instance.
    public let version: String
    /// The words of `lists/english.txt`, by which a mostly non-English message is told.
    let englishWords: Set<String>
    /// The misspellings of `lists/spellings.txt`, undone for the risk rules' second reading.
    let spellings: Spellings
    /// The one-pass candidate finder, when Vectorscan could take the patterns.
    let prefilter: Prefilter?

    init(
        configuration: Configuration, rules: [Rule], templates: [String: Template], replyGuard: ReplyGuard, lists: WordLists,
        warnings: [Diagnostic], prefilter: Prefilter?, version: String = ""
    ) {
        self.configuration = configuration
        self.rules = rules
        self.templates = templates
        self.replyGuard = replyGuard
        self.lists = lists
        self.warnings = warnings
        self.version = version
        self.englishWords = Set(lists.terms["english"] ?? [])
        self.spellings = Spellings.parse(lists.terms["spellings"] ?? []).0
        self.prefilter = prefilter
    }

    /// The practice profile.
    public var practice: PracticeProfile { configuration.practice }
    /// The policy.
    public var policy: Policy { configuration.policy }
    /// Whether a Vectorscan prefilter is in use.
    public var hasPrefilter: Bool { prefilter != nil }

    /// The values every template sees, for one message's author.
    public func templateValues(author: String?) -> TemplateValues {
        TemplateValues(author: author, practice: practice.fields, crisis: practice.crisisLines.templateValues)
    }
}

extension Rulebook {
    /// Loads a rulebook from its files, reporting every problem at once.
    ///
    /// - Parameter usePrefilter: scan with Vectorscan first (the default); `false` runs every
    ///   pattern through PCRE2, which gives the same decisions more slowly.
    public static func load(_ files: RulebookFiles, usePrefilter: Bool = true) throws(LoadError) -> Rulebook {
        var sink = DiagnosticSink()
        let configuration = Configuration.parse(files.configuration.text, path: files.configuration.path, into: &sink)
        var lists = WordLists()
        for file in files.lists {
            let name = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
            lists.add(name, terms: WordLists.parseTerms(file.text))
            if name == "spellings" {
                for line in Spellings.parse(lists.terms[name] ?? []).problems {
                    sink.error(
                        SourceLocation(path: file.path),
                        "spellings: '\(line)' is not a misspelling and its word (two different words, like 'sucidal suicidal')")
                }
            }
        }
        Fragment.load(files.fragments, into: &lists, sink: &sink)
        let practice = configuration?.practice ?? PracticeProfile(fields: [:], region: "UK", ownAccounts: [])
        let replyGuard = ReplyGuard.load(files.guardFile, lists: lists, practice: practice, into: &sink)
        var templates: [String: Template] = [:]
        let matcher = Matcher()
        var brokenTemplates = Set<String>()
        for file in files.responses {
            guard let template = Template.parse(file, profile: practice, into: &sink) else {
                // reported already; rules naming it should not add "no such template" on top
                brokenTemplates.insert(((file.path as NSString).lastPathComponent as NSString).deletingPathExtension)
                continue
            }
            if let first = templates[template.id] {
                sink.error(template.location, "template id '\(template.id)' is also used by \(first.location.path)")
                continue
            }
            let sample = template.render(
                TemplateValues(author: "Sample Person", practice: practice.fields, crisis: practice.crisisLines.templateValues))
            let violations = replyGuard.violations(in: sample, author: "Sample Person", using: matcher)
            if !violations.isEmpty {
                sink.error(
                    template.location,
                    "response '\(template.id)' fails the reply guard: " + violations.map(\.description).joined(separator: "; "))
            }
            templates[template.id] = template
        }
        var rules: [Rule] = []
        var seen: [String: SourceLocation] = [:]
        for file in files.rules {
            for rule in Rule.parseFile(file, lists: lists, templates: templates, brokenTemplates: brokenTemplates, into: &sink) {
                if let first = seen[rule.id] {
                    sink.error(
                        rule.location, "duplicate rule id '\(rule.id)'; first defined at \(first.path):\(first.line):\(first.column)")
                    continue
                }
                seen[rule.id] = rule.location
                for clause in rule.match + rule.all + rule.unless where Prefilter.mayBacktrack(clause.pattern.source) {
                    sink.warning(
                        clause.location,
                        "pattern '\(clause.pattern.source)' repeats a group that can match the same text in several ways (nested unbounded repeats or overlapping alternatives) and may backtrack for a long time; such matches hit the engine limit and go to review"
                    )
                }
                rules.append(rule)
            }
        }
        let sources = rules.flatMap { ($0.match + $0.all + $0.unless).map(\.pattern.source) } + replyGuard.patternSources
        for fragment in Fragment.unused(lists, patternSources: sources) {
            sink.warning(fragment.location, "fragment '\(fragment.id)' is not used by any rule")
        }
        if files.rules.isEmpty { sink.error(SourceLocation(path: files.configuration.path), "no rules files (rules/*.yaml) were found") }
        guard let configuration, !sink.hasErrors else { throw LoadError(sink.diagnostics) }
        let prefilter = usePrefilter ? Prefilter(rules: rules) : nil
        prefilter?.reportSlowPatterns(rules, into: &sink)
        return Rulebook(
            configuration: configuration, rules: rules, templates: templates, replyGuard: replyGuard, lists: lists,
            warnings: sink.diagnostics, prefilter: prefilter, version: files.version)
    }
}
