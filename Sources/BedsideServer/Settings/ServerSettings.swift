import BedsideStore
import Foundation
import Logging

/// How `bedside serve` runs: the `server:` section of `bedside.yaml`, the `tokens:` list, and the
/// secrets from the environment (never from a file).
public struct ServerSettings: Sendable {
    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The port to listen on (0: any free port).
    public var port = 8080
    /// The least severe log level written.
    public var logLevel = Logger.Level.info
    /// The largest request body accepted (413 above it).
    public var bodyLimit = 1 << 20
    /// Decisions in flight at once before new ones are answered 429.
    public var maxInFlight = 512
    /// Seconds a client has to send a whole request body (408 after it).
    public var readTimeout: TimeInterval = 10
    /// Seconds an idle keep-alive connection is kept.
    public var idleTimeout: TimeInterval = 60
    /// Seconds a webhook timestamp may be off the clock.
    public var timestampTolerance: TimeInterval = 300
    /// Decisions committed in one transaction at most.
    public var maxBatch = 256
    /// Seconds between outbox delivery passes (0: the server does not deliver).
    public var deliveryInterval: TimeInterval = 2
    /// Classifiers kept for concurrent decisions.
    public var classifiers = ProcessInfo.processInfo.activeProcessorCount
    /// `$BEDSIDE_WEBHOOK_SECRET`: the `whsec_…` secret for `POST /v1/messages` (unset: the endpoint answers 401).
    public var webhookSecret: String?
    /// `$BEDSIDE_META_VERIFY_TOKEN`: what Meta's subscription check must present.
    public var metaVerifyToken: String?
    /// `$BEDSIDE_META_APP_SECRET`: the key of `X-Hub-Signature-256`.
    public var metaAppSecret: String?
    /// Staff allowed to use the review API.
    public var tokens = StaffTokens([])

    /// The defaults.
    public init() {}

    /// The `server:` settings that differ from `other`: a running server keeps its own until restarted.
    func restartOnlyChanges(from other: ServerSettings) -> [String] {
        var changed: [String] = []
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) {
            if a != b { changed.append(name) }
        }
        check("host", host, other.host)
        check("port", port, other.port)
        check("log_level", logLevel, other.logLevel)
        check("body_limit", bodyLimit, other.bodyLimit)
        check("max_in_flight", maxInFlight, other.maxInFlight)
        check("read_timeout", readTimeout, other.readTimeout)
        check("idle_timeout", idleTimeout, other.idleTimeout)
        check("max_batch", maxBatch, other.maxBatch)
        check("delivery_interval", deliveryInterval, other.deliveryInterval)
        check("classifiers", classifiers, other.classifiers)
        return changed
    }

    /// Reads the secrets from the environment.
    public mutating func readSecrets(from environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        webhookSecret = value("BEDSIDE_WEBHOOK_SECRET")
        metaVerifyToken = value("BEDSIDE_META_VERIFY_TOKEN")
        metaAppSecret = value("BEDSIDE_META_APP_SECRET")
    }
}
