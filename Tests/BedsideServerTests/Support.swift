import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

@testable import BedsideServer

/// Shared fixtures: the shipped rulebook, a secret, signing helpers, a live test server.
enum Fixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let metaSecret = "meta-app-secret-for-tests"
    static let verifyToken = "verify-me-please"
    static let reviewerToken = "bst_reviewer-token-for-tests"
    static let adminToken = "bst_admin-token-for-tests"

    static let rulebook: Rulebook = {
        let files = try! RulebookFiles.read(configuration: repositoryRoot.appendingPathComponent("bedside.yaml").path)
        return try! Rulebook.load(files)
    }()

    static func settings(_ adjust: (inout ServerSettings) -> Void = { _ in }) -> ServerSettings {
        var settings = ServerSettings()
        settings.port = 0
        settings.webhookSecret = secret
        settings.metaAppSecret = metaSecret
        settings.metaVerifyToken = verifyToken
        settings.deliveryInterval = 0
        settings.tokens = StaffTokens([
            StaffToken(name: "sam", role: .reviewer, digest: ServerSettings.hexBytes(StaffToken.hash(reviewerToken))!),
            StaffToken(name: "alex", role: .admin, digest: ServerSettings.hexBytes(StaffToken.hash(adminToken))!),
        ])
        adjust(&settings)
        return settings
    }

    static var logger: Logger {
        var logger = Logger(label: "bedside-test")
        logger.logLevel = .critical
        return logger
    }

    /// A store in a fresh SQLite file.
    static func sqliteStore() throws -> SQLiteReviewStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try SQLiteReviewStore(path: folder.appendingPathComponent("bedside.sqlite").path)
    }

    /// Runs `body` against a live server on 127.0.0.1 with a memory store.
    static func withServer<Store: ReviewStore>(
        store: Store, _ adjust: (inout ServerSettings) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let environment = ServerEnvironment(settings: settings(adjust), rulebook: rulebook, store: store, logger: logger)
        let app = try buildApplication(environment)
        try await app.test(.live, body)
    }

    /// Standard Webhooks headers for `body`, signed now (or at `timestamp`).
    static func signed(_ body: String, id: String = "msg_\(UUID().uuidString)", timestamp: Int = Int(Date().timeIntervalSince1970))
        -> HTTPFields
    {
        let signer = try! StandardWebhooks(secret: secret)
        var fields: HTTPFields = [.contentType: "application/json"]
        fields[HTTPField.Name("webhook-id")!] = id
        fields[HTTPField.Name("webhook-timestamp")!] = String(timestamp)
        fields[HTTPField.Name("webhook-signature")!] = signer.signature(id: id, timestamp: timestamp, body: Data(body.utf8))
        return fields
    }

    /// The message JSON for `text`.
    static func message(_ text: String, id: String? = nil, author: String? = nil) -> String {
        var object: [String: Any] = ["text": text, "platform": "facebook"]
        if let id { object["id"] = id }
        if let author { object["author"] = author }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [String: Any] ?? [:]
    }

    static func jsonArray(_ buffer: ByteBuffer) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [[String: Any]] ?? []
    }

    /// A text the shipped rulebook sends to review (the first example of a review-escalating rule),
    /// and one it answers automatically.
    static var reviewText: String {
        let classifier = Classifier(rulebook: rulebook)
        for rule in rulebook.rules where rule.escalate == .review {
            for text in rule.exampleMatches where classifier.decide(Message(id: UUID().uuidString, text: text)).action == .review {
                return text
            }
        }
        fatalError("no review example in the shipped rulebook")
    }

    static let hoursText = "What time do you open on Saturday?"
}

/// A raw TCP connection to 127.0.0.1, for requests a well-behaved client cannot make.
final class RawConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything until the peer closes or 10 seconds pass.
    func receiveAll() -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
