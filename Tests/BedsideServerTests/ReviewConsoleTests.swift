import BedsideStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BedsideServer

struct ReviewConsoleTests {
    /// The text between the first `<open>` and the following `</close>` in `html`.
    static func block(_ tag: String, in html: String) -> String? {
        guard let start = html.range(of: "<\(tag)>"), let end = html.range(of: "</\(tag)>", range: start.upperBound..<html.endIndex) else {
            return nil
        }
        return String(html[start.upperBound..<end.lowerBound])
    }

    static func sha256(_ text: String) -> String {
        "'sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString() + "'"
    }

    @Test func consoleIsOneSelfContainedPageWithStrictHeaders() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let response = try await client.execute(uri: "/review", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            let html = String(buffer: response.body)
            #expect(html.hasPrefix("<!doctype html>"))
            #expect(html.contains("fetch(path"))
            #expect(html.contains("\"/v1/queue"))
            #expect(html.contains("sessionStorage"))
            #expect(!html.contains("localStorage"))
            #expect(!html.contains("innerHTML"))
            #expect(!html.contains("src="))
            #expect(!html.contains("href="))

            let policy = try #require(response.headers[.contentSecurityPolicy])
            let directives = policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let script = try #require(Self.block("script", in: html))
            let style = try #require(Self.block("style", in: html))
            #expect(directives.contains("default-src 'none'"))
            #expect(directives.contains("script-src \(Self.sha256(script))"))
            #expect(directives.contains("style-src \(Self.sha256(style))"))
            #expect(directives.contains("connect-src 'self'"))
            #expect(directives.contains("frame-ancestors 'none'"))
            #expect(!policy.contains("unsafe"))
            #expect(!policy.contains("http"))
        }
    }

    @Test func consoleNeedsNoTokenButTheDataDoes() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let page = try await client.execute(uri: "/review", method: .get, headers: [.authorization: "Bearer bst_wrong"])
            #expect(page.status == .ok)
            let data = try await client.execute(uri: "/v1/queue", method: .get)
            #expect(data.status == .unauthorized)
        }
    }

    // MARK: - In a real browser

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let chromedriver = ["/usr/bin/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (127, "\(error)") }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static let browserAvailable: Bool = chromium != nil && chromedriver != nil && run(["python3", "-c", "import selenium"]).status == 0

    /// Drives the console in headless Chromium: sign in, open the item, assign it, edit the reply, approve.
    /// Fails on any Content-Security-Policy violation the browser logs.
    static let browserScript = #"""
        import sys
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.support.ui import WebDriverWait

        chromium, chromedriver, url, token, item, reply = sys.argv[1:7]
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        try:
            wait = WebDriverWait(driver, 60)
            driver.get(url)
            wait.until(EC.visibility_of_element_located((By.ID, "token"))).send_keys(token)
            driver.find_element(By.ID, "signin").click()
            wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#queue button[data-id="%s"]' % item))).click()
            wait.until(lambda d: d.find_element(By.ID, "message").text.strip() != "")
            assert driver.find_elements(By.CSS_SELECTOR, "#matched li"), "no matched rules shown"
            assert driver.find_elements(By.CSS_SELECTOR, "#history tr"), "no history shown"
            assignee = driver.find_element(By.ID, "assignee")
            assignee.clear()
            assignee.send_keys("alex")
            driver.find_element(By.ID, "assign").click()
            wait.until(lambda d: "Assigned (to alex)" in d.find_element(By.ID, "result").text)
            box = driver.find_element(By.ID, "reply")
            box.clear()
            box.send_keys(reply)
            driver.find_element(By.ID, "approve").click()
            wait.until(lambda d: "Approved" in d.find_element(By.ID, "result").text)
            print("result:", driver.find_element(By.ID, "result").text)
            violations = [e for e in driver.get_log("browser") if "Content Security Policy" in e.get("message", "")]
            if violations:
                print("CSP violations:", violations)
                sys.exit(3)
        finally:
            driver.quit()
        """#

    @Test(.enabled(if: browserAvailable, "needs chromium, chromium-driver and python3 selenium (scripts/setup.sh installs them)"))
    func reviewerApprovesInABrowser() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let id = try await ReviewAPITests.queue(client, id: "console_1")
            let port = try #require(client.port)
            let reply = "Thank you for getting in touch. Please call us on 020 7946 0321 so we can help."
            let arguments = [
                "python3", "-c", Self.browserScript, Self.chromium!, Self.chromedriver!, "http://127.0.0.1:\(port)/review",
                Fixture.reviewerToken, id, reply,
            ]
            let result = await Task.detached { Self.run(arguments) }.value
            #expect(result.status == 0, "\(result.output)")
            let item = try #require(try await store.item(id))
            #expect(item.decidedBy == "sam")
            #expect([.approved, .edited].contains(item.status))
            #expect(item.finalText == reply)
            #expect(item.assignee == "alex")
        }
    }
}
