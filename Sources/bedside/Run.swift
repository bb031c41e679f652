import ArgumentParser
import BedsideCore
import Foundation

extension Bedside {
    /// The stdin filter: one JSON decision per input line, in order, flushed as it goes.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide every message on standard input; print one JSON decision per line.",
            discussion: """
                Each input line is a JSON object with at least "text" (also "id", "author", "platform", \
                "thread", "url", "created_at"), or plain text. Blank lines are skipped. A malformed line gets \
                an "error" decision and a `line N: …` message on stderr; the stream goes on.

                Exit status: 0 when every line was decided, 1 when some lines were malformed, 2 when \
                nothing could start (bad flags or configuration).

                Example:
                  echo '{"id":"fb_1","text":"What time do you open on Saturday?"}' | bedside run --no-store
                """
        )

        @OptionGroup var rulebook: RulebookOptions

        @Flag(name: .long, help: "Keep nothing: print decisions only, with no review store or outbox.")
        var noStore = false

        func run() throws {
            let rulebook = try rulebook.load()
            let classifier = Classifier(rulebook: rulebook)
            let output = OutputBuffer(fd: 1)
            let reader = LineReader(fd: 0, limit: InputLine.maximumLength)
            reader.beforeBlockingRead = { output.flush() }
            var number = 0
            var malformed = 0
            func answer(_ decision: Decision) {
                decision.appendJSON(to: &output.bytes)
                output.bytes.append(0x0A)
                if output.bytes.count >= 1 << 16 { output.flush() }
            }
            func reject(_ problem: InputLine.Problem) {
                malformed += 1
                output.flush()
                StandardError.print(problem.explanation)
                answer(problem.decision)
            }
            while let line = try reader.next() {
                number += 1
                switch line {
                case .tooLong(let prefix, let length):
                    reject(InputLine.tooLong(prefix: prefix, length: length, number: number))
                case .line(let bytes):
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    switch InputLine.parse(bytes, number: number) {
                    case .success(let message): answer(classifier.decide(message))
                    case .failure(let problem): reject(problem)
                    }
                }
            }
            output.flush()
            if malformed > 0 { throw ExitCode(1) }
        }
    }
}

/// Bytes waiting for standard output; written out in one call when flushed.
final class OutputBuffer {
    var bytes: [UInt8] = []
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
        bytes.reserveCapacity(1 << 17)
    }

    func flush() {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                // The reader went away (a closed pipe): nothing more can be delivered.
                Foundation.exit(errno == EPIPE ? 0 : 2)
            }
            offset += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
