import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /review`: the staff review console, a self-contained page that uses the review API.
///
/// The page itself is public; everything it shows comes from `/v1/queue` with the bearer token the
/// reviewer types in. The Content-Security-Policy allows only the page's own style and script (by
/// hash) and requests to this origin; the page may not be framed or cached.
struct ReviewConsoleController: Sendable {
    /// The page, with the practice's time zone (`practice.timezone`) for the times it shows.
    let page: String

    init(timeZone: TimeZone) {
        page = ReviewConsolePage.html(timeZone: timeZone.identifier)
    }

    /// The response headers, computed once from the page's inline blocks.
    static let headers: HTTPFields = {
        var fields: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy: contentSecurityPolicy,
        ]
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return fields
    }()

    /// No external sources; the inline style and script by their SHA-256; fetch to this origin only.
    static let contentSecurityPolicy = [
        "default-src 'none'",
        "script-src '\(hash(ReviewConsolePage.script))'",
        "style-src '\(hash(ReviewConsolePage.style))'",
        "connect-src 'self'",
        "img-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// A CSP source expression for an inline block: `sha256-` and the base64 digest of its text.
    static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }

    func addRoutes(to router: Router<some RequestContext>) {
        // `/review/ID` (the link in a Slack alert) is the same page, opening that item.
        for path in ["/review", "/review/:id"] {
            router.get(RouterPath(path)) { _, _ in
                Response(status: .ok, headers: Self.headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
            }
        }
    }
}
