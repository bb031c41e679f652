import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

/// Sends HTTP requests. ``URLSessionClient`` in production; tests may pass their own.
public protocol HTTPClient: Sendable {
    /// Sends `request`, throwing ``HTTPClientError`` when no HTTP answer came back in time.
    func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse
}

/// HTTP through FoundationNetworking's `URLSession` (libcurl on Linux).
public final class URLSessionClient: HTTPClient, @unchecked Sendable {
    // URLSession is thread-safe; it is never reassigned.
    private let session: URLSession

    /// Creates a client with its own ephemeral session (no cookies, no cache).
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        let prepared = urlRequest
        let session = self.session
        let timeout = request.timeout
        // libcurl applies the request's own timeout (whole seconds); the deadline below bounds
        // everything else, and does not wait for a request that ignores cancellation.
        let once = ResumeOnce()
        return try await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, HTTPClientError>, Never>) in
            once.set(continuation)
            let work = Task {
                let result: Result<HTTPResponse, HTTPClientError>
                do {
                    let (data, response) = try await session.data(for: prepared)
                    if let http = response as? HTTPURLResponse {
                        result = .success(HTTPResponse(status: http.statusCode, body: data))
                    } else {
                        result = .failure(.connection("not an HTTP response"))
                    }
                } catch let error as URLError {
                    result = .failure(Self.describe(error, timeout: timeout))
                } catch {
                    result = .failure(.connection("request failed"))
                }
                once.resume(result)
            }
            Task {
                try? await Task.sleep(nanoseconds: UInt64((timeout + 0.25) * 1_000_000_000))
                if once.resume(.failure(.timedOut(timeout))) { work.cancel() }
            }
        }.get()
    }

    static func describe(_ error: URLError, timeout: TimeInterval) -> HTTPClientError {
        switch error.code {
        case .timedOut: .timedOut(timeout)
        case .cannotConnectToHost: .connection("connection refused")
        case .cannotFindHost, .dnsLookupFailed: .connection("host not found")
        case .networkConnectionLost: .connection("connection lost")
        case .notConnectedToInternet: .connection("no network")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            .connection("TLS failed")
        case .badServerResponse: .connection("bad server response")
        default: .connection("request failed (URLError \(error.code.rawValue))")
        }
    }
}

/// Resumes a continuation exactly once: the first of the request and the deadline wins.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<HTTPResponse, HTTPClientError>, Never>?
    private var pending: Result<HTTPResponse, HTTPClientError>?
    private var done = false

    func set(_ continuation: CheckedContinuation<Result<HTTPResponse, HTTPClientError>, Never>) {
        lock.lock()
        if let pending {
            lock.unlock()
            continuation.resume(returning: pending)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    /// Returns true when this call was the one that resumed.
    @discardableResult
    func resume(_ result: Result<HTTPResponse, HTTPClientError>) -> Bool {
        lock.lock()
        guard !done else {
            lock.unlock()
            return false
        }
        done = true
        guard let continuation else {
            pending = result
            lock.unlock()
            return true
        }
        self.continuation = nil
        lock.unlock()
        continuation.resume(returning: result)
        return true
    }
}
