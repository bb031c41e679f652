import Foundation

/// One outbound HTTP request.
public struct HTTPRequest: Sendable {
    /// Where to send it.
    public var url: URL
    /// `POST`, usually.
    public var method: String
    /// Header fields.
    public var headers: [String: String]
    /// The body bytes, sent exactly as given (signatures cover them).
    public var body: Data
    /// The limit on the whole exchange, in seconds.
    public var timeout: TimeInterval

    /// Creates a request.
    public init(url: URL, method: String = "POST", headers: [String: String] = [:], body: Data, timeout: TimeInterval) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// What came back.
public struct HTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The body bytes.
    public var body: Data

    /// Creates a response.
    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// Why a request got no HTTP answer. Descriptions never include the URL (a Slack webhook URL is a secret).
public enum HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// No answer within the timeout.
    case timedOut(TimeInterval)
    /// The connection could not be made or broke.
    case connection(String)

    /// What went wrong, without the request's body or secrets.
    public var description: String {
        switch self {
        case .timedOut(let seconds): "timed out after \(Self.format(seconds))"
        case .connection(let reason): reason
        }
    }

    static func format(_ seconds: TimeInterval) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.1fs", seconds)
    }
}

/// Sends HTTP requests. ``CurlClient`` in production; tests may pass their own.
public protocol HTTPClient: Sendable {
    /// Sends `request`, throwing ``HTTPClientError`` when no HTTP answer came back in time.
    func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse
}
