import Foundation
import SigfoxEngine
import SigfoxModel

/// What a load test measured.
public struct LoadReport: Sendable {
    public struct FailureCount: Sendable, Equatable {
        public var message: String
        public var count: Int
        /// One request that failed so.
        public var example: String
    }

    public var plan: LoadPlan
    /// Where the callbacks went, for a reader (`http://…`, `the embedded receiver (http://…)`).
    public var target: String
    /// The URL `{receiver}` (or the default callback) pointed at; nil when the callbacks went to the
    /// scenario's own URLs.
    public var targetURL: String?
    public var scenarioFile: String
    /// Stopped by Ctrl-C (or `stop()`) before the end.
    public var interrupted: Bool
    /// Wall time of the whole run, arrivals and the wait for the last answers.
    public var elapsedSeconds: Double
    /// Uplinks the generator sent, and what the network made of them.
    public var uplinks: Int
    public var network: NetworkCounters
    /// Tries completed (first tries and retries), with a 2xx and without.
    public var tries: Int
    public var firstTries: Int
    public var retries: Int
    public var delivered: Int
    public var failedTries: Int
    /// Tries sent more than `plan.lateAfterMilliseconds` after their scheduled time.
    public var late: Int
    /// Mean body size of the HTTP requests (bytes).
    public var bodyBytes: Int
    public var fromSchedule: LatencySummary
    public var service: LatencySummary
    public var statuses: [Int: Int]
    public var failures: [FailureCount]
    public var seconds: [LoadSecond]
    /// (percentile, ms) points of the latency distribution, for the plot.
    public var distribution: [(percentile: Double, milliseconds: Double)]
    public var ledger: Ledger
    /// Whether `--max-pending` held due uplinks back (the timetable slipped because of it).
    public var heldBackByPendingLimit: Bool
    /// Each callback's tries, in the order each first ended one.
    public var callbacks: [CallbackFigures]
    /// The plan's thresholds, checked.
    public var thresholds: [ThresholdResult]
    /// How the run was made, for the HTML page's header (set by the command line; empty when not).
    public var commandLine = ""
    public var version = ""
    public var startedAt: Date?

    init(
        plan: LoadPlan,
        target: String,
        targetURL: String? = nil,
        scenarioFile: String,
        interrupted: Bool,
        elapsedSeconds: Double,
        uplinks: Int,
        network: NetworkCounters,
        statistics: LoadStatistics,
        ledger: Ledger,
        heldBackByPendingLimit: Bool = false
    ) {
        self.heldBackByPendingLimit = heldBackByPendingLimit
        self.plan = plan
        self.target = target
        self.targetURL = targetURL
        self.scenarioFile = scenarioFile
        self.interrupted = interrupted
        self.elapsedSeconds = elapsedSeconds
        self.uplinks = uplinks
        self.network = network
        tries = statistics.tries
        firstTries = statistics.firstTries
        retries = statistics.retries
        delivered = statistics.delivered
        failedTries = statistics.failedTries
        late = statistics.late
        bodyBytes = statistics.tries > 0 ? statistics.bodyBytes / statistics.tries : 0
        fromSchedule = LatencySummary(statistics.fromSchedule)
        service = LatencySummary(statistics.service)
        statuses = statistics.statuses
        failures = statistics.failures.map {
            FailureCount(message: $0.key, count: $0.value.count, example: $0.value.example)
        }
        .sorted { ($0.count, $1.message) > ($1.count, $0.message) }
        seconds = statistics.seconds
        var points = [(percentile: Double, milliseconds: Double)]()
        if statistics.fromSchedule.totalCount > 0 {
            for level in [0.0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100] {
                points.append((level, Double(statistics.fromSchedule.valueAtPercentile(level)) / 1000))
            }
        }
        distribution = points
        self.ledger = ledger
        callbacks = statistics.callbacks
        thresholds = []
        thresholds = plan.thresholds.map { Self.check($0, statistics: statistics, perSecond: perSecond) }
    }

    /// Whether every threshold held (true without thresholds).
    public var thresholdsHeld: Bool { thresholds.allSatisfy(\.held) }

    /// The run's figure for `threshold`, and whether it holds. Without a single completed try only a
    /// `rate` threshold can hold: no latency or error share was measured.
    static func check(_ threshold: LoadThreshold, statistics: LoadStatistics, perSecond: Double) -> ThresholdResult {
        let tries = statistics.tries
        func share(_ count: Int) -> Double {
            threshold.unit == .percent ? Double(count) * 100 / Double(max(tries, 1)) : Double(count)
        }
        let actual: Double
        switch threshold.metric {
        case .latency(let percentile, let service):
            let histogram = service ? statistics.service : statistics.fromSchedule
            let microseconds = percentile >= 100 ? histogram.max : histogram.valueAtPercentile(percentile)
            actual = histogram.totalCount == 0 ? 0 : Double(microseconds) / 1000
        case .meanLatency(let service):
            let histogram = service ? statistics.service : statistics.fromSchedule
            actual = histogram.totalCount == 0 ? 0 : histogram.mean / 1000
        case .errors: actual = share(statistics.failedTries)
        case .late: actual = share(statistics.late)
        case .rate: actual = perSecond
        }
        let measured = tries > 0 || threshold.metric == .rate
        return ThresholdResult(
            threshold: threshold,
            actual: actual,
            held: measured && threshold.comparison.holds(actual, threshold.value),
            measured: measured
        )
    }

    /// Tries completed per second of the run.
    public var perSecond: Double { elapsedSeconds > 0 ? Double(tries) / elapsedSeconds : 0 }

    /// The planned mean rate of uplinks (nil for `max`).
    public var plannedRate: Double? {
        guard case .rate(let from, let to) = plan.arrivals else { return nil }
        return (from + to) / 2
    }

    /// Whether the generator kept to its timetable: every planned uplink sent, and at most one try in a
    /// thousand late (a machine that is not idle delays a few sends; the figures still count them).
    public var keptRate: Bool {
        guard let planned = plan.plannedUplinks else { return true }
        return late * 1000 <= tries && (interrupted || uplinks >= planned)
    }
}

extension LoadReport {
    /// The readable report.
    public var text: String {
        var lines = [String]()
        let rate: String
        switch plan.arrivals {
        case .max: rate = "as fast as \(plan.concurrency) requests in flight allow (--rate max)"
        case .rate(let from, let to) where from == to: rate = "\(Self.number(from)) uplinks/s"
        case .rate(let from, let to): rate = "\(Self.number(from)) → \(Self.number(to)) uplinks/s"
        }
        lines.append(
            "sigfox-sim load: \(Self.fixed(plan.duration, 1)) s at \(rate), \(plan.devices) devices, "
                + (plan.engineThreads > 1 ? "\(plan.engineThreads) engine threads, " : "") + "to \(target)"
                + (interrupted ? " — INTERRUPTED" : "")
        )
        if !scenarioFile.isEmpty, !scenarioFile.hasPrefix("(") { lines.append("scenario: \(scenarioFile)") }
        lines.append(
            "uplinks: \(uplinks) sent" + (plan.plannedUplinks.map { " of \($0) planned" } ?? "")
                + ", \(network.messages) received by the network, \(network.lost) lost on the radio"
        )
        lines.append(
            "requests: \(tries) completed in \(Self.fixed(elapsedSeconds, 1)) s = \(Self.fixed(perSecond, 1))/s"
                + " (first tries \(firstTries), retries \(retries)); 2xx \(delivered), errors \(failedTries)"
                + (failedTries > 0 ? " (an error status, no answer, or past the 10 s deadline)" : "")
        )
        let statusText = Self.statusCounts(statuses)
        if !statusText.isEmpty { lines.append("statuses: " + statusText.joined(separator: ", ")) }
        lines.append("latency from the scheduled send time (ms): " + Self.summary(fromSchedule))
        lines.append("service time, from the actual send (ms):   " + Self.summary(service))
        if plan.arrivals != .max {
            if keptRate {
                lines.append(
                    "the generator kept the rate: "
                        + (late == 0
                            ? "no send more than \(plan.lateAfterMilliseconds) ms late"
                            : "\(late) of \(tries) tries (\(Self.fixed(Double(late) * 100 / Double(max(tries, 1)), 3)) %) "
                                + "were sent more than \(plan.lateAfterMilliseconds) ms late (counted from the schedule)")
                )
            } else {
                lines.append(
                    "THE GENERATOR COULD NOT KEEP THE RATE: \(late) of \(tries) tries were sent more than "
                        + "\(plan.lateAfterMilliseconds) ms after their scheduled time"
                        + (uplinks < (plan.plannedUplinks ?? 0) && !interrupted
                            ? ", and \((plan.plannedUplinks ?? 0) - uplinks) planned uplinks were never sent" : "")
                        + " (their latency counts from the schedule)"
                )
                if heldBackByPendingLimit, let limit = plan.maximumPending {
                    lines.append(
                        "  why: --max-pending \(limit) held uplinks back while that many deliveries were pending "
                            + "(retries of a failing receiver); without it the timetable is kept whatever is pending"
                    )
                } else {
                    lines.append(
                        "  why: the receiver answers slower than --concurrency \(plan.concurrency) allows (raise "
                            + "--concurrency), or the engine ran out of CPU (an engine thread uses one core at most: "
                            + "raise --engine-threads, now \(plan.engineThreads))"
                    )
                }
            }
        }
        if bodyBytes > 0 { lines.append("request body: \(bodyBytes) bytes on average") }
        for failure in failures.prefix(5) {
            lines.append("errors: \(failure.count) × \(failure.message) (e.g. \(failure.example))")
        }
        if failures.count > 5 { lines.append("errors: \(failures.count - 5) more kinds") }
        if !callbacks.isEmpty {
            lines.append("callbacks:")
            for figures in callbacks {
                lines.append(
                    "  \(figures.callback) (\(figures.callback.service.rawValue)): \(figures.tries) tries "
                        + "(retries \(figures.retries)), 2xx \(figures.delivered), errors \(figures.errors)"
                        + (figures.cancelled > 0 ? ", cancelled at the end \(figures.cancelled)" : "")
                )
            }
        }
        lines.append(
            "ledger (deliveries): created \(ledger.created) = delivered \(ledger.delivered) + failed "
                + "\(ledger.failed) (given up after the last retry) + cancelled \(ledger.cancelled) + pending \(ledger.pending) → "
                + (ledger.balances ? "balances" : "DOES NOT BALANCE")
        )
        if ledger.cancelled > 0 {
            lines.append(
                "cancelled at the end: \(ledger.cancelled) deliveries still waiting (for a retry, "
                    + "a slot or their deadline) when the run stopped"
            )
        }
        if !plan.retries { lines.append("retries: off (--no-retries)") }
        if !thresholds.isEmpty {
            lines.append("thresholds:")
            for result in thresholds {
                lines.append(
                    "  \(result.held ? "✓" : "✗") \(result.threshold.text)  ("
                        + (result.measured ? result.actualText : "no try completed: nothing measured") + ")"
                )
            }
            let failed = thresholds.filter { !$0.held }.count
            lines.append(
                failed == 0
                    ? "THRESHOLDS HELD: \(thresholds.count) of \(thresholds.count)"
                    : "THRESHOLDS FAILED: \(failed) of \(thresholds.count) did not hold"
            )
        }
        return lines.joined(separator: "\n")
    }

    private static func summary(_ latency: LatencySummary) -> String {
        guard latency.count > 0 else { return "no answers" }
        return "p50 \(fixed(latency.p50, 3))  p90 \(fixed(latency.p90, 3))  p99 \(fixed(latency.p99, 3))  "
            + "p99.9 \(fixed(latency.p999, 3))  max \(fixed(latency.max, 3))  mean \(fixed(latency.mean, 3))"
    }

    /// `200 6099, 503 2505, no answer 79`: each status with its count, in status order.
    static func statusCounts(_ statuses: [Int: Int]) -> [String] {
        statuses.sorted { $0.key < $1.key }
            .map { "\($0.key == AttemptRecord.transportFailureStatus ? "no answer" : String($0.key)) \($0.value)" }
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    public static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : fixed(value, 2)
    }
}

extension LoadReport {
    /// The machine-readable report (one JSON object).
    public var json: String {
        func latency(_ summary: LatencySummary) -> String {
            "{\"count\":\(summary.count),\"meanMs\":\(summary.mean),\"p50Ms\":\(summary.p50),"
                + "\"p90Ms\":\(summary.p90),\"p99Ms\":\(summary.p99),\"p999Ms\":\(summary.p999),\"maxMs\":\(summary.max)}"
        }
        let arrivals: String
        switch plan.arrivals {
        case .max: arrivals = "{\"model\":\"closed\",\"rate\":\"max\"}"
        case .rate(let from, let to): arrivals = "{\"model\":\"open\",\"from\":\(from),\"to\":\(to)}"
        }
        let statusFields = statuses.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
        let failureFields = failures.map {
            "{\"message\":\(JSONText.quoted($0.message)),\"count\":\($0.count),\"example\":\(JSONText.quoted($0.example))}"
        }
        let secondFields = seconds.map {
            "{\"second\":\($0.second),\"completed\":\($0.completed),\"errors\":\($0.errors),"
                + "\"p50Ms\":\($0.p50),\"p99Ms\":\($0.p99),\"maxMs\":\($0.max)}"
        }
        let callbackFields = callbacks.map {
            "{\"callback\":\(JSONText.quoted($0.callback.description)),"
                + "\"service\":\(JSONText.quoted($0.callback.service.rawValue)),\"tries\":\($0.tries),"
                + "\"retries\":\($0.retries),\"delivered\":\($0.delivered),\"errors\":\($0.errors),"
                + "\"cancelled\":\($0.cancelled)}"
        }
        let thresholdFields = thresholds.map {
            "{\"threshold\":\(JSONText.quoted($0.threshold.text)),\"metric\":\(JSONText.quoted($0.threshold.metricName)),"
                + "\"comparison\":\(JSONText.quoted($0.threshold.comparison.rawValue)),\"limit\":\($0.threshold.value),"
                + "\"unit\":\(JSONText.quoted($0.unitName)),\"actual\":\($0.measured ? String($0.actual) : "null"),"
                + "\"held\":\($0.held)}"
        }
        let fields = [
            "\"target\":\(targetURL.map(JSONText.quoted) ?? "null")",
            "\"arrivals\":\(arrivals)",
            "\"durationSeconds\":\(plan.duration)",
            "\"devices\":\(plan.devices)",
            "\"concurrency\":\(plan.concurrency)",
            "\"engineThreads\":\(plan.engineThreads)",
            "\"retries\":\(plan.retries)",
            "\"interrupted\":\(interrupted)",
            "\"elapsedSeconds\":\(elapsedSeconds)",
            "\"uplinks\":{\"sent\":\(uplinks),\"planned\":\(plan.plannedUplinks.map(String.init) ?? "null"),"
                + "\"received\":\(network.messages),\"lost\":\(network.lost)}",
            "\"requests\":{\"completed\":\(tries),\"perSecond\":\(perSecond),\"firstTries\":\(firstTries),"
                + "\"retries\":\(retries),\"delivered\":\(delivered),\"errors\":\(failedTries),\"late\":\(late),"
                + "\"lateAfterMs\":\(plan.lateAfterMilliseconds),\"keptRate\":\(keptRate)}",
            "\"bodyBytes\":\(bodyBytes)",
            "\"latency\":{\"fromSchedule\":\(latency(fromSchedule)),\"service\":\(latency(service))}",
            "\"statuses\":{\(statusFields.joined(separator: ","))}",
            "\"failures\":[\(failureFields.joined(separator: ","))]",
            "\"ledger\":{\"created\":\(ledger.created),\"delivered\":\(ledger.delivered),\"failed\":\(ledger.failed),"
                + "\"cancelled\":\(ledger.cancelled),\"pending\":\(ledger.pending),\"tries\":\(ledger.tries),"
                + "\"balances\":\(ledger.balances)}",
            "\"callbacks\":[\(callbackFields.joined(separator: ","))]",
            "\"thresholds\":[\(thresholdFields.joined(separator: ","))]",
            "\"thresholdsHeld\":\(thresholdsHeld)",
            "\"seconds\":[\(secondFields.joined(separator: ","))]",
        ]
        return "{" + fields.joined(separator: ",") + "}"
    }
}
