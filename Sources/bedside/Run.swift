import ArgumentParser
import BedsideCore
import BedsideStore
import Foundation

extension Bedside {
    /// The stdin filter: one JSON decision per input line, in order, flushed as it goes.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide every message on standard input; print one JSON decision per line.",
            discussion: """
                Each input line is a JSON object with at least "text" (also "id", "author", "platform", \
                "thread", "url", "created_at"), or plain text. Blank lines are skipped. A malformed line gets \
                an "error" decision and a `line N: …` message on stderr; the stream goes on.

                Unless --no-store, every decision is recorded in the review store before it is printed \
                (reviews carry their "queue_id"), a message id decided in an earlier run is answered \
                "ignore"/"duplicate", and replies go to the outbox for delivery.

                Exit status: 0 when every line was decided, 1 when some lines were malformed, 2 when \
                nothing could start (bad flags or configuration).

                Examples:
                  bedside run < messages.jsonl > decisions.jsonl
                  echo '{"text":"Are you open on Saturday?"}' | bedside run --no-store
                """
        )

        @OptionGroup var rulebook: RulebookOptions

        @Flag(name: .long, help: "Keep nothing: print decisions only, with no review store or outbox.")
        var noStore = false

        @OptionGroup var storage: StoreOptions

        func validate() throws {
            if noStore, storage.store != nil { throw ValidationError("--store and --no-store contradict each other; give one") }
        }

        func run() async throws {
            guard Self.standardInputIsOpen() else {
                StandardError.print("bedside run: standard input is closed; give it messages, one a line (or `< /dev/null` for none)")
                throw ExitCode(2)
            }
            // A reader that goes away (`bedside run | head -1`) ends the run quietly: write() reports EPIPE.
            signal(SIGPIPE, SIG_IGN)
            let rulebook = try rulebook.load()
            let classifier = Classifier(rulebook: rulebook)
            let output = OutputBuffer(fd: 1)
            let store = noStore ? nil : try await storage.open(configuration: rulebook.configuration, command: "run")
            let batch = store.map { RecordedOutput(store: $0, output: output) }
            let folder = storage.folder(configuration: rulebook.configuration)
            let delivery = store.flatMap { InProcessDelivery.start(store: $0, configuration: rulebook.configuration, storeFolder: folder) }
            let reader = LineReader(fd: 0, limit: InputLine.maximumLength)
            var number = 0
            var malformed = 0
            /// Commits what the batch holds (then prints it); a store failure ends the run.
            func commit() async {
                guard let batch else { return output.flush() }
                do {
                    try await batch.commit()
                } catch {
                    StandardError.print(
                        "bedside run: the review store failed after input line \(batch.committedLines): \(error.localizedDescription); the lines read since were neither recorded nor printed"
                    )
                    Foundation.exit(2)
                }
                if batch.takeQueuedReplies() { delivery?.signal() }
            }
            reader.beforeBlockingRead = { await commit() }
            func answer(_ decision: Decision, for message: Message? = nil) async {
                if let batch {
                    batch.add(decision, for: message)
                    if batch.isFull { await commit() }
                    return
                }
                decision.appendJSON(to: &output.bytes)
                output.bytes.append(0x0A)
                if output.bytes.count >= 1 << 16 { output.flush() }
            }
            func reject(_ problem: InputLine.Problem) async {
                malformed += 1
                output.flush()
                StandardError.print(problem.explanation)
                await answer(problem.decision)
            }
            func nextLine() async throws -> LineReader.Line? {
                do {
                    return try await reader.next()
                } catch {
                    await commit()
                    StandardError.print("bedside run: cannot read standard input after line \(number): \(error.localizedDescription)")
                    throw ExitCode(2)
                }
            }
            while let line = try await nextLine() {
                number += 1
                switch line {
                case .tooLong(let prefix, let length):
                    await reject(InputLine.tooLong(prefix: prefix, length: length, number: number))
                case .line(let bytes):
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    switch InputLine.parse(bytes, number: number) {
                    case .success(let message):
                        let decision = classifier.decide(message)
                        if decision.reason == Classifier.holdingReplyRefused {
                            output.flush()
                            StandardError.print(
                                "line \(number): urgent, and the reply guard refused its holding reply for this message: nothing was sent; a person must answer it now"
                            )
                        }
                        await answer(decision, for: message)
                    case .failure(let problem): await reject(problem)
                    }
                }
            }
            await commit()
            delivery?.finish()
            await delivery?.done.value
            if malformed > 0 { throw ExitCode(1) }
        }
    }
}

extension Bedside.Run {
    /// Whether descriptor 0 is the standard input we were given. When the shell closed it
    /// (`<&-`), the runtime may already have reused the number for an internal event descriptor.
    static func standardInputIsOpen() -> Bool {
        guard fcntl(0, F_GETFD) != -1 else { return false }
        var target = [CChar](repeating: 0, count: 256)
        let n = readlink("/proc/self/fd/0", &target, target.count - 1)
        guard n > 0 else { return true }
        return !String(decoding: target[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self).hasPrefix("anon_inode:")
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
