import BedsideCore
import BedsideStore
import Foundation

/// Runs ``deliverDueReplies(store:configuration:storeFolder:)`` in the background whenever a commit
/// queued replies, one drain at a time; signals that arrive during a drain fold into one more.
final class StoreDeliveryPump: Sendable {
    private let continuation: AsyncStream<Void>.Continuation
    private let task: Task<Void, Never>

    init(store: any ReviewStore, storeFolder folder: String, configuration: Configuration) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.continuation = continuation
        task = Task {
            for await _ in stream {
                await deliverDueReplies(store: store, configuration: configuration, storeFolder: folder)
            }
        }
    }

    /// Asks for a drain (cheap; never blocks).
    func signal() { continuation.yield() }

    /// Waits for the last drain to finish.
    func finish() async {
        continuation.finish()
        await task.value
    }
}
