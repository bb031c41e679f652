/// Who is acting on the review queue, and what they may do.
public struct Reviewer: Sendable, Hashable {
    /// The name recorded as the actor of everything they do.
    public var name: String
    /// What they may do (see ``ReviewDesk``).
    public var role: StaffToken.Role

    /// Creates a reviewer.
    public init(name: String, role: StaffToken.Role) {
        self.name = name
        self.role = role
    }
}
