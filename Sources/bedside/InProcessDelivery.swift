import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation

/// Delivery from inside the commands that queue replies: `bedside run` signals it after each batch
/// of decisions is committed, and `bedside queue approve` drains it once after an approval. By
/// default it appends each reply to `outbox.jsonl` next to the store (README.md, "Delivery").
///
/// Only the outbox-file connector delivers here, in batches (one claim, one append and `fsync`, one
/// transaction marking them delivered for up to ``Deliverer/defaultBatchSize`` replies): network
/// connectors (webhook, meta) can take a timeout and a backoff per reply, so their replies wait for
/// `bedside deliver` (or `--watch`). A delivery problem never fails the command that queued the
/// reply: it is reported on stderr and the entry stays in the outbox for `bedside deliver`.
enum InProcessDelivery {
    /// The delivery loop for replies queued by this process, or `nil` when they are left to
    /// `bedside deliver` (a network connector, or a `delivery` section that does not load — said on stderr).
    ///
    /// - Parameters:
    ///   - configuration: the loaded `bedside.yaml` (its `delivery` section names the connector).
    ///   - storeFolder: the folder the store file is in (the outbox file is kept beside it).
    static func service<Store: ReviewStore>(store: Store, configuration: Configuration, storeFolder: String) -> DeliveryService<Store>? {
        let settings: DeliverySettings
        do {
            settings = try DeliverySettings.load(from: configuration)
        } catch {
            for diagnostic in error.diagnostics { StandardError.print(diagnostic.description) }
            StandardError.print("bedside: replies stay in the outbox until the 'delivery' section is fixed")
            return nil
        }
        guard settings.connector == .outboxFile else { return nil }
        do {
            let connector = try Delivery.connector(settings, storeFolder: storeFolder)
            return DeliveryService(
                Deliverer(store: store, connector: connector, retry: settings.retry, lease: Delivery.defaultLease(settings)))
        } catch {
            StandardError.print("bedside: delivery: \(error.description)")
            return nil
        }
    }

    /// Runs the loop until it is finished, saying on stderr what did not go out.
    static func run<Store: ReviewStore>(_ service: DeliveryService<Store>) async {
        _ = try? await service.run(
            passed: { report in
                if report.retrying + report.deadLettered > 0 {
                    StandardError.print("bedside: outbox: \(report.summary) (see `bedside deliver`)")
                }
            },
            failed: { error in
                StandardError.print("bedside: delivery: \(error.localizedDescription); replies stay in the outbox")
            })
    }

    /// A delivery loop started in this process, whatever kind of store it delivers from.
    struct Running: Sendable {
        /// Wakes the loop: replies were queued.
        let signal: @Sendable () -> Void
        /// Lets the loop finish what is due and stop.
        let finish: @Sendable () -> Void
        /// Ends when the loop has stopped.
        let done: Task<Void, Never>
    }

    /// Starts the loop for `store`, or `nil` when its replies are left to `bedside deliver`.
    static func start<Store: ReviewStore>(store: Store, configuration: Configuration, storeFolder: String) -> Running? {
        guard let service = service(store: store, configuration: configuration, storeFolder: storeFolder) else { return nil }
        return Running(signal: service.signal, finish: service.finish, done: Task { await run(service) })
    }

    /// Delivers what is due now, once.
    static func drainOnce<Store: ReviewStore>(store: Store, configuration: Configuration, storeFolder: String) async {
        guard let service = service(store: store, configuration: configuration, storeFolder: storeFolder) else { return }
        service.signal()
        service.finish()
        await run(service)
    }
}
