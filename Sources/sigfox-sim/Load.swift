import ArgumentParser
import Foundation
import SigfoxEngine
import SigfoxLoad
import SigfoxModel
import SigfoxScenario
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SigfoxSim {
    /// `sigfox-sim load`: an open-model load test of a receiver.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Load-test a receiver: uplinks at a fixed rate, callbacks as Sigfox sends them, latency from the schedule.",
            discussion: """
                Uplinks arrive on a timetable (--rate per second, optionally ramping to --ramp-to) for --duration, \
                spread over --devices generated devices. Each fires its device type's callbacks (by default one \
                DATA/UPLINK POST with a JSON body to --target; with --scenario, the scenario's device types and \
                callbacks, {receiver} being --target or the scenario's embedded receiver). Latency counts from each \
                request's scheduled send time, so a slow receiver or a generator that falls behind cannot hide it; \
                the report says when the generator could not keep the rate. Sigfox's retries (1, 2, 4 min after \
                each failure) apply unless --no-retries; --time scaled:N makes those waits (and DATA_ADVANCED's \
                25 s) N times shorter. --rate max is a closed model like wrk's and hey's: a new uplink whenever one \
                of --concurrency slots is free. When the arrivals end the run drains: it goes on until every \
                callback its uplinks fired has been sent (a DATA_ADVANCED 25 s after the last uplink, an \
                ACKNOWLEDGE when the downlink window closes) and answered; retries due after that are cancelled \
                and counted. The report breaks the tries down per callback. Ctrl-C stops early and prints the \
                report so far.

                Examples:
                  sigfox-sim load --target http://127.0.0.1:8080/ --rate 500 --duration 30
                  sigfox-sim load --target URL --rate 100 --ramp-to 2000 --html load.html
                  sigfox-sim load --scenario Scenarios/quickstart.yaml --rate 200 --json
                  sigfox-sim load --target URL --rate 1000 --threshold 'p99<50ms'

                Thresholds make it a check (k6's model): --threshold 'p99<50ms' --threshold 'errors<1%' \
                --threshold 'rate>=990/s' are checked when the run is over and listed in the report, held or not.

                Exit codes: 0 the run went to its end and every --threshold held (without thresholds, whatever \
                the receiver answered), 1 a threshold did not hold or Ctrl-C stopped it (the report is printed \
                either way), 2 bad usage or a bad scenario.
                """
        )

        @Option(
            help: ArgumentHelp(
                "Where callbacks go: the default callback's URL, or {receiver} of --scenario.",
                valueName: "url"
            )
        )
        var target: String?

        @Option(
            help: ArgumentHelp("Take device types, callbacks and base stations from this scenario.", valueName: "file")
        )
        var scenario: String?

        // `.unconditional`: a negative value is read as the value it is, so validation says what is wrong
        // with it ("must be above 0") instead of "missing value".
        @Option(
            parsing: .unconditional,
            help: ArgumentHelp("Uplinks per second (at the start, with --ramp-to), or max.", valueName: "n|max")
        )
        var rate = "100"

        @Option(
            parsing: .unconditional,
            help: ArgumentHelp("Ramp linearly to this many uplinks per second by the end.", valueName: "n")
        )
        var rampTo: Double?

        @Option(
            parsing: .unconditional,
            help: ArgumentHelp(
                "How long uplinks arrive: seconds, or 30s, 5m, 1m30s (as in scenarios).",
                valueName: "duration"
            )
        )
        var duration = "10s"

        @Option(help: "Generated devices the uplinks are spread over.")
        var devices = 1_000

        @Option(help: "Requests in flight at most (connections); the rest wait and count as late.")
        var concurrency = 256

        @Option(
            help: """
                Engine threads, each with its share of the devices, arrivals and --concurrency, and its \
                own generator, scheduler and libcurl connections (one core each at most).
                """
        )
        var engineThreads = 1

        @Flag(help: "One try per callback: no retries after a failure.")
        var noRetries = false

        @Option(
            help: ArgumentHelp(
                "real, or scaled:N to make retry waits and DATA_ADVANCED's 25 s N times shorter.",
                valueName: "mode"
            )
        )
        var time = "real"

        @Option(help: ArgumentHelp("A send this many ms after its scheduled time counts as late.", valueName: "ms"))
        var lateAfter: Int64 = 10

        @Option(
            help: ArgumentHelp(
                "Every uplink's payload (hex, up to 12 bytes); default an 8-byte counter.",
                valueName: "hex"
            )
        )
        var payload: String?

        @Option(help: "Seed of the network's generator.")
        var seed: UInt64 = 1

        @Option(
            help: ArgumentHelp(
                "Hold new uplinks back while this many deliveries are pending (a fixed --rate only; default: "
                    + "never, as the real cloud keeps sending during a retry storm).",
                valueName: "n"
            )
        )
        var maxPending: Int?

        @OptionGroup var trust: TrustOptions

        @Option(
            name: .customLong("threshold"),
            parsing: .unconditionalSingleValue,
            help: ArgumentHelp(
                "A condition the run must meet, checked at the end (exit 1 when one does not hold); several "
                    + "allowed: p99<50ms, max<1s, service.p99<20ms, errors<1% (a share) or errors<1 (a count), late<0.1%, "
                    + "rate>=990/s.",
                valueName: "condition"
            )
        )
        var thresholds: [String] = []

        @Flag(help: "Print the report as one JSON object.")
        var json = false

        @Option(
            help: ArgumentHelp("Also write a self-contained HTML report (SVG plots) to this file.", valueName: "file")
        )
        var html: String?

        @Flag(help: "Never show the progress line (it shows only when standard error is a terminal).")
        var noProgress = false

        func validate() throws {
            guard target != nil || scenario != nil else {
                throw ValidationError("give --target URL (the default callback goes there) or --scenario FILE")
            }
            if let target, !(target.hasPrefix("http://") || target.hasPrefix("https://")) {
                throw ValidationError("--target must be an http:// or https:// URL, not '\(target)'")
            }
            guard rate == "max" || (Double(rate).map { $0 > 0 && $0 <= 1_000_000 } ?? false) else {
                throw ValidationError(
                    "--rate must be a number of uplinks per second above 0 and at most 1000000, or max; not '\(rate)'"
                )
            }
            if let rampTo {
                guard rampTo >= 0, rampTo <= 1_000_000 else {
                    throw ValidationError("--ramp-to must be in 0...1000000")
                }
                guard rate != "max" else { throw ValidationError("--ramp-to needs a numeric --rate, not max") }
            }
            guard let seconds = Self.seconds(duration), seconds > 0, seconds <= 31 * 86_400 else {
                throw ValidationError(
                    "--duration must be positive and at most 31 days: seconds, or like 30s, 5m, 1m30s; not '\(duration)'"
                )
            }
            _ = seconds
            guard devices >= 1, devices <= 1_000_000 else { throw ValidationError("--devices must be in 1...1000000") }
            guard concurrency >= 1, concurrency <= 100_000 else {
                throw ValidationError("--concurrency must be in 1...100000")
            }
            guard (1...64).contains(engineThreads) else { throw ValidationError("--engine-threads must be in 1...64") }
            guard Self.scale(time) != nil else {
                throw ValidationError("--time must be real or scaled:N (N from 0.001 to 1000000), not '\(time)'")
            }
            guard lateAfter >= 0 else { throw ValidationError("--late-after must be 0 or more") }
            if let maxPending {
                guard maxPending >= 1 else { throw ValidationError("--max-pending must be at least 1") }
                guard rate != "max" else { throw ValidationError("--max-pending goes with a fixed --rate, not max") }
            }
            for threshold in thresholds {
                do {
                    _ = try LoadThreshold.parse(threshold)
                } catch {
                    throw ValidationError(error.description)
                }
            }
            if let payload {
                guard let bytes = try? Hex.bytes(from: payload), bytes.count <= 12 else {
                    throw ValidationError(
                        "--payload must be up to 12 bytes of hex (an even number of digits), not '\(payload)'"
                    )
                }
            }
        }

        func run() async throws {
            #if DEBUG
            printWarning(
                "this is a debug build, several times slower than a release one: for load tests build with "
                    + "SIGFOX_SIM_CONFIGURATION=release scripts/sigfox-sim (or swift build -c release)"
            )
            #endif
            var plan = LoadPlan(
                arrivals: rate == "max" ? .max : .rate(from: Double(rate)!, to: rampTo ?? Double(rate)!),
                duration: Self.seconds(duration)!,
                devices: devices,
                concurrency: concurrency,
                engineThreads: engineThreads,
                retries: !noRetries,
                timeScale: Self.scale(time)!,
                lateAfterMilliseconds: lateAfter,
                payload: payload.flatMap { try? Hex.bytes(from: $0) },
                seed: seed
            )
            plan.maximumPending = maxPending
            plan.caFile = trust.caFile
            plan.thresholds = thresholds.compactMap { try? LoadThreshold.parse($0) }
            let runner: LoadRunner
            do {
                if let scenario {
                    runner = try LoadRunner(plan: plan, scenario: try Scenario.load(path: scenario), target: target)
                } else {
                    runner = try LoadRunner(plan: plan, target: target!)
                }
            } catch let error as ConfigError {
                throw CommandFailure.usage(error.description)
            } catch let error as LoadError {
                throw CommandFailure.usage(error.description)
            }
            let showProgress = !json && !noProgress && isatty(STDERR_FILENO) == 1
            let total = plan.duration
            let meter = RateMeter()
            let display =
                showProgress
                ? ProgressLine(line: {
                    let figures = runner.live.current
                    return figures.progressLine(rate: meter.rate(figures), total: total)
                }) : nil
            display?.start()
            var report: LoadReport
            do {
                report = try await runStoppable(saying: nil, stop: runner.stop) { try runner.run() }
                report.commandLine = LoadReport.shellQuoted(CommandLine.arguments)
                report.version = SigfoxSim.versionText
                report.startedAt = Date(timeIntervalSinceNow: -report.elapsedSeconds)
                display?.stop()
            } catch let error as LoadError {
                display?.stop()
                throw CommandFailure.usage(error.description)
            }
            if let html {
                do {
                    try report.html.write(toFile: html, atomically: true, encoding: .utf8)
                } catch {
                    throw CommandFailure.usage("cannot write the HTML report \(html): \(error.localizedDescription)")
                }
            }
            let output = json ? report.json + "\n" : report.text + "\n"
            FileHandle.standardOutput.write(Data(output.utf8))
            if report.interrupted {
                throw CommandFailure(message: "interrupted: the report above covers the run so far", code: 1)
            }
            if !report.thresholdsHeld {
                let failed = report.thresholds.filter { !$0.held }.map(\.threshold.text)
                throw CommandFailure(
                    message: "threshold\(failed.count == 1 ? "" : "s") not held: " + failed.joined(separator: ", "),
                    code: 1
                )
            }
        }

        /// `30`, `30s`, `1.5s`, `5m`, `1h` → seconds.
        /// The scenario's duration grammar (`30s`, `5m`, `1m30s`, `250ms`), or a plain number of seconds.
        static func seconds(_ text: String) -> Double? {
            if let plain = Double(text), plain.isFinite { return plain }
            return ScenarioTime.duration(text).map { Double($0.milliseconds) / 1000 }
        }

        /// `real` → 1, `scaled:N` → N.
        static func scale(_ text: String) -> Double? {
            if text == "real" { return 1 }
            guard text.hasPrefix("scaled:"), let factor = Double(text.dropFirst("scaled:".count)),
                ScenarioTime.scales.contains(factor)
            else { return nil }
            return factor
        }
    }
}

/// Requests a second over about the last second, from the progress display's samples.
private final class RateMeter: Sendable {
    private let samples = Mutex<[(seconds: Double, completed: Int)]>([])

    func rate(_ figures: LiveFigures) -> Int {
        samples.withLock { samples in
            samples.append((figures.elapsedSeconds, figures.completed))
            while samples.count > 2, figures.elapsedSeconds - samples[1].seconds >= 1 { samples.removeFirst() }
            guard let first = samples.first, figures.elapsedSeconds - first.seconds > 0.05 else { return 0 }
            return Int(
                (Double(figures.completed - first.completed) / (figures.elapsedSeconds - first.seconds)).rounded()
            )
        }
    }
}
