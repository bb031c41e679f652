import BedsideCore
import BedsideStore
import Foundation
import Hummingbird

/// The review API: `GET /v1/queue`, `GET /v1/queue/{id}`, `POST /v1/queue/{id}/approve|reject|assign`,
/// for staff with a bearer token. The token says who acts and in which role; what they may do is
/// decided by ``ReviewDesk``, as for `bedside queue`: the first to act wins (409 for the second), a
/// reply the guard refuses is 422 unless an admin overrides it with a justification (403 for
/// anyone else), and a rejection needs a reason (422).
struct ReviewController<Store: ReviewStore>: Sendable {
    let store: Store
    let tokens: LiveTokens
    let pool: ClassifierPool
    let reader: BodyReader
    let metrics: ServerMetrics

    /// Where every change to an item is decided.
    var desk: ReviewDesk {
        let pool = self.pool
        return ReviewDesk(store: store) { text, message in pool.with { $0.guardViolations(text, answering: message) } }
    }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("/v1/queue") { request, _ in try await list(request) }
        group.get("/v1/queue/:id") { request, context in try await show(request, id: try context.parameters.require("id")) }
        group.post("/v1/queue/:id/approve") { request, context in try await approve(request, id: try context.parameters.require("id")) }
        group.post("/v1/queue/:id/reject") { request, context in try await reject(request, id: try context.parameters.require("id")) }
        group.post("/v1/queue/:id/assign") { request, context in try await assign(request, id: try context.parameters.require("id")) }
        group.post("/v1/outbox/:key/retry") { request, context in try await retry(request, key: try context.parameters.require("key")) }
    }

    /// The staff member a request's bearer token belongs to, or 401.
    func authenticate(_ request: Request) throws -> Reviewer {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            metrics.rejected("missing-token", endpoint: "queue")
            throw APIError.unauthorized("missing-token", "send Authorization: Bearer TOKEN (see `bedside token new`)")
        }
        guard let staff = tokens.authenticate(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
            metrics.rejected("bad-token", endpoint: "queue")
            throw APIError.unauthorized("bad-token", "this token is not configured under 'tokens:' in bedside.yaml")
        }
        return Reviewer(name: staff.name, role: staff.role)
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
                        throw APIError.badRequest(
                            "bad-status", "status must be 'all' or among pending, approved, edited, rejected, sent, failed")
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
        try await change(request, ApproveBody()) { staff, body in
            let approval = try await desk.approve(id, reply: body.reply, override: body.override, by: staff)
            return (approval.item, approval.override == nil ? "approve" : "approve-override")
        }
    }

    struct RejectBody: Decodable {
        var reason: String?
    }

    func reject(_ request: Request, id: String) async throws -> Response {
        try await change(request, RejectBody()) { staff, body in (try await desk.reject(id, reason: body.reason, by: staff), "reject") }
    }

    struct AssignBody: Decodable {
        var to: String?
    }

    /// `POST /v1/queue/ID/assign` with `{"to": "name"}`, or no body to take the item oneself.
    func assign(_ request: Request, id: String) async throws -> Response {
        try await change(request, AssignBody()) { staff, body in (try await desk.assign(id, to: body.to, by: staff), "assign") }
    }

    /// One change to an item by the token's owner: the body (or `empty` when none is sent), the
    /// desk's decision, the count of what was done, and the item as it is now.
    func change<Body: Decodable>(
        _ request: Request, _ empty: Body, _ act: (Reviewer, Body) async throws -> (item: ReviewItem, metric: String)
    ) async throws -> Response {
        let staff = try authenticate(request)
        let body: Body = try await decodeOptional(request) ?? empty
        let done = try await perform { try await act(staff, body) }
        metrics.reviewed(done.metric)
        return try Self.encode(done.item)
    }

    /// Runs a store change, answering its refusals: 404 unknown, 409 conflict, 422 empty.
    func perform<T>(_ change: () async throws -> T) async throws -> T {
        do {
            return try await change()
        } catch let refusal as ReviewRefusal {
            let message = refusal.errorDescription ?? "refused"
            switch refusal {
            case .noReplyText: throw APIError(.unprocessableContent, "no-reply", message)
            case .reasonRequired: throw APIError(.unprocessableContent, "reason-required", message)
            case .assigneeRequired: throw APIError(.unprocessableContent, "assignee-required", message)
            case .guardRefused(_, let findings, _):
                var error = APIError(.unprocessableContent, "reply-guard", message)
                error.extra["reasons"] = findings
                throw error
            case .overrideNotAllowed(_, let findings):
                var error = APIError(.forbidden, "override-not-allowed", message)
                error.extra["reasons"] = findings
                throw error
            }
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
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
