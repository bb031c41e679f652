import Foundation
import HTTPTypes
import Hummingbird

/// Reads a request body whole, within a size limit (413) and a time limit (408): a client that
/// dribbles its body (slowloris) is cut off instead of holding a connection and memory.
struct BodyReader: Sendable {
    let limit: Int
    let timeout: Duration

    func read(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw ErrorMiddleware<BasicRequestContext>.translate(.contentTooLarge)
        }
        let body = request.body
        let limit = self.limit
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do {
                    return try await body.collect(upTo: limit)
                } catch let error as HTTPError where error.status == .contentTooLarge {
                    throw ErrorMiddleware<BasicRequestContext>.translate(.contentTooLarge)
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                var error = ErrorMiddleware<BasicRequestContext>.translate(.requestTimeout)
                error.headers[.connection] = "close"
                throw error
            }
            return buffer
        }
    }

    /// Requires `Content-Type: application/json` (with any parameters), else 415.
    static func requireJSON(_ request: Request) throws {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/json" else {
            throw APIError(.unsupportedMediaType, "not-json", "send the body as Content-Type: application/json")
        }
    }
}
