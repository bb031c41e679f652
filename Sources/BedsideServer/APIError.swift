import Foundation
import HTTPTypes
import Hummingbird

/// An error answered as JSON `{"error": "...", "detail": "..."}` (README.md, "Running the receiver"). `error` is a short
/// machine-readable code; `detail` is for people. Neither ever holds message text or a secret.
public struct APIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A short machine-readable code (`invalid-json`, `bad-signature`, …).
    public var code: String
    /// What was wrong, for people.
    public var detail: String
    /// Extra fields (`reasons` for a refused reply, say).
    public var extra: [String: [String]] = [:]
    /// Extra headers (`Retry-After`).
    public var headers: HTTPFields = [:]

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ code: String, _ detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    /// The JSON body.
    var body: [UInt8] {
        var object: [String: Any] = ["error": code, "detail": detail]
        for (key, value) in extra { object[key] = value }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    /// The error as an HTTP response with a JSON body that never echoes the request.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func badRequest(_ code: String, _ detail: String) -> APIError { APIError(.badRequest, code, detail) }
    static func unauthorized(_ code: String, _ detail: String) -> APIError { APIError(.unauthorized, code, detail) }
}
