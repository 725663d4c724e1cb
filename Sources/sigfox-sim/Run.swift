import ArgumentParser
import Foundation
import SigfoxModel
import SigfoxScenario
import SigfoxSimulation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SigfoxSim {
    /// `sigfox-sim run SCENARIO`: plays a scenario and checks its expectations.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario: devices, network, callbacks to a receiver, and its expectations.",
            discussion: """
                A scenario (YAML or JSON) names device types and their callbacks, devices, base stations, \
                traffic, the embedded receiver's answers and the expectations to check; the fields are in \
                docs/scenario-format.md (installed with the tool), and Scenarios/ has one example per feature \
                (its README lists them). Time is virtual by default: hours of traffic and retries in moments, \
                deterministically.

                Examples:
                  sigfox-sim run Scenarios/quickstart.yaml
                  # every request and its answer:
                  sigfox-sim run Scenarios/retries.yaml --show-requests
                  # {receiver} is your own server:
                  sigfox-sim run my.yaml --target http://127.0.0.1:8080
                  # for CI:
                  sigfox-sim run my.yaml --junit report.xml --journal run.jsonl
                  # rewrite its golden files:
                  sigfox-sim run Scenarios/batch.yaml --update-golden
                  # as fast as the real cloud:
                  sigfox-sim run my.yaml --time real

                Exit codes: 0 every expectation held, 1 one failed (or Ctrl-C stopped it), 2 bad usage or a \
                bad scenario file.
                """
        )

        @Argument(help: ArgumentHelp("The scenario file (YAML or JSON).", valueName: "scenario"))
        var scenario: String

        @Option(help: ArgumentHelp("Write every try as a JSON line to this file.", valueName: "file"))
        var journal: String?

        @Flag(help: "Print the report as one JSON object.")
        var json = false

        @Option(help: ArgumentHelp("Write a JUnit XML report (one test case per expectation).", valueName: "file"))
        var junit: String?

        @Option(help: ArgumentHelp("Replace the scenario's time: virtual, real or scaled:N.", valueName: "mode"))
        var time: String?

        @Option(help: "Replace the scenario's seed.")
        var seed: UInt64?

        @Flag(help: "Write this run's normalised journal to the scenario's golden files instead of comparing.")
        var updateGolden = false

        @Flag(help: "Never show the progress line (it shows only when standard error is a terminal).")
        var noProgress = false

        @OptionGroup var trust: TrustOptions

        @OptionGroup var receiver: TargetOption

        @Flag(help: "Print every request sent and the answer it got, after the report (not with --json).")
        var showRequests = false

        func validate() throws {
            if let time, ScenarioTime.mode(time) == nil {
                throw ValidationError(
                    "--time must be virtual, real or scaled:N (N from 0.001 to 1000000), not '\(time)'"
                )
            }
        }

        func run() async throws {
            let showProgress = !json && !noProgress && isatty(STDERR_FILENO) == 1
            let progress = showProgress ? RunProgress() : nil
            let stop = RunStop()
            let options = RunOptions(
                journalPath: journal,
                time: time.flatMap(ScenarioTime.mode),
                seed: seed,
                updateGolden: updateGolden,
                progress: progress,
                stop: stop
            )
            var runOptions = options
            runOptions.caFile = trust.caFile
            runOptions.target = receiver.target
            // Every try in memory only to print them: a long run keeps counts and the first failures.
            runOptions.keepAttempts = showRequests
            // Ctrl-C or SIGTERM: stop at once, cancel what is left, still write the report, the JUnit file
            // and the journal (exit 1). A second signal exits at once (the journal is flushed line by line).
            let runner = try Self.runner(path: scenario, options: runOptions)
            let display = progress.map { ProgressLine(progress: $0) }
            display?.start()
            let result: RunResult
            do {
                result = try await runStoppable(
                    saying: "stopping (what is left is cancelled; again to exit at once)",
                    stop: stop.request
                ) { try runner.run() }
                display?.stop()
            } catch let error as ScenarioRunError {
                display?.stop()
                throw CommandFailure.usage(error.description)
            }
            if let junit {
                do {
                    try result.junit.write(toFile: junit, atomically: true, encoding: .utf8)
                } catch {
                    throw CommandFailure.usage("cannot write the JUnit report \(junit): \(error.localizedDescription)")
                }
            }
            let colour = TerminalColour(fileDescriptor: STDOUT_FILENO, environment: ProcessInfo.processInfo.environment)
            var output = json ? result.json + "\n" : colour.report(result.text)
            if showRequests && !json { output += "\n" + result.requestsText }
            FileHandle.standardOutput.write(Data(output.utf8))
            if updateGolden {
                let written = result.expectations.compactMap(\.wrote)
                let note =
                    written.isEmpty
                    ? "--update-golden: \(scenario) has no golden expectation, so no file was written"
                    : "--update-golden wrote " + written.joined(separator: ", ")
                FileHandle.standardError.write(Data("sigfox-sim: \(note)\n".utf8))
            }
            if result.interrupted {
                throw CommandFailure(message: "interrupted: the report above covers the run so far", code: 1)
            }
            if !result.passed {
                throw CommandFailure(message: "expectations failed in \(scenario)", code: 1)
            }
        }
    }
}

extension SigfoxSim.Run {
    /// The runner of the scenario at `path`; a device no station can hear is named before the run starts
    /// (no silent loss).
    static func runner(path: String, options: RunOptions) throws -> ScenarioRunner {
        let runner: ScenarioRunner
        do {
            runner = try ScenarioRunner(path: path, options: options)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        for warning in runner.scenario.reachWarnings(sendersOnly: true) { printWarning(warning.description) }
        return runner
    }
}

/// The one-line progress display of `run` on a terminal: redrawn in place at most ten times a second on a
/// thread of its own, and erased before the report prints.
final class ProgressLine: Sendable {
    private let line: @Sendable () -> String
    private let stopped = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// A display of `line()`, asked ten times a second.
    init(line: @escaping @Sendable () -> String) {
        self.line = line
    }

    convenience init(progress: RunProgress) {
        self.init(line: { progress.snapshot.line })
    }

    func start() {
        let thread = Thread { [self] in
            var last = ""
            func draw() {
                let line = RunProgress.fitted(line(), columns: Self.terminalColumns())
                guard line != last else { return }
                last = line
                Self.write("\r\u{1B}[2K" + line)
            }
            while stopped.wait(timeout: .now() + .milliseconds(100)) == .timedOut { draw() }
            // The final figures are drawn once however short the run was, then the line is erased.
            draw()
            Self.write("\r\u{1B}[2K")
            done.signal()
        }
        thread.start()
    }

    /// Stops the display and clears its line.
    func stop() {
        stopped.signal()
        done.wait()
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The width of the terminal on standard error (read at every redraw, so a resize is followed); when the
    /// terminal does not say (0 columns, as under `script` without a terminal of its own), no limit.
    static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return .max }
        return Int(size.ws_col)
    }
}
