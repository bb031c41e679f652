import ArgumentParser
import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation

extension Bedside {
    /// Sends due replies from the outbox through the configured connector, once or as a service.
    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send due replies from the outbox (once, or --watch as a service).",
            discussion: """
                The connector is `delivery.connector` in bedside.yaml: outbox-file (the default: append to \
                outbox.jsonl next to the store), webhook (signed per Standard Webhooks) or meta (Graph API \
                replies). Failed attempts are retried with exponential backoff and full jitter; after the \
                last attempt, or at once on a permanent failure (HTTP 4xx other than 408/429), an entry is \
                dead-lettered (status failed). Secrets come from the environment variables the YAML names.

                Prints one summary line to stderr (delivered, retrying, dead-lettered); --json prints it \
                as JSON on stdout. --watch drains every --interval (5s) until SIGINT or SIGTERM, finishing \
                the reply in flight first.
                """
        )

        @OptionGroup var rulebook: RulebookOptions
        @OptionGroup var storeOptions: StoreOptions

        @Flag(name: .long, help: "Keep draining until SIGINT or SIGTERM.")
        var watch = false

        @Option(
            name: .long, help: ArgumentHelp("Time between drains with --watch (500ms, 5s, 1m).", valueName: "duration"),
            transform: TimeSpan.argument)
        var interval = TimeSpan(seconds: 5)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "How long a claimed entry is reserved (default: twice the timeout plus 5s; 30s for the outbox file).", valueName: "duration"
            ),
            transform: TimeSpan.argument)
        var lease: TimeSpan?

        @Flag(name: .long, help: "Print the summary as a JSON object on stdout.")
        var json = false

        @Flag(name: .long, help: "List the dead-lettered replies (never their text) instead of delivering.")
        var failed = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Resend a dead-lettered reply (its idempotency key, from --failed or `queue show`), then deliver.", valueName: "key"))
        var retry: String?

        @Option(
            name: .customLong("as"),
            help: ArgumentHelp("Who resends (for the item's history; default $BEDSIDE_REVIEWER).", valueName: "name"))
        var actor: String?

        func validate() throws {
            guard interval.seconds > 0, interval.seconds <= 3600 else {
                throw ValidationError("--interval must be above 0 and at most 1h, not \(interval)")
            }
            if let lease, lease.seconds <= 0 { throw ValidationError("--lease must be above 0s, not \(lease)") }
        }

        func run() async throws {
            let stop = StopFlag()
            if watch { stop.install() }
            let book = try rulebook.load()
            let settings: DeliverySettings
            do {
                settings = try DeliverySettings.load(from: book.configuration)
            } catch {
                for diagnostic in error.diagnostics { StandardError.print(diagnostic.description) }
                StandardError.print("bedside deliver: the delivery section did not load")
                throw ExitCode(2)
            }
            try await deliver(
                with: try await storeOptions.open(configuration: book.configuration, command: "deliver"), book: book, settings: settings,
                stop: stop)
        }

        /// Lists, resends or delivers with the opened store (of whichever kind).
        func deliver<Store: ReviewStore>(with store: Store, book: Rulebook, settings: DeliverySettings, stop: StopFlag) async throws {
            if failed { return try await listFailed(store) }
            if let retry {
                let who =
                    actor ?? ProcessInfo.processInfo.environment["BEDSIDE_REVIEWER"].flatMap { $0.isEmpty ? nil : $0 } ?? "bedside deliver"
                do {
                    _ = try await store.retryDelivery(retry, by: who)
                } catch let error as ReviewStoreError {
                    StandardError.print("bedside deliver: \(error.localizedDescription)")
                    throw ExitCode(1)
                }
                StandardError.print("bedside deliver: \(retry) queued again")
            }
            let folder = storeOptions.folder(configuration: book.configuration)
            let connector: any Connector
            do {
                connector = try Delivery.connector(settings, storeFolder: folder)
            } catch {
                StandardError.print("bedside deliver: \(error.description)")
                throw ExitCode(2)
            }
            let slack = (try? Delivery.slackNotifier(settings)) ?? nil
            let deliverer = Deliverer(
                store: store, connector: connector, retry: settings.retry, lease: lease?.seconds ?? Delivery.defaultLease(settings),
                concurrency: settings.connector == .outboxFile ? 1 : 4,
                holdingFailed: { entry, error in
                    StandardError.print(
                        "bedside deliver: URGENT: the holding reply for \(entry.queueID ?? entry.messageID) was not delivered (\(error)); "
                            + "reach the writer another way, or resend with `bedside deliver --retry \(entry.idempotencyKey)`")
                    if let slack, let queueID = entry.queueID { await slack.notifyHoldingFailed(queueID: queueID, error: error) }
                })

            let total: DeliveryReport
            if watch {
                let service = DeliveryService(deliverer, every: interval.duration)
                stop.onRaise = { service.finish() }
                total = try await service.run(shouldStop: { stop.isSet }) { report in
                    if report != DeliveryReport() { StandardError.print("bedside deliver: \(report.summary)") }
                }
            } else {
                total = try await deliverer.drainOnce()
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(total), as: UTF8.self))
            }
            StandardError.print("bedside deliver: \(watch ? "stopped; in all " : "")\(total.summary) (\(connector.name))")
            // An urgent holding reply that did not go out is not a success, whatever else was sent.
            if total.holdingFailed > 0 { throw ExitCode(1) }
        }
    }
}

extension Bedside.Deliver {
    /// Prints dead letters: key, message, platform, queue item, attempts and the last error.
    func listFailed(_ store: some ReviewStore) async throws {
        let entries = try await store.outbox(status: .failed)
        if json {
            let objects: [[String: Any]] = entries.map {
                [
                    "idempotency_key": $0.idempotencyKey, "message_id": $0.messageID, "platform": $0.platform ?? NSNull(),
                    "queue_id": $0.queueID ?? NSNull(), "kind": $0.kind, "attempts": $0.attempts, "last_error": $0.lastError ?? NSNull(),
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for entry in entries {
            let fields = [
                entry.idempotencyKey, entry.messageID, entry.platform ?? "-", entry.queueID ?? "-", "\(entry.attempts)",
                entry.lastError ?? "",
            ]
            print(fields.joined(separator: "\t"))
        }
        StandardError.print("bedside deliver: \(entries.count) dead-lettered repl\(entries.count == 1 ? "y" : "ies")")
    }
}

/// Set by SIGINT or SIGTERM: the watch loop finishes the reply in flight, then stops.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    private var sources: [DispatchSourceSignal] = []
    /// Told once when the flag is set (to wake a waiting loop).
    var onRaise: @Sendable () -> Void {
        get { lock.withLock { raised } }
        set { lock.withLock { raised = newValue } }
    }
    private var raised: @Sendable () -> Void = {}

    var isSet: Bool { lock.withLock { set } }

    /// Replaces the default (kill) action of SIGINT and SIGTERM with setting the flag.
    func install() {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signo in [SIGINT, SIGTERM] {
            sigaddset(&mask, signo)
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { [weak self] in self?.raise() }
            source.resume()
            sources.append(source)
        }
        // A parent may have started us with these blocked.
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    }

    func raise() {
        let tell = lock.withLock {
            set = true
            return raised
        }
        tell()
    }
}
