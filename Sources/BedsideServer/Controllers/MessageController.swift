import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /v1/messages`: one message object, signed per Standard Webhooks, answered with its decision
/// once the decision (and its review item) is committed.
struct MessageController<Store: ReviewStore>: Sendable {
    let decider: Decider<Store>
    let signer: StandardWebhooks?
    let tolerance: TimeInterval
    let reader: BodyReader
    let metrics: ServerMetrics
    let clock: @Sendable () -> Date

    static var webhookID: HTTPField.Name { HTTPField.Name("webhook-id")! }
    static var webhookTimestamp: HTTPField.Name { HTTPField.Name("webhook-timestamp")! }
    static var webhookSignature: HTTPField.Name { HTTPField.Name("webhook-signature")! }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.post("/v1/messages") { request, context in
            do {
                return try await receive(request)
            } catch let error as APIError {
                metrics.rejected(error.code, endpoint: "messages")
                throw error
            }
        }
    }

    func receive(_ request: Request) async throws -> Response {
        guard let signer else {
            throw APIError.unauthorized("not-configured", "this server has no $BEDSIDE_WEBHOOK_SECRET; it accepts no messages")
        }
        guard let id = request.headers[Self.webhookID], !id.isEmpty, id.utf8.count <= 256,
            let timestamp = request.headers[Self.webhookTimestamp],
            let signature = request.headers[Self.webhookSignature]
        else {
            throw APIError.unauthorized(
                "missing-signature", "sign the request per Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature")
        }
        // The webhook-id may become the message id: the same rule as an id in the body.
        guard !id.unicodeScalars.contains(where: InvisibleCharacters.isInvisible) else {
            throw APIError.badRequest("invalid-webhook-id", "webhook-id must not hold control or formatting characters")
        }
        guard let seconds = Int(timestamp) else {
            throw APIError.unauthorized("bad-timestamp", "webhook-timestamp must be Unix seconds")
        }
        let now = clock()
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else {
            throw APIError.unauthorized(
                "stale-timestamp", "webhook-timestamp is more than \(Int(tolerance)) seconds from the server's clock")
        }
        try BodyReader.requireJSON(request)
        let buffer = try await reader.read(request)
        let body = Data(buffer: buffer)
        guard signer.verify(id: id, timestamp: timestamp, body: body, signatureHeader: signature, now: now, tolerance: tolerance) else {
            throw APIError.unauthorized("bad-signature", "no v1 signature in webhook-signature matches this body")
        }
        let message = try Self.parse(body, webhookID: id)
        let recorded = try await decider.decide([message], source: "messages")[0]
        // A repeat of this delivery (the same webhook-id, so the same message id) gets the first
        // decision as it was recorded; nothing is decided, queued or sent again.
        return Self.json(recorded.decision.jsonLine)
    }

    /// The message in a body, with the contract's rules; a body without `id` takes the webhook-id.
    static func parse(_ body: Data, webhookID: String) throws -> Message {
        let first = body.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        guard first == UInt8(ascii: "{") else {
            throw APIError.badRequest("invalid-json", "the body must be one JSON message object")
        }
        let result = body.withUnsafeBytes { raw in
            InputLine.parse(raw.bindMemory(to: UInt8.self), number: 1)
        }
        switch result {
        case .success(var message):
            // A repeated webhook-id is the same delivery, whatever the body holds; a body without
            // an id is known by its webhook-id (never by a line number).
            message.deliveryID = webhookID
            if message.id == "line-1" { message.id = webhookID }
            return message
        case .failure(let problem):
            let detail = problem.explanation.hasPrefix("line 1: ") ? String(problem.explanation.dropFirst(8)) : problem.explanation
            throw APIError.badRequest(problem.reason, detail)
        }
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
