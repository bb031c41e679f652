import CCurl
import Foundation

/// One libcurl easy handle, used by one request at a time (libcurl's rule).
final class EasyHandle: @unchecked Sendable {
    private let easy: UnsafeMutableRawPointer

    init?() {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
    }

    deinit { curl_easy_cleanup(easy) }

    /// What came back, and whether the handle may serve another request.
    func perform(_ request: HTTPRequest) -> (Result<HTTPResponse, HTTPClientError>, Bool) {
        // Options back to their defaults; the open connections and the DNS cache stay.
        curl_easy_reset(easy)
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headers) }
        for (name, value) in request.headers {
            // A header may not smuggle another one in.
            guard !(name + value).unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                return (.failure(.connection("a header holds a line break")), true)
            }
            headers = curl_slist_append(headers, "\(name): \(value)")
        }
        // No `Expect: 100-continue` round trip before a body.
        headers = curl_slist_append(headers, "Expect:")
        let milliseconds = max(1, Int((request.timeout * 1000).rounded()))
        let sink = ResponseSink(limit: CurlClient.responseLimit)
        var code = CURLE_OK
        func set(_ result: CURLcode) { if code == CURLE_OK { code = result } }
        set(bedside_curl_set_string(easy, CURLOPT_URL, request.url.absoluteString))
        set(bedside_curl_set_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(bedside_curl_set_long(easy, CURLOPT_NOSIGNAL, 1))
        set(bedside_curl_set_long(easy, CURLOPT_TIMEOUT_MS, milliseconds))
        set(bedside_curl_set_long(easy, CURLOPT_CONNECTTIMEOUT_MS, milliseconds))
        set(bedside_curl_set_pointer(easy, CURLOPT_HTTPHEADER, headers))
        switch request.method {
        case "GET":
            set(bedside_curl_set_long(easy, CURLOPT_HTTPGET, 1))
        default:
            if request.method != "POST" { set(bedside_curl_set_string(easy, CURLOPT_CUSTOMREQUEST, request.method)) }
            set(bedside_curl_set_long(easy, CURLOPT_POST, 1))
            set(bedside_curl_set_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            // COPYPOSTFIELDS copies the bytes: nothing of Swift's has to outlive this call.
            if request.body.isEmpty {
                set(bedside_curl_set_string(easy, CURLOPT_COPYPOSTFIELDS, ""))
            } else {
                set(
                    request.body.withUnsafeBytes {
                        bedside_curl_set_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
                    })
            }
        }
        set(
            bedside_curl_set_write(
                easy,
                { data, size, count, context in
                    guard let data, let context else { return 0 }
                    return Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue().take(data, size * count)
                }, Unmanaged.passUnretained(sink).toOpaque()))
        guard code == CURLE_OK else { return (.failure(.connection("libcurl refused an option (\(code.rawValue))")), false) }
        let outcome = withExtendedLifetime(sink) { curl_easy_perform(easy) }
        guard outcome == CURLE_OK else {
            return (
                .failure(
                    sink.overflowed
                        ? .connection("response larger than \(CurlClient.responseLimit) bytes")
                        : Self.describe(outcome, timeout: request.timeout)), true
            )
        }
        var status = 0
        _ = bedside_curl_response_code(easy, &status)
        return (.success(HTTPResponse(status: status, body: sink.body)), true)
    }

    /// A failure for people: what went wrong, never the URL (a Slack webhook URL is a secret).
    static func describe(_ code: CURLcode, timeout: TimeInterval) -> HTTPClientError {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: .timedOut(timeout)
        case CURLE_COULDNT_CONNECT: .connection("connection refused")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .connection("host not found")
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE: .connection("connection lost")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE:
            .connection("TLS failed")
        case CURLE_UNSUPPORTED_PROTOCOL: .connection("only http and https are allowed")
        case CURLE_URL_MALFORMAT: .connection("malformed URL")
        case CURLE_WEIRD_SERVER_REPLY: .connection("bad server response")
        default: .connection("request failed (curl error \(code.rawValue))")
        }
    }
}

/// Collects a response body up to a limit.
final class ResponseSink {
    let limit: Int
    var body = Data()
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    /// Keeps `count` bytes; returning less than `count` makes libcurl stop with a write error.
    func take(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        guard body.count + count <= limit else {
            overflowed = true
            return 0
        }
        body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: count)
        return count
    }
}
