import BedsideCore
import BedsideDelivery
import BedsideServer
import BedsideStore
import Foundation

/// What `bedside check` found, for a terminal or as JSON.
struct CheckReport {
    let config: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var unreadableFiles: [String] = []
    private(set) var rules = 0
    private(set) var responses = 0
    private(set) var examples = 0
    private(set) var policyStore: String?
    var delivery: DeliverySettings?
    var server: ServerSettings?

    init(config: String) { self.config = config }

    var errorCount: Int { diagnostics.filter { $0.severity == .error }.count + unreadableFiles.count }
    var ok: Bool { errorCount == 0 }

    mutating func add(_ found: [Diagnostic]) { diagnostics += found }
    mutating func unreadable(_ description: String) { unreadableFiles.append(description) }

    mutating func count(_ rulebook: Rulebook) {
        rules = rulebook.rules.count
        responses = rulebook.templates.count
        examples = rulebook.rules.reduce(0) { $0 + $1.exampleMatches.count + $1.exampleIgnores.count }
        policyStore = rulebook.policy.store
    }

    /// The report as one JSON object. Settings are shown as they would run; a secret only as
    /// `set` or `unset`, a URL without its credentials, path or query.
    func json() -> String {
        var object: [String: Any] = [
            "ok": ok, "config": config, "rules": rules, "responses": responses, "examples": examples,
            "problems": diagnostics.map(Self.object) + unreadableFiles.map { ["severity": "error", "message": $0] },
        ]
        var settings: [String: Any] = [:]
        if let server {
            settings["server"] = [
                "host": server.host, "port": server.port, "log_level": server.logLevel.rawValue,
                "webhook_secret": Self.presence(server.webhookSecret), "meta_verify_token": Self.presence(server.metaVerifyToken),
                "meta_app_secret": Self.presence(server.metaAppSecret), "tokens": server.tokens.tokens.count,
            ]
        }
        if let delivery { settings["delivery"] = Self.summary(delivery) }
        if let policyStore { settings["store"] = StoreLocation.redacted(policyStore) }
        object["settings"] = settings
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func object(_ diagnostic: Diagnostic) -> [String: Any] {
        var object: [String: Any] = [
            "severity": diagnostic.severity.rawValue, "file": diagnostic.location.path, "message": diagnostic.message,
        ]
        if diagnostic.location.line > 0 {
            object["line"] = diagnostic.location.line
            object["column"] = diagnostic.location.column
        }
        return object
    }

    /// Whether a secret is set; never the secret.
    static func presence(_ value: String?) -> String { value == nil ? "unset" : "set" }

    /// Whether the environment variable a setting names holds a value; never the value.
    static func presence(ofVariable name: String) -> String {
        presence(EnvironmentSetting.value(name, in: ProcessInfo.processInfo.environment))
    }

    /// A URL as `scheme://host[:port]/…`: a path or query may hold a key.
    static func redacted(_ url: URL) -> String {
        var text = "\(url.scheme ?? "https")://\(url.host ?? "?")"
        if let port = url.port { text += ":\(port)" }
        if !url.path.isEmpty && url.path != "/" || url.query != nil { text += "/…" }
        return text
    }

    static func summary(_ delivery: DeliverySettings) -> [String: Any] {
        var object: [String: Any] = [
            "connector": delivery.connector.rawValue, "outbox": delivery.outbox, "timeout_seconds": delivery.timeout,
            "retry_attempts": delivery.retry.attempts,
        ]
        if let webhook = delivery.webhook {
            object["webhook"] = [
                "url": redacted(webhook.url), "secret_env": webhook.secretEnv, "secret": presence(ofVariable: webhook.secretEnv),
            ]
        }
        if let meta = delivery.meta {
            object["meta"] = [
                "graph_url": redacted(meta.graphURL), "token_env": meta.tokenEnv, "token": presence(ofVariable: meta.tokenEnv),
            ]
        }
        if let slack = delivery.slack {
            object["slack"] = ["webhook_url_env": slack.webhookURLEnv, "webhook_url": presence(ofVariable: slack.webhookURLEnv)]
        }
        return object
    }
}
