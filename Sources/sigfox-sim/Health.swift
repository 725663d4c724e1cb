import ArgumentParser
import Foundation
import SigfoxCloud
import SigfoxScenario

#if canImport(Glibc)
import Glibc
#endif

extension SigfoxSim {
    /// `sigfox-sim health`: whether a running `serve` answers, for container health checks and scripts
    /// (LocalStack's `localstack wait`).
    struct Health: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a running `sigfox-sim serve` answers GET /health; with --wait, wait until it does.",
            discussion: """
                Prints the answer ({"status":"ok","time":"real","version":"..."}) and exits 0 when serve \
                answers 200; exits 1 when it does not (yet). The container image's HEALTHCHECK runs it.

                Examples:
                  sigfox-sim health
                  sigfox-sim health --server http://127.0.0.1:9000 --wait 30s

                Exit codes: 0 serve answers, 1 it does not (within --wait), 2 bad usage.
                """
        )

        @OptionGroup var server: ServerOption

        @Option(
            parsing: .unconditional,
            help: ArgumentHelp("Keep asking (every 100 ms) for up to this long, e.g. 30s.", valueName: "duration")
        )
        var wait: String?

        func validate() throws {
            if let wait, ScenarioTime.duration(wait) == nil {
                throw ValidationError("--wait must be a duration such as 500ms, 30s or 2m, not '\(wait)'")
            }
        }

        func run() throws {
            let client = try server.client()
            let limit = wait.flatMap(ScenarioTime.duration).map { Double($0.milliseconds) / 1000 } ?? 0
            let deadline = Date().addingTimeInterval(limit)
            var last = ""
            repeat {
                do {
                    let answer = try client.request("GET", "/health", timeoutSeconds: 5)
                    if answer.status == 200 {
                        print(answer.body)
                        return
                    }
                    last = "it answered \(answer.status): \(answer.body)"
                } catch {
                    last = error.description
                }
                if Date() < deadline { usleep(100_000) }
            } while Date() < deadline
            throw CommandFailure(message: "no healthy serve at \(server.url): \(last)", code: 1)
        }
    }
}
