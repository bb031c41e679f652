import BedsideCore
import Foundation

/// Why the desk refused a change. Messages name the item and the check, never the words found.
public enum ReviewRefusal: Error, LocalizedError, Sendable, Equatable {
    /// There is no text to send: no draft and none given.
    case noReplyText(id: String)
    /// The reply guard refused the text; `findings` are `check: reason`, as the audit trail has them.
    case guardRefused(id: String, findings: [String], violations: [ReplyGuard.Violation])
    /// An override was asked for by someone who may not override.
    case overrideNotAllowed(id: String, findings: [String])
    /// A rejection without a reason.
    case reasonRequired(id: String)
    /// An assignment to nobody.
    case assigneeRequired(id: String)

    /// What was refused and what to do instead.
    public var errorDescription: String? {
        switch self {
        case .noReplyText(let id):
            return "item \(id) has no reply text: there is no draft; give the text to send; nothing was queued"
        case .guardRefused(let id, _, _):
            return
                "the reply guard refuses this text for item \(id); change it (an admin may override with a justification); nothing was queued"
        case .overrideNotAllowed(let id, _):
            return "only an admin may override the reply guard (item \(id)); nothing was queued"
        case .reasonRequired(let id):
            return "item \(id) needs a reason to be rejected (it goes into the audit trail); nothing was changed"
        case .assigneeRequired(let id):
            return "item \(id) needs a person to be assigned to; nothing was changed"
        }
    }
}
