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
        var reader = SettingsReader(path: path)
        let settings = reader.delivery(node)
        if let error = reader.loadError { throw error }
        return settings
    }
}

/// `delivery:` and its subsections, read through the shared settings reader.
extension SettingsReader {
    mutating func delivery(_ node: Node) -> DeliverySettings {
        var settings = DeliverySettings()
        if Self.isEmpty(node) { return settings }
        guard let map = fields(node, allowed: DeliverySettings.keys, what: "'delivery'") else { return settings }
        var connectorNode: Node?
        if let n = map["connector"] {
            connectorNode = n
            let known = DeliverySettings.ConnectorKind.allCases.map(\.rawValue)
            if let value = choice(n, "delivery.connector", from: known), let kind = DeliverySettings.ConnectorKind(rawValue: value) {
                settings.connector = kind
            }
        }
        if let n = map["outbox"], let value = nonEmpty(n, "delivery.outbox", meaning: "a file name") { settings.outbox = value }
        if let n = map["webhook"] { settings.webhook = webhook(n) }
        if let n = map["meta"] { settings.meta = meta(n) }
        if let n = map["slack"] { settings.slack = slack(n) }
        if let n = map["retry"] { settings.retry = retry(n) }
        if let n = map["timeout"], let value = duration(n, "delivery.timeout", in: 0.001...300) { settings.timeout = value }
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
        if let n = map["secret_env"], let name = environmentName(n, "delivery.webhook.secret_env") { result.secretEnv = name }
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
        if let n = map["token_env"], let name = environmentName(n, "delivery.meta.token_env") { result.tokenEnv = name }
        return result
    }

    mutating func slack(_ node: Node) -> DeliverySettings.Slack? {
        guard let map = fields(node, allowed: ["webhook_url_env", "console_url"], what: "'delivery.slack'") else { return nil }
        var result = DeliverySettings.Slack()
        if let n = map["webhook_url_env"], let name = environmentName(n, "delivery.slack.webhook_url_env") { result.webhookURLEnv = name }
        if let n = map["console_url"], let url = httpURL(n, "delivery.slack.console_url") { result.consoleURL = url.absoluteString }
        return result
    }

    mutating func retry(_ node: Node) -> RetryPolicy {
        var policy = RetryPolicy()
        guard let map = fields(node, allowed: ["attempts", "base", "max"], what: "'delivery.retry'") else { return policy }
        if let n = map["attempts"], let value = integer(n, "delivery.retry.attempts", in: 1...100) { policy.attempts = value }
        if let n = map["base"], let value = duration(n, "delivery.retry.base", in: 0.001...86_400) { policy.base = value }
        if let n = map["max"], let value = duration(n, "delivery.retry.max", in: 0.001...86_400) { policy.max = value }
        if policy.max < policy.base, let n = map["max"] ?? map["base"] {
            error(n, "delivery.retry.max (\(policy.max)s) is below delivery.retry.base (\(policy.base)s)")
        }
        return policy
    }
}
