import BedsideCore
import BedsideStore
import Foundation
import Hummingbird

/// The review API: `GET /v1/queue`, `GET /v1/queue/{id}`, `POST /v1/queue/{id}/approve|reject`,
/// for staff with a bearer token. The same rules as `bedside queue`: the token's name is the actor,
/// the first to act wins (409 for the second), a reply the guard refuses is 422 unless an admin
/// overrides it with a justification, which goes into the audit trail.
struct ReviewController<Store: ReviewStore>: Sendable {
    let store: Store
    let tokens: LiveTokens
    let pool: ClassifierPool
    let reader: BodyReader
    let metrics: ServerMetrics

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("/v1/queue") { request, _ in try await list(request) }
        group.get("/v1/queue/:id") { request, context in try await show(request, id: try context.parameters.require("id")) }
        group.post("/v1/queue/:id/approve") { request, context in try await approve(request, id: try context.parameters.require("id")) }
        group.post("/v1/queue/:id/reject") { request, context in try await reject(request, id: try context.parameters.require("id")) }
        group.post("/v1/outbox/:key/retry") { request, context in try await retry(request, key: try context.parameters.require("key")) }
    }

    /// The staff member a request's bearer token belongs to, or 401.
    func authenticate(_ request: Request) throws -> StaffToken {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            metrics.rejected("missing-token", endpoint: "queue")
            throw APIError.unauthorized("missing-token", "send Authorization: Bearer TOKEN (see `bedside token new`)")
        }
        guard let staff = tokens.authenticate(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
            metrics.rejected("bad-token", endpoint: "queue")
            throw APIError.unauthorized("bad-token", "this token is not configured under 'tokens:' in bedside.yaml")
        }
        return staff
    }

    func list(_ request: Request) async throws -> Response {
        _ = try authenticate(request)
        let query = request.uri.queryParameters
        var filter = ReviewFilter.pending
        if let status = query.get("status") {
            if status == "all" {
                filter.statuses = nil
            } else {
                var statuses = Set<ReviewItem.Status>()
                for name in status.split(separator: ",") {
                    guard let parsed = ReviewItem.Status(rawValue: String(name)) else {
                        throw APIError.badRequest("bad-status", "status must be 'all' or among pending, approved, edited, rejected, sent, failed")
                    }
                    statuses.insert(parsed)
                }
                filter.statuses = statuses
            }
        }
        if let category = query.get("category") { filter.categoryPrefix = category }
        if query.get("urgent") == "true" { filter.urgentOnly = true }
        if let limit = query.get("limit") {
            guard let n = Int(limit), n > 0 else { throw APIError.badRequest("bad-limit", "limit must be a whole number above 0") }
            filter.limit = n
        }
        return try Self.encode(try await store.items(filter))
    }

    func show(_ request: Request, id: String) async throws -> Response {
        _ = try authenticate(request)
        guard let item = try await store.item(id) else { throw Self.notFound(id) }
        let deliveries = try await store.deliveries(forItem: id).map(DeliveryState.init)
        return try Self.encode(Shown(item: item, history: try await store.history(id), deliveries: deliveries))
    }

    struct Shown: Encodable {
        var item: ReviewItem
        var history: [AuditEntry]
        /// What became of the item's replies: queued, sent, retrying or failed.
        var deliveries: [DeliveryState]
    }

    /// `POST /v1/outbox/KEY/retry`: resends a dead-lettered reply (as `bedside deliver --retry KEY`).
    func retry(_ request: Request, key: String) async throws -> Response {
        let staff = try authenticate(request)
        let entry = try await perform { try await store.retryDelivery(key, by: staff.name) }
        metrics.reviewed("retry-delivery")
        return try Self.encode(DeliveryState(entry))
    }

    struct ApproveBody: Decodable {
        var reply: String?
        var `override`: String?
    }

    func approve(_ request: Request, id: String) async throws -> Response {
        let staff = try authenticate(request)
        let body: ApproveBody = try await decodeOptional(request) ?? ApproveBody()
        guard let item = try await store.item(id) else { throw Self.notFound(id) }
        guard let text = body.reply ?? item.draft, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError(.unprocessableContent, "no-reply", "item \(id) has no draft; send {\"reply\": \"…\"}")
        }
        let incoming = item.text.map { Message(id: item.messageID, text: $0, author: item.author, platform: item.platform, thread: item.thread) }
        let violations = pool.with { $0.guardViolations(text, answering: incoming) }
        let findings = violations.map { "\($0.check): \($0.reason)" }
        var justified: String?
        if !violations.isEmpty {
            guard let justification = body.override?.trimmingCharacters(in: .whitespacesAndNewlines), !justification.isEmpty else {
                var error = APIError(.unprocessableContent, "reply-guard", "the reply guard refused this text; change it (admins may override with a justification)")
                error.extra["reasons"] = findings
                throw error
            }
            guard staff.role == .admin else {
                var error = APIError(.forbidden, "override-not-allowed", "only an admin may override the reply guard")
                error.extra["reasons"] = findings
                throw error
            }
            justified = justification
        }
        let changed = try await perform { try await store.approve(id, text: text, by: staff.name, override: justified, guardFindings: findings) }
        metrics.reviewed(justified == nil ? "approve" : "approve-override")
        return try Self.encode(changed)
    }

    struct RejectBody: Decodable {
        var reason: String?
    }

    func reject(_ request: Request, id: String) async throws -> Response {
        let staff = try authenticate(request)
        let body: RejectBody = try await decodeOptional(request) ?? RejectBody()
        let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        let changed = try await perform {
            try await store.reject(id, reason: reason?.isEmpty == false ? reason! : "no reply needed", by: staff.name)
        }
        metrics.reviewed("reject")
        return try Self.encode(changed)
    }

    /// Runs a store change, answering its refusals: 404 unknown, 409 conflict, 422 empty.
    func perform<T>(_ change: () async throws -> T) async throws -> T {
        do {
            return try await change()
        } catch let error as ReviewStoreError {
            switch error {
            case .notFound(let id): throw Self.notFound(id)
            case .conflict: throw APIError(.conflict, "conflict", error.errorDescription ?? "the item is no longer pending")
            case .emptyReply: throw APIError(.unprocessableContent, "no-reply", error.errorDescription ?? "the reply is empty")
            case .unknownDelivery(let key): throw APIError(.notFound, "not-found", "no reply with the key \(key)")
            case .notFailed: throw APIError(.conflict, "not-failed", error.errorDescription ?? "only a failed reply can be resent")
            case .unavailable: throw error
            }
        }
    }

    /// A JSON body, or `nil` when there is none.
    func decodeOptional<T: Decodable>(_ request: Request) async throws -> T? {
        let buffer = try await reader.read(request)
        guard buffer.readableBytes > 0 else { return nil }
        try BodyReader.requireJSON(request)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch {
            throw APIError.badRequest("invalid-json", "the body must be a JSON object")
        }
    }

    static func notFound(_ id: String) -> APIError { APIError(.notFound, "not-found", "no review item \(id)") }

    static func encode(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
