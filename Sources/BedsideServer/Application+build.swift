import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Everything `bedside serve` is made of, handed in by the executable (or a test).
public struct ServerEnvironment<Store: ReviewStore>: Sendable {
    /// Settings, secrets and tokens.
    public var settings: ServerSettings
    /// The rulebook to start with.
    public var rulebook: Rulebook
    /// Where decisions and review items go.
    public var store: Store
    /// Loads the rulebook again (SIGHUP); `nil`: no reloading.
    public var reload: (@Sendable () throws -> Rulebook)?
    /// Sends replies from the outbox; `nil`: another process (`bedside deliver`) does.
    public var connector: (any Connector)?
    /// Delivery retries and lease.
    public var delivery: DeliverySettings
    /// Tells staff about new review items.
    public var slack: SlackNotifier?
    /// The server's logger.
    public var logger: Logger
    /// The clock webhook timestamps are checked against.
    public var clock: @Sendable () -> Date = { Date() }

    /// Creates an environment.
    public init(
        settings: ServerSettings, rulebook: Rulebook, store: Store, reload: (@Sendable () throws -> Rulebook)? = nil,
        connector: (any Connector)? = nil, delivery: DeliverySettings = DeliverySettings(), slack: SlackNotifier? = nil,
        logger: Logger
    ) {
        self.settings = settings
        self.rulebook = rulebook
        self.store = store
        self.reload = reload
        self.connector = connector
        self.delivery = delivery
        self.slack = slack
        self.logger = logger
    }
}

/// Builds the server: routes, middleware and background services, in one visible place.
public func buildApplication<Store: ReviewStore>(
    _ environment: ServerEnvironment<Store>, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let settings = environment.settings
    let parts = try ServerParts(environment)
    let router = buildRouter(parts)
    var services: [any Service] = []
    if let reload = environment.reload {
        services.append(
            RulebookReloader(
                pool: parts.pool, tokens: parts.tokens, started: try? ServerSettings.load(from: environment.rulebook.configuration),
                load: reload,
                metrics: parts.metrics, logger: environment.logger))
    }
    if settings.deliveryInterval > 0, let connector = environment.connector {
        let logger = environment.logger
        let notifier = environment.slack.map { StaffNotifier(slack: $0, metrics: parts.metrics, logger: logger) }
        let deliverer = Deliverer(
            store: environment.store, connector: connector, retry: environment.delivery.retry,
            lease: Delivery.defaultLease(environment.delivery),
            holdingFailed: { entry, error in
                logger.error(
                    "holding reply not delivered",
                    metadata: ["bedside.queue.id": "\(entry.queueID ?? "-")", "bedside.delivery.error": "\(error)"])
                notifier?.holdingFailed(entry, error: error)
            })
        let delivery = DeliveryService(deliverer, every: .milliseconds(Int(settings.deliveryInterval * 1000)))
        services.append(OutboxService(delivery: delivery, metrics: parts.metrics, logger: logger))
    }
    let http1 = HTTP1Channel.Configuration(idleTimeout: TimeAmount.milliseconds(Int64(settings.idleTimeout * 1000)))
    return Application(
        router: router,
        server: .http1(configuration: http1),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "bedside"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: environment.logger)
}

/// The shared pieces the controllers are made from.
struct ServerParts<Store: ReviewStore>: Sendable {
    let environment: ServerEnvironment<Store>
    let pool: ClassifierPool
    let tokens: LiveTokens
    let metrics: ServerMetrics
    let inFlight: InFlightLimit
    let decider: Decider<Store>
    let reader: BodyReader
    let signer: StandardWebhooks?

    init(_ environment: ServerEnvironment<Store>) throws {
        let settings = environment.settings
        self.environment = environment
        pool = ClassifierPool(rulebook: environment.rulebook, keep: settings.classifiers)
        tokens = LiveTokens(settings.tokens)
        let metrics = ServerMetrics(rulebook: environment.rulebook)
        self.metrics = metrics
        metrics.rulebook(environment.rulebook.version)
        inFlight = InFlightLimit(limit: settings.maxInFlight)
        let notifier = environment.slack.map { StaffNotifier(slack: $0, metrics: metrics, logger: environment.logger) }
        decider = Decider(
            pool: pool,
            batcher: RecordBatcher(store: environment.store, maxBatch: settings.maxBatch) { _, took in metrics.committed(in: took) },
            store: environment.store, metrics: metrics, notifier: notifier, logger: environment.logger)
        reader = BodyReader(limit: settings.bodyLimit, timeout: .milliseconds(Int(settings.readTimeout * 1000)))
        if let secret = settings.webhookSecret {
            do {
                signer = try StandardWebhooks(secret: secret)
            } catch {
                throw ServerSetupError("$BEDSIDE_WEBHOOK_SECRET is not a Standard Webhooks secret ('whsec_' followed by base64)")
            }
        } else {
            signer = nil
        }
    }
}

/// The router: operations routes, the inbound webhooks behind backpressure, the review API.
func buildRouter<Store: ReviewStore>(_ parts: ServerParts<Store>) -> Router<BasicRequestContext> {
    let settings = parts.environment.settings
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: NoStoreMiddleware())
    router.add(middleware: ErrorMiddleware())
    let store = parts.environment.store
    OperationsController(metrics: parts.metrics, inFlight: parts.inFlight, pool: parts.pool) { metrics in
        metrics.queue(try await store.items(ReviewFilter.pending))
    }.addRoutes(to: router)
    let inbound = router.group().add(middleware: BackpressureMiddleware(limit: parts.inFlight, metrics: parts.metrics))
    MessageController(
        decider: parts.decider, signer: parts.signer, tolerance: settings.timestampTolerance, reader: parts.reader,
        metrics: parts.metrics, clock: parts.environment.clock
    ).addRoutes(to: inbound)
    MetaWebhookController(
        decider: parts.decider, verifyToken: settings.metaVerifyToken, appSecret: settings.metaAppSecret, reader: parts.reader,
        metrics: parts.metrics
    ).addRoutes(to: inbound)
    ReviewController(store: parts.environment.store, tokens: parts.tokens, pool: parts.pool, reader: parts.reader, metrics: parts.metrics)
        .addRoutes(to: router.group())
    ReviewConsoleController(timeZone: parts.environment.rulebook.practice.timeZone).addRoutes(to: router)
    return router
}

/// The server cannot start (a malformed secret, say). Never quotes a secret.
public struct ServerSetupError: Error, CustomStringConvertible, Sendable {
    /// Why the server could not start, without any secret.
    public var description: String
    init(_ description: String) { self.description = description }
}
