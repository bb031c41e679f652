import ArgumentParser
import BedsideCore
import BedsideDelivery
import BedsideServer
import BedsideStore
import Foundation
import Hummingbird
import Logging

extension Bedside {
    /// The webhook receiver and review API.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Receive messages over HTTP (signed webhooks, Meta), decide them, and serve the review API.",
            discussion: """
                Secrets come from the environment only: BEDSIDE_WEBHOOK_SECRET (whsec_…, for POST /v1/messages), \
                BEDSIDE_META_VERIFY_TOKEN and BEDSIDE_META_APP_SECRET (for /v1/webhooks/meta). Staff tokens for \
                /v1/queue are configured as SHA-256 hashes under 'tokens:' in bedside.yaml (see 'bedside token new').

                Per deployment, BEDSIDE_HOST, BEDSIDE_PORT and BEDSIDE_LOG_LEVEL may replace server.host, \
                server.port and server.log_level (a flag wins over both). Examples:
                  bedside serve --config /etc/bedside/bedside.yaml
                  BEDSIDE_PORT=9000 bedside serve --log-level debug

                SIGHUP reloads the rulebook (kept as it was if the new one fails to load or its examples fail); \
                SIGTERM finishes the requests in flight and exits. Logs are JSON lines on stderr, without message text.
                """
        )

        @OptionGroup var rulebook: RulebookOptions

        @Option(name: .long, help: "The address to listen on (default: $BEDSIDE_HOST, else server.host, else 127.0.0.1).")
        var host: String?

        @Option(name: .long, help: "The port to listen on; 0 picks a free one (default: $BEDSIDE_PORT, else server.port, else 8080).")
        var port: Int?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The review store: a SQLite path, a postgres:// URL, or :memory: (default: $BEDSIDE_STORE, else policy.store next to the configuration).",
                valueName: "path|url"))
        var store: String?

        @Option(
            name: .long,
            help:
                "Log level: trace, debug, info, notice, warning, error, critical (default: $BEDSIDE_LOG_LEVEL, else server.log_level, else info)."
        )
        var logLevel: String?

        func validate() throws {
            if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
            if let logLevel, Logger.Level(rawValue: logLevel) == nil {
                throw ValidationError("unknown --log-level '\(logLevel)'; use one of \(ServerSettings.logLevels.joined(separator: ", "))")
            }
        }

        func run() async throws {
            let loaded = try rulebook.load()
            var settings: ServerSettings
            do {
                settings = try ServerSettings.load(from: loaded.configuration, environment: ProcessInfo.processInfo.environment)
            } catch {
                for diagnostic in error.diagnostics { StandardError.print(diagnostic.description) }
                throw ExitCode(2)
            }
            if let host { settings.host = host }
            if let port { settings.port = port }
            if let level = logLevel.flatMap(Logger.Level.init(rawValue:)) { settings.logLevel = level }
            let level = settings.logLevel
            LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
            let logger = Logger(label: "bedside")
            let delivery: DeliverySettings
            do {
                delivery = try DeliverySettings.load(from: loaded.configuration)
            } catch {
                StandardError.print("\(error)")
                throw ExitCode(2)
            }
            let configFolder = (rulebook.configPath as NSString).deletingLastPathComponent
            // the same resolution as every other command (sqlite: paths, postgres:// URLs, $BEDSIDE_STORE)
            let location: StoreLocation
            do {
                location =
                    store == ":memory:"
                    ? .sqlite(path: ":memory:") : try StoreSelection.location(given: store, configuration: loaded.configuration)
            } catch {
                StandardError.print("bedside serve: \(error.message)")
                throw ExitCode(2)
            }
            let (configPath, rulesDirectory, responsesDirectory) = (rulebook.configPath, rulebook.rules, rulebook.responses)
            let reload: @Sendable () throws -> Rulebook = {
                try Rulebook.load(
                    try RulebookFiles.read(
                        configuration: configPath, rulesDirectory: rulesDirectory, responsesDirectory: responsesDirectory))
            }
            if location == .sqlite(path: ":memory:") {
                try await serve(
                    settings, loaded, MemoryReviewStore(), storeFolder: configFolder, delivery: delivery, reload: reload, logger: logger)
            } else {
                let opened: any ReviewStore
                do {
                    opened = try await StoreSelection.open(location)
                } catch {
                    StandardError.print("bedside: \(error.localizedDescription)")
                    throw ExitCode(2)
                }
                let folder = StoreSelection.folder(location, configuration: loaded.configuration)
                try await serve(settings, loaded, opened, storeFolder: folder, delivery: delivery, reload: reload, logger: logger)
            }
        }

        func serve<Store: ReviewStore>(
            _ settings: ServerSettings, _ rulebook: Rulebook, _ store: Store, storeFolder: String, delivery: DeliverySettings,
            reload: @escaping @Sendable () throws -> Rulebook, logger: Logger
        ) async throws {
            let connector: any Connector
            let slack: SlackNotifier?
            do {
                connector = try Delivery.connector(delivery, storeFolder: storeFolder)
                slack = try Delivery.slackNotifier(delivery)
            } catch {
                StandardError.print("bedside: \(error.description)")
                throw ExitCode(2)
            }
            var environment = ServerEnvironment(
                settings: settings, rulebook: rulebook, store: store, reload: reload, connector: connector, delivery: delivery,
                slack: slack, logger: logger)
            environment.settings = settings
            if settings.webhookSecret == nil {
                logger.warning("BEDSIDE_WEBHOOK_SECRET is not set: POST /v1/messages answers 401")
            }
            let app: any ApplicationProtocol
            do {
                app = try buildApplication(environment) { port in
                    logger.info("listening", metadata: ["bedside.host": "\(settings.host)", "bedside.port": "\(port)"])
                    let line = Array("listening on \(settings.host):\(port)\n".utf8)
                    line.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
                }
            } catch {
                StandardError.print("bedside: \(error)")
                throw ExitCode(2)
            }
            try await app.runService()
            logger.info("stopped")
        }
    }
}
