import Foundation
import Mustache
import Yams

extension Template {
    static let frontMatterKeys = ["id", "vetted_by", "vetted_on", "auto", "description"]
    static let textPragma = "{{% CONTENT_TYPE: TEXT}}"

    /// Parses `responses/ID.mustache`: YAML front matter between `---` lines, then the body.
    static func parse(_ file: RulebookFiles.File, profile: PracticeProfile, into sink: inout DiagnosticSink) -> Template? {
        let start = SourceLocation(path: file.path)
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else {
            sink.error(start, "a response starts with YAML front matter between '---' lines (id, vetted_by, vetted_on, auto)")
            return nil
        }
        let yaml = YAMLSource(path: file.path, lineOffset: 1)
        let frontText = lines[1..<end].joined(separator: "\n")
        guard let front = yaml.parse(frontText, into: &sink),
            let map = yaml.fields(of: front, allowed: frontMatterKeys, what: "the front matter", into: &sink)
        else {
            if !sink.hasErrors { sink.error(start, "the front matter is empty; it needs id, vetted_by, vetted_on and auto") }
            return nil
        }
        let stem = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
        var ok = true
        func required(_ key: String) -> String? {
            if let value = yaml.string(map[key], key, into: &sink), !value.isEmpty { return value }
            sink.error(yaml.location(front), "the front matter needs '\(key)'")
            ok = false
            return nil
        }
        let id = required("id")
        if let id, id != stem, let node = map["id"] {
            sink.error(
                yaml.location(node), "template id '\(id)' differs from its file name '\(stem).mustache'; rules find templates by file name")
            ok = false
        }
        let vettedBy = required("vetted_by")
        let vettedOn = required("vetted_on")
        var auto = false
        if let node = map["auto"] {
            if let value = node.bool {
                auto = value
            } else {
                sink.error(yaml.location(node), "'auto' must be true or false, not '\(node.string ?? "?")'")
                ok = false
            }
        } else {
            sink.error(
                yaml.location(front), "the front matter needs 'auto: true' (sent without a person) or 'auto: false' (a draft for review)")
            ok = false
        }
        let bodyLine = end + 2
        let body = lines[(end + 1)...].joined(separator: "\n")
        if body.trimmingWhitespace().isEmpty {
            sink.error(SourceLocation(path: file.path, line: bodyLine), "the response '\(stem)' has no text after its front matter")
            ok = false
        }
        ok = checkVariables(body, path: file.path, firstLine: bodyLine, profile: profile, into: &sink) && ok
        let compiled: MustacheTemplate
        do {
            compiled = try MustacheTemplate(string: textPragma + body)
        } catch let error as MustacheTemplate.ParserError {
            let line = error.context.lineNumber
            let column = line == 1 ? max(1, error.context.columnNumber - textPragma.count) : error.context.columnNumber
            sink.error(SourceLocation(path: file.path, line: bodyLine + line - 1, column: column), "template syntax: \(error.error)")
            return nil
        } catch {
            sink.error(SourceLocation(path: file.path, line: bodyLine), "template syntax: \(error)")
            return nil
        }
        guard ok, let id, let vettedBy, let vettedOn else { return nil }
        return Template(id: id, vettedBy: vettedBy, vettedOn: vettedOn, auto: auto, body: body, location: start, compiled: compiled)
    }

    /// Every `{{tag}}` must name an allowed variable; partials, pragmas and delimiter changes are refused.
    static func checkVariables(_ body: String, path: String, firstLine: Int, profile: PracticeProfile, into sink: inout DiagnosticSink)
        -> Bool
    {
        var ok = true
        var line = firstLine
        var column = 1
        var index = body.startIndex
        while index < body.endIndex {
            if body[index...].hasPrefix("{{"), let close = body[index...].range(of: "}}") {
                let location = SourceLocation(path: path, line: line, column: column)
                var inner = body[body.index(index, offsetBy: 2)..<close.lowerBound]
                var after = close.upperBound
                if inner.hasPrefix("{") {
                    inner = inner.dropFirst()
                    if body[after...].hasPrefix("}") { after = body.index(after: after) }
                }
                let sigil = inner.trimmingCharacters(in: .whitespaces).first
                var name = inner.trimmingCharacters(in: .whitespaces)
                if let sigil, "#^/&".contains(sigil) { name = String(name.dropFirst()).trimmingCharacters(in: .whitespaces) }
                if sigil == "!" {
                    // a comment
                } else if let sigil, ">=%$<".contains(sigil) {
                    sink.error(
                        location,
                        "'{{\(inner)}}' is not allowed in a response: only variables and sections of author, practice.* and crisis.*")
                    ok = false
                } else if let problem = variableProblem(name, profile: profile) {
                    sink.error(location, problem)
                    ok = false
                }
                for ch in body[index..<after] {
                    if ch == "\n" { line += 1; column = 1 } else { column += 1 }
                }
                index = after
                continue
            }
            if body[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index = body.index(after: index)
        }
        return ok
    }

    static func variableProblem(_ name: String, profile: PracticeProfile) -> String? {
        if name == "." || name == "author" { return nil }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        let allowed = "author, practice.* or crisis.*"
        guard parts.count == 2 else {
            if name == "practice" || name == "crisis" { return nil }
            return "variable '\(name)' is not allowed in a response (only \(allowed); never the message text)"
        }
        switch parts[0] {
        case "practice":
            guard PracticeProfile.fieldNames.contains(parts[1]) || profile.fields[parts[1]] != nil else {
                var message = "unknown variable '\(name)'"
                if let guess = Suggestion.closest(to: parts[1], in: PracticeProfile.fieldNames) {
                    message += "; did you mean 'practice.\(guess)'?"
                }
                return message
            }
            if profile.fields[parts[1]]?.isEmpty ?? true {
                return "'\(name)' is used here but bedside.yaml's practice section does not set '\(parts[1])'"
            }
            return nil
        case "crisis":
            guard CrisisLines.keys.contains(parts[1]) else {
                return "unknown variable '\(name)'; crisis lines are crisis.emergency, crisis.support and crisis.urgent"
            }
            return nil
        default:
            return "variable '\(name)' is not allowed in a response (only \(allowed); never the message text)"
        }
    }
}
