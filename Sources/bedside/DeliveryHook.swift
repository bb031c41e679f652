import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation

/// Sends every reply that is due now through the configured connector — by default it appends
/// each one to `outbox.jsonl` next to the store (CONTRACT.md, "Delivery").
///
/// The one call site for delivery from the other commands: `bedside run` calls it after each
/// batch of decisions is committed, and `bedside queue approve` after an approval is committed.
/// It never throws: a delivery problem is reported on stderr and the entry stays in the outbox for
/// `bedside deliver` to retry, so the command that queued it still succeeds.
///
/// Only the outbox-file connector delivers here, in batches (one claim, one append and `fsync`, one
/// transaction marking them delivered for up to ``Deliverer/defaultBatchSize`` replies): network
/// connectors (webhook, meta) can take a timeout and a backoff per reply, so their replies wait for
/// `bedside deliver` (or `--watch`).
///
/// - Parameters:
///   - store: the store the replies were committed to.
///   - configuration: the loaded `bedside.yaml` (its `delivery` section names the connector).
///   - storeFolder: the folder the store file is in (the outbox file is kept beside it).
func deliverDueReplies<Store: ReviewStore>(store: Store, configuration: Configuration, storeFolder: String) async {
    let settings: DeliverySettings
    do {
        settings = try DeliverySettings.load(from: configuration)
    } catch {
        for diagnostic in error.diagnostics { StandardError.print(diagnostic.description) }
        StandardError.print("bedside: replies stay in the outbox until the 'delivery' section is fixed")
        return
    }
    guard settings.connector == .outboxFile else { return }
    do {
        let connector = try Delivery.connector(settings, storeFolder: storeFolder)
        let deliverer = Deliverer(store: store, connector: connector, retry: settings.retry, lease: Delivery.defaultLease(settings))
        let report = try await deliverer.drainOnce()
        if report.retrying + report.deadLettered > 0 {
            StandardError.print("bedside: outbox: \(report.summary) (see `bedside deliver`)")
        }
    } catch let error as ConnectorSetupError {
        StandardError.print("bedside: delivery: \(error.description)")
    } catch {
        StandardError.print("bedside: delivery: \(error.localizedDescription); replies stay in the outbox")
    }
}
