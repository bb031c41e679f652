import CCurl
import Dispatch
import Foundation
import Synchronization

/// HTTP through libcurl's easy interface.
///
/// The deadline is libcurl's own (`CURLOPT_TIMEOUT_MS` over the whole exchange, connecting
/// included), so a request never outlives its timeout and needs no race against a timer. Easy
/// handles are kept between requests, and with them their open connections: a deliverer sending
/// many replies to one platform reuses one keep-alive connection instead of a new TCP (and TLS)
/// handshake each. Only `http` and `https` are spoken, redirects are not followed, and a response
/// body is read up to ``responseLimit`` bytes.
public final class CurlClient: HTTPClient, Sendable {
    /// The most bytes of a response body kept (a platform's answer is small; anything larger is refused).
    public static let responseLimit = 1 << 20

    private let idle = Mutex<[EasyHandle]>([])
    private let keep: Int

    /// Creates a client that keeps up to `keep` idle handles (and their connections) for reuse.
    public init(keep: Int = 8) {
        _ = Self.initialized
        self.keep = keep
    }

    /// `curl_global_init`, once per process, before any handle is made.
    private static let initialized: Bool = bedside_curl_global_init() == CURLE_OK

    /// Sends the request through libcurl within the client's deadline.
    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        guard let handle = idle.withLock({ $0.popLast() }) ?? EasyHandle() else {
            throw .connection("libcurl could not start a request")
        }
        // curl_easy_perform blocks until the exchange ends (at the latest at the deadline): off the
        // cooperative pool, whose few threads must never wait on the network.
        let (result, reusable) = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.perform(request)) }
        }
        if reusable { idle.withLock { if $0.count < keep { $0.append(handle) } } }
        return try result.get()
    }
}
