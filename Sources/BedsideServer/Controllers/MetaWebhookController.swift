import BedsideCore
import BedsideStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /v1/webhooks/meta` (the subscription challenge) and `POST /v1/webhooks/meta` (signed event
/// deliveries from Facebook pages, Instagram and Messenger).
struct MetaWebhookController<Store: ReviewStore>: Sendable {
    let decider: Decider<Store>
    let verifyToken: String?
    let appSecret: String?
    let reader: BodyReader
    let metrics: ServerMetrics

    static var signatureHeader: HTTPField.Name { HTTPField.Name("X-Hub-Signature-256")! }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("/v1/webhooks/meta") { request, _ in try challenge(request) }
        group.post("/v1/webhooks/meta") { request, context in
            do {
                return try await receive(request, logger: context.logger)
            } catch let error as APIError {
                metrics.rejected(error.code, endpoint: "meta")
                throw error
            }
        }
    }

    /// Meta's subscription check: echo `hub.challenge` when `hub.verify_token` matches, else 403.
    func challenge(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        guard let verifyToken else {
            throw APIError(.forbidden, "not-configured", "this server has no $BEDSIDE_META_VERIFY_TOKEN")
        }
        guard query.get("hub.mode") == "subscribe", let presented = query.get("hub.verify_token"),
            StaffTokens.constantTimeEqual(Array(presented.utf8), Array(verifyToken.utf8)),
            let challenge = query.get("hub.challenge")
        else {
            throw APIError(.forbidden, "bad-verify-token", "hub.mode must be 'subscribe' and hub.verify_token must match")
        }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: challenge)))
    }

    func receive(_ request: Request, logger: Logger) async throws -> Response {
        guard let appSecret else {
            throw APIError.unauthorized("not-configured", "this server has no $BEDSIDE_META_APP_SECRET; it accepts no Meta deliveries")
        }
        guard let header = request.headers[Self.signatureHeader], header.hasPrefix("sha256="),
            let mac = ServerSettings.hexBytes(String(header.dropFirst(7))), mac.count == 32
        else {
            throw APIError.unauthorized("missing-signature", "X-Hub-Signature-256: sha256=<hex> is required")
        }
        try BodyReader.requireJSON(request)
        let body = Data(buffer: try await reader.read(request))
        // The raw bytes as received, never re-encoded JSON.
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: Array(appSecret.utf8))) else {
            throw APIError.unauthorized("bad-signature", "X-Hub-Signature-256 does not match this body")
        }
        let batch: MetaEvents.Batch
        do {
            batch = try MetaEvents.parse(body)
        } catch {
            throw APIError.badRequest("invalid-event", error.detail)
        }
        // Edits go last, so an original in the same delivery is recorded before its edit is weighed.
        var recorded = try await decider.decide(batch.messages, source: "meta")
        recorded += try await decider.queueForPeople(batch.forPeople.map { ($0.message, $0.reason) }, source: "meta")
        recorded += try await decider.decideEdits(batch.edits.map { ($0.message, $0.originalID) }, source: "meta")
        let fresh = recorded.filter(\.isNew).count
        logger.debug(
            "meta delivery",
            metadata: [
                "bedside.meta.messages": "\(batch.received)", "bedside.meta.new": "\(fresh)",
                "bedside.meta.skipped": "\(batch.skipped.values.reduce(0, +))",
            ])
        let skipped = batch.skipped.map { "\"\($0.key)\":\($0.value)" }.sorted().joined(separator: ",")
        return MessageController<Store>.json(#"{"received":\#(batch.received),"new":\#(fresh),"skipped":{\#(skipped)}}"#)
    }
}
