import ArgumentParser
import CurlTransport
import Foundation
import SigfoxModel
import SigfoxScenario
import SigfoxSimulation

extension SigfoxSim {
    /// `sigfox-sim replay JOURNAL`: sends a journal's requests again and compares the answers.
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the requests of a journal again and report answers that differ from the recorded ones.",
            discussion: """
                JOURNAL is the file `sigfox-sim run --journal FILE` writes: one JSON line per try. Every HTTP try \
                is sent again through libcurl, in the order the tries fell due, at their recorded relative times \
                divided by --speed, each with the 10 s deadline of the real cloud. Each answer is compared with \
                the recorded one: delivered or not, the exact status, the kind of failure (refused, reset, \
                timeout), and for DATA/BIDIR the answer's body. E-mail tries and tries recorded without a \
                request (never rendered) are skipped and counted.

                --speed N divides the recorded gaps by N (1, the default, keeps them; 60 plays a minute in a \
                second); --speed max sends each request as soon as the previous one is answered, in journal \
                order. On a terminal a progress line on standard error counts requests sent and answered \
                (--no-progress hides it).

                Example, replaying a run against a receiver on its default port, 8791:
                  sigfox-sim run Scenarios/retries.yaml --journal retries.jsonl
                  sigfox-sim receive &
                  sigfox-sim replay retries.jsonl --target http://127.0.0.1:8791 --speed max

                Exit codes: 0 every answer matches, 1 some differ, 2 bad usage or a malformed journal \
                (file:line:column and the field).
                """
        )

        @Argument(
            help: ArgumentHelp(
                "The journal (JSON Lines, from run --journal; '-' reads standard input).",
                valueName: "journal"
            )
        )
        var journal: String

        @Option(
            help: ArgumentHelp(
                "Send to this receiver instead: its scheme, host and port replace the recorded ones; a path is put in front of the recorded path.",
                valueName: "url"
            )
        )
        var target: String?

        @Option(
            name: .customLong("strip-prefix"),
            help: ArgumentHelp("Take this path prefix off the recorded paths first (with --target).", valueName: "path")
        )
        var stripPrefix: String?

        @Option(
            help: ArgumentHelp("Divide the recorded gaps by N (default 1: as recorded), or max.", valueName: "N|max")
        )
        var speed = "1"

        @Option(help: ArgumentHelp("Seconds the receiver has to answer (the real cloud's 10).", valueName: "seconds"))
        var deadline: Double = 10

        @Option(
            name: .customLong("ca-file"),
            help: ArgumentHelp(
                "Also trust the certificate authorities of this PEM file (a test CA).",
                valueName: "file"
            )
        )
        var caFile: String?

        @Flag(help: "Print the report as one JSON object.")
        var json = false

        @Flag(help: "Never show the progress line (it shows only when standard error is a terminal).")
        var noProgress = false

        func validate() throws {
            if ReplaySpeed(speed) == nil {
                throw ValidationError("--speed must be a number greater than 0 or max, not '\(speed)'")
            }
            if !(deadline > 0 && deadline <= 600) {
                throw ValidationError("--deadline must be in (0, 600] seconds, not \(deadline)")
            }
            if stripPrefix != nil && target == nil {
                throw ValidationError("--strip-prefix needs --target")
            }
        }

        func run() async throws {
            let showProgress = !json && !noProgress && isatty(STDERR_FILENO) == 1
            let progress = showProgress ? ReplayProgress() : nil
            var options = ReplayOptions(
                speed: ReplaySpeed(speed) ?? .factor(1),
                deadline: .milliseconds(Int64((deadline * 1000).rounded())),
                curl: CurlConfiguration(caFile: caFile),
                progress: progress
            )
            if let target {
                do {
                    options.target = try ReplayTarget(target, stripPrefix: stripPrefix ?? "")
                } catch {
                    throw CommandFailure.usage(error.description)
                }
            }
            let entries: [JournalEntry]
            do {
                entries = try ReplayJournal.load(path: journal)
            } catch {
                throw CommandFailure.usage(error.description)
            }
            // Ctrl-C or SIGTERM: nothing more is sent, the tries in flight end, the report is written (exit 1);
            // a second signal exits at once.
            let stop = RunStop()
            options.stop = stop
            let display = progress.map { progress in ProgressLine(line: { progress.snapshot.line }) }
            display?.start()
            let runner = ReplayRunner(options: options)
            let report = try await runStoppable(
                saying: "stopping the replay (again to exit at once)",
                stop: stop.request
            ) {
                runner.run(entries, journal: journal)
            }
            display?.stop()
            FileHandle.standardOutput.write(Data((json ? report.json + "\n" : report.text).utf8))
            if report.interrupted != nil {
                throw CommandFailure(message: "interrupted: the report above covers the requests sent", code: 1)
            }
            if !report.passed {
                throw CommandFailure(message: "\(report.different.count) answers differ from \(journal)", code: 1)
            }
        }
    }
}
