import BedsideStore
import Synchronization

/// The staff tokens in force: read on every API request, replaced when SIGHUP reloads
/// `bedside.yaml`, so a removed token stops working and a new one works without a restart.
final class LiveTokens: Sendable {
    private let current: Mutex<StaffTokens>

    init(_ tokens: StaffTokens) { current = Mutex(tokens) }

    /// The staff member a presented token belongs to, among the tokens in force now.
    func authenticate(_ presented: String) -> StaffToken? {
        current.withLock { $0 }.authenticate(presented)
    }

    /// Puts a reloaded list in force.
    func replace(_ tokens: StaffTokens) { current.withLock { $0 = tokens } }
}
