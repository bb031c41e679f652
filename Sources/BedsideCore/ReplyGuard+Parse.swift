import Foundation
import Yams

extension ReplyGuard {
    /// Checks every guard has, whatever `guard.yaml` adds: the practice may extend them, not remove them.
    static let builtInPatterns: [(id: String, reason: String, patterns: [String])] = [
        (
            "patient-relationship", "confirms a patient relationship",
            [
                #"\byour\s+(?:recent\s+|last\s+|next\s+|upcoming\s+|first\s+)?(?:appointments?|appts?|treatments?|visits?|consultations?|check-?ups?|procedures?|operations?|surgery|results?|records?|notes|files?|care|prescriptions?|medications?|medicines?|diagnosis|scans?|x-?rays?|tests?|bloods?|referrals?|fillings?|crowns?|implants?|extractions?|dentist|doctor|gp|hygienist|nurse|therapist|clinician|consultant|physio|course\s+of|plan|bill|invoice|account\s+with\s+us|time\s+with\s+us|stay)\b"#,
                #"\bwhen\s+you\s+(?:visited|came\s+in|came\s+to\s+see|were\s+(?:here|seen|in)|saw\s+(?:us|dr|the\s+doctor|the\s+dentist))\b"#,
                #"\b(?:we|i)\s+(?:saw|treated|examined|seen)\s+you\b"#,
                #"\bas\s+(?:a|our)\s+(?:valued\s+)?patient\b"#,
                #"\byou\s+(?:are|were|'re)\s+(?:a\s+|one\s+of\s+)?our\s+patients?\b"#,
                #"\bduring\s+your\b"#,
                #"\bour\s+records\s+show\b"#,
            ]
        ),
        (
            "dose", "names a dose",
            [
                #"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|ml|mls|g|iu|units?|milligrams?|micrograms?|millilitres?|milliliters?|tablets?|capsules?|puffs?|drops?)\b"#,
                #"\b(?:once|twice|three\s+times|four\s+times)\s+(?:a|per)\s+day\b"#,
            ]
        ),
        (
            "test-result", "gives a test result",
            [
                #"\b(?:results?|levels?|reading|count|scan|x-?ray|biopsy|smear|test)\s+(?:came\s+back|showed|shows|was|were|is|are)\s+(?:normal|abnormal|positive|negative|clear|high|low|fine)\b"#,
                #"\b(?:tested|came\s+back)\s+(?:positive|negative)\b"#,
            ]
        ),
        (
            "clinician-named", "names a clinician",
            [
                #"(?-i:\b(?:Dr|Doctor|Nurse|Prof|Professor)\.?\s+[A-Z][\w'-]+)"#
            ]
        ),
    ]

    /// Built-in list checks: the list name and why its terms are refused.
    static let builtInLists: [(list: String, reason: String)] = [
        ("drugs", "names a medicine"),
        ("diagnoses", "names a diagnosis"),
    ]

    /// Builds the guard from the built-in lexicon, the lists, and the practice's `guard.yaml`.
    static func load(_ file: RulebookFiles.File?, lists: WordLists, practice: PracticeProfile, into sink: inout DiagnosticSink)
        -> ReplyGuard
    {
        var checks: [Check] = []
        for item in builtInPatterns {
            checks.append(Check(id: item.id, reason: item.reason, patterns: item.patterns.map { try! Pattern($0) }))
        }
        var listChecks = builtInLists
        var copyWords = 6
        if let file {
            let yaml = YAMLSource(path: file.path)
            if let root = yaml.parse(file.text, into: &sink),
                let map = yaml.fields(of: root, allowed: ["lists", "patterns", "copy_words"], what: "the guard", into: &sink)
            {
                if let node = map["copy_words"] {
                    if let value = node.int, value >= 3 {
                        copyWords = value
                    } else {
                        sink.error(yaml.location(node), "copy_words must be a whole number of at least 3")
                    }
                }
                if let node = map["lists"] {
                    if let mapping = node.mapping {
                        for (key, value) in mapping {
                            guard let name = key.string, let reason = value.string else { continue }
                            if lists.terms[name] == nil {
                                sink.error(yaml.location(key), "the guard names list '\(name)', but there is no lists/\(name).txt")
                            } else if !listChecks.contains(where: { $0.list == name }) {
                                listChecks.append((name, reason))
                            }
                        }
                    } else {
                        sink.error(yaml.location(node), "'lists' maps a list name to the reason its terms are refused")
                    }
                }
                if let node = map["patterns"] {
                    checks += parsePatterns(node, yaml, lists: lists, into: &sink)
                }
            }
        }
        for (list, reason) in listChecks {
            guard let alternation = lists.alternation(list) else { continue }
            if let pattern = try? Pattern("\\b" + alternation + "\\b") {
                checks.append(Check(id: list, reason: reason, patterns: [pattern]))
            }
        }
        let crisis = practice.crisisLines
        var numbers = Set(crisis.numbers)
        if let phone = practice.fields["phone"] { numbers.insert(phone.filter(\.isNumber)) }
        var emails = Set([practice.fields["email"]].compactMap { $0?.lowercased() })
        // The practice's own fields (`practice.custom`) are its own contacts too.
        for (name, value) in practice.fields where !PracticeProfile.fieldNames.contains(name) {
            numbers.formUnion(CrisisLines.digitRuns(in: value))
            for word in value.split(separator: " ") where word.contains("@") {
                emails.insert(
                    word.trimmingCharacters(in: .punctuationCharacters.subtracting(CharacterSet(charactersIn: "@._-"))).lowercased())
            }
        }
        return ReplyGuard(checks: checks, copyWords: copyWords, allowedNumbers: numbers, allowedEmails: emails)
    }

    private static func parsePatterns(_ node: Node, _ yaml: YAMLSource, lists: WordLists, into sink: inout DiagnosticSink) -> [Check] {
        guard case .sequence(let items) = node else {
            sink.error(yaml.location(node), "'patterns' is a list of {id, reason, match}")
            return []
        }
        var checks: [Check] = []
        for item in items {
            guard let map = yaml.fields(of: item, allowed: ["id", "reason", "match"], what: "a guard pattern", into: &sink) else {
                continue
            }
            guard let id = yaml.string(map["id"], "id", into: &sink), let reason = yaml.string(map["reason"], "reason", into: &sink) else {
                sink.error(yaml.location(item), "a guard pattern needs 'id' and 'reason'")
                continue
            }
            var patterns: [Pattern] = []
            for (source, patternNode) in yaml.strings(map["match"], "match", into: &sink) {
                if let pattern = PatternCompiler.compile(source, at: patternNode, yaml, lists: lists, into: &sink) {
                    patterns.append(pattern)
                }
            }
            if patterns.isEmpty { sink.error(yaml.location(item), "guard pattern '\(id)' has no 'match' patterns") }
            checks.append(Check(id: id, reason: reason, patterns: patterns))
        }
        return checks
    }
}

/// Compiles a pattern written in a YAML file, reporting errors at their column in the file.
enum PatternCompiler {
    static func compile(_ source: String, at node: Node, _ yaml: YAMLSource, lists: WordLists, into sink: inout DiagnosticSink) -> Pattern?
    {
        var base = yaml.location(node)
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted { base.column += 1 }
        func at(_ byteOffset: Int) -> SourceLocation {
            var location = base
            let prefix = source.utf8.prefix(max(0, byteOffset))
            location.column += String(decoding: prefix, as: UTF8.self).unicodeScalars.count
            return location
        }
        switch lists.expand(source) {
        case .failure(let unknown):
            let isList = unknown.kind == .list
            var message = isList ? "unknown list '\(unknown.name)' in \\L{…}" : "unknown fragment '\(unknown.name)' in \\F{…}"
            let known = isList ? Array(lists.terms.keys) : Array(lists.fragments.keys)
            if let guess = Suggestion.closest(to: unknown.name, in: known) { message += "; did you mean '\(guess)'?" }
            sink.error(
                at(unknown.offset), message + (isList ? " (lists are lists/NAME.txt)" : " (fragments are defined in fragments/*.yaml)"))
            return nil
        case .success(let expanded):
            do {
                return try Pattern(expanded.text, source: source)
            } catch {
                sink.error(at(expanded.sourceOffset(error.offset)), "pattern does not compile: \(error.message)")
                return nil
            }
        }
    }
}
