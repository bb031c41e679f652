import BedsideCore
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the rulebook and the staff tokens on SIGHUP. The new rulebook must load and pass its
/// examples (what `bedside check` runs), and the `server:` and `tokens:` sections must read cleanly;
/// otherwise every problem is logged and the old rulebook and tokens stay in use. (The address, port
/// and limits the server was started with take a restart to change.)
struct RulebookReloader: Service {
    let pool: ClassifierPool
    let tokens: LiveTokens
    /// The `server:` settings as the configuration said when the server started.
    let started: ServerSettings?
    let load: @Sendable () throws -> Rulebook
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// Tries once; returns whether the new rulebook is in use.
    @discardableResult
    func reload() -> Bool {
        do {
            let rulebook = try load()
            let problems = RulebookCheck.examples(rulebook)
            guard problems.isEmpty else {
                for problem in problems {
                    logger.error("rulebook example failed", metadata: ["bedside.diagnostic": "\(problem.description)"])
                }
                throw ReloadRefused(count: problems.count)
            }
            let settings = try ServerSettings.load(from: rulebook.configuration)
            let previous = pool.rulebook.version
            pool.replace(rulebook)
            metrics.prepare(for: rulebook)
            metrics.rulebook(rulebook.version, replacing: previous)
            tokens.replace(settings.tokens)
            if let changed = started?.restartOnlyChanges(from: settings), !changed.isEmpty {
                logger.warning(
                    "server settings changed; they take effect on restart",
                    metadata: ["bedside.settings": "\(changed.joined(separator: ", "))"])
            }
            metrics.reloaded(ok: true)
            logger.info(
                "rulebook reloaded",
                metadata: [
                    "bedside.rules": "\(rulebook.rules.count)", "bedside.responses": "\(rulebook.templates.count)",
                    "bedside.tokens": "\(settings.tokens.tokens.count)", "bedside.rulebook.version": "\(rulebook.version)",
                ])
            return true
        } catch let error as LoadError {
            for diagnostic in error.diagnostics where diagnostic.severity == .error {
                logger.error("rulebook problem", metadata: ["bedside.diagnostic": "\(diagnostic.description)"])
            }
        } catch {
            logger.error("rulebook did not reload", metadata: ["bedside.error": "\(error)"])
        }
        metrics.reloaded(ok: false)
        logger.error("rulebook reload failed; the previous rulebook stays in use")
        return false
    }

    struct ReloadRefused: Error, CustomStringConvertible {
        var count: Int
        var description: String { "\(count) rule example(s) failed" }
    }
}
