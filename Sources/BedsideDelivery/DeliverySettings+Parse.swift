import BedsideCore
import Foundation
import Yams

extension DeliverySettings {
    /// Top-level keys of `delivery:`.
    static let keys = ["connector", "outbox", "webhook", "meta", "slack", "retry", "timeout"]

    /// The delivery settings of a loaded configuration (the defaults when it has no `delivery:`
    /// section), or every problem with its location.
    public static func load(from configuration: Configuration) throws(LoadError) -> DeliverySettings {
        guard let node = configuration.sections["delivery"] else { return DeliverySettings() }
        return try parse(node, path: configuration.path)
    }

    /// Parses a `delivery:` node read from the file at `path`.
    public static func parse(_ node: Node, path: String) throws(LoadError) -> DeliverySettings {
        var parser = SettingsParser(path: path)
        let settings = parser.delivery(node)
        if parser.diagnostics.contains(where: { $0.severity == .error }) {
            throw LoadError(parser.diagnostics.enumerated().sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }.map(\.element))
        }
        return settings
    }
}

/// Reads `delivery:` nodes into settings, collecting located diagnostics.
private struct SettingsParser {
    let path: String
    var diagnostics: [Diagnostic] = []

    init(path: String) { self.path = path }

    mutating func delivery(_ node: Node) -> DeliverySettings {
        var settings = DeliverySettings()
        if case .scalar(let scalar) = node, ["", "~", "null"].contains(scalar.string) { return settings }
        guard let map = fields(node, allowed: DeliverySettings.keys, what: "'delivery'") else { return settings }
        var connectorNode: Node?
        if let n = map["connector"], let value = string(n, "delivery.connector") {
            connectorNode = n
            if let kind = DeliverySettings.ConnectorKind(rawValue: value) {
                settings.connector = kind
            } else {
                let known = DeliverySettings.ConnectorKind.allCases.map(\.rawValue)
                var message = "unknown connector '\(value)'; Bedside has \(known.joined(separator: ", "))"
                if let guess = Suggestion.closest(to: value, in: known) { message += "; did you mean '\(guess)'?" }
                error(n, message)
            }
        }
        if let n = map["outbox"], let value = string(n, "delivery.outbox") {
            if value.isEmpty { error(n, "delivery.outbox must name a file") } else { settings.outbox = value }
        }
        if let n = map["webhook"] { settings.webhook = webhook(n) }
        if let n = map["meta"] { settings.meta = meta(n) }
        if let n = map["slack"] { settings.slack = slack(n) }
        if let n = map["retry"] { settings.retry = retry(n) }
        if let n = map["timeout"], let value = duration(n, "delivery.timeout") {
            if value > 0 && value <= 300 { settings.timeout = value } else { error(n, "delivery.timeout must be above 0 and at most 5m") }
        }
        let at = connectorNode ?? node
        switch settings.connector {
        case .webhook where map["webhook"] == nil:
            error(at, "connector 'webhook' needs a 'webhook' section with 'url' (and 'secret_env')")
        case .meta where map["meta"] == nil:
            error(at, "connector 'meta' needs a 'meta' section with 'page_id' (and 'token_env')")
        default: break
        }
        return settings
    }

    mutating func webhook(_ node: Node) -> DeliverySettings.Webhook? {
        guard let map = fields(node, allowed: ["url", "secret_env"], what: "'delivery.webhook'") else { return nil }
        guard let urlNode = map["url"] else {
            error(node, "'delivery.webhook' needs 'url': where to POST replies")
            return nil
        }
        guard let url = httpURL(urlNode, "delivery.webhook.url") else { return nil }
        var result = DeliverySettings.Webhook(url: url)
        if let n = map["secret_env"], let name = envName(n, "delivery.webhook.secret_env") { result.secretEnv = name }
        return result
    }

    mutating func meta(_ node: Node) -> DeliverySettings.Meta? {
        guard let map = fields(node, allowed: ["graph_url", "page_id", "token_env"], what: "'delivery.meta'") else { return nil }
        var result = DeliverySettings.Meta()
        if let n = map["graph_url"], let url = httpURL(n, "delivery.meta.graph_url") { result.graphURL = url }
        if let n = map["page_id"], let value = string(n, "delivery.meta.page_id") {
            if value.isEmpty || value.contains(where: { !$0.isASCII || !($0.isLetter || $0.isNumber || $0 == "_") }) {
                error(n, "delivery.meta.page_id must be the page's numeric id, not '\(value)'")
            } else {
                result.pageID = value
            }
        }
        if let n = map["token_env"], let name = envName(n, "delivery.meta.token_env") { result.tokenEnv = name }
        return result
    }

    mutating func slack(_ node: Node) -> DeliverySettings.Slack? {
        guard let map = fields(node, allowed: ["webhook_url_env", "console_url"], what: "'delivery.slack'") else { return nil }
        var result = DeliverySettings.Slack()
        if let n = map["webhook_url_env"], let name = envName(n, "delivery.slack.webhook_url_env") { result.webhookURLEnv = name }
        if let n = map["console_url"], let url = httpURL(n, "delivery.slack.console_url") { result.consoleURL = url.absoluteString }
        return result
    }

    mutating func retry(_ node: Node) -> RetryPolicy {
        var policy = RetryPolicy()
        guard let map = fields(node, allowed: ["attempts", "base", "max"], what: "'delivery.retry'") else { return policy }
        if let n = map["attempts"] {
            if let value = n.int, value >= 1, value <= 100 {
                policy.attempts = value
            } else {
                error(n, "delivery.retry.attempts must be a whole number from 1 to 100, not '\(n.string ?? "?")'")
            }
        }
        if let n = map["base"], let value = duration(n, "delivery.retry.base") {
            if value > 0 { policy.base = value } else { error(n, "delivery.retry.base must be above 0") }
        }
        if let n = map["max"], let value = duration(n, "delivery.retry.max") {
            if value > 0 { policy.max = value } else { error(n, "delivery.retry.max must be above 0") }
        }
        if policy.max < policy.base, let n = map["max"] ?? map["base"] {
            error(n, "delivery.retry.max (\(policy.max)s) is below delivery.retry.base (\(policy.base)s)")
        }
        return policy
    }

    // MARK: - Scalars

    mutating func fields(_ node: Node, allowed: [String], what: String) -> [String: Node]? {
        guard let mapping = node.mapping else {
            error(node, "\(what) must be a mapping of keys to values")
            return nil
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                error(key, "\(what) has a key that is not text")
                continue
            }
            if allowed.contains(name) {
                result[name] = value
            } else {
                var message = "unknown key '\(name)' in \(what)"
                if let guess = Suggestion.closest(to: name, in: allowed) { message += "; did you mean '\(guess)'?" }
                error(key, message)
            }
        }
        return result
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, "\(what) must be text")
            return nil
        }
        return scalar.string
    }

    mutating func httpURL(_ node: Node, _ what: String) -> URL? {
        guard let text = string(node, what) else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else {
            error(node, "\(what) must be an http(s) URL, not '\(text)'")
            return nil
        }
        return url
    }

    /// The name of an environment variable (the value is never in the file).
    mutating func envName(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        let valid = !text.isEmpty && text.first.map { $0.isLetter || $0 == "_" } == true
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard valid else {
            // Do not quote it: someone may have pasted the secret itself here.
            error(node, "\(what) must name an environment variable (like BEDSIDE_SECRET); secrets never go in bedside.yaml")
            return nil
        }
        return text
    }

    /// A ``TimeSpan``: `500ms`, `10s`, `2m`, `1h`.
    mutating func duration(_ node: Node, _ what: String) -> TimeInterval? {
        guard let text = string(node, what) else { return nil }
        do {
            return try TimeSpan(parsing: text).seconds
        } catch {
            self.error(node, "\(what): \(error.description)")
            return nil
        }
    }

    mutating func error(_ node: Node, _ message: String) {
        let location = node.mark.map { SourceLocation(path: path, line: $0.line, column: $0.column) } ?? SourceLocation(path: path)
        diagnostics.append(Diagnostic(.error, at: location, message))
    }
}
