import Foundation
import SigfoxModel

/// A pass/fail condition on a load test's figures, k6's model: `--threshold 'p99<50ms'`,
/// `'errors<1%'`, `'rate>=990/s'`. Every threshold is checked when the run is over; the report lists
/// each as held or not, and `load` exits 1 when one does not hold.
///
/// Grammar: `METRIC OP VALUE`, OP one of `<`, `<=`, `>`, `>=`, spaces allowed around OP.
/// - latency from the scheduled send time: `p50`, `p90`, `p95`, `p99`, `p99.9` (any `pN`), `max`,
///   `mean`; the service time (from the actual send): the same with `service.` before it. VALUE in
///   `ms` (the default), `s` or `us`.
/// - `errors` (tries without a 2xx answer in time) and `late` (tries sent more than `--late-after` ms
///   after their scheduled time): a count, or with `%` a share of the tries.
/// - `rate`: tries completed per second over the run (`/s` optional).
public struct LoadThreshold: Sendable, Equatable, CustomStringConvertible {
    public enum Metric: Sendable, Equatable {
        /// A percentile (0...100) of the latency from the schedule or of the service time, in ms.
        case latency(percentile: Double, service: Bool)
        /// The mean of one of them, in ms.
        case meanLatency(service: Bool)
        case errors
        case late
        case rate
    }

    public enum Comparison: String, Sendable, CaseIterable {
        // Two-character operators first, so `<=` is not read as `<` then `=50`.
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case less = "<"
        case greater = ">"

        func holds(_ actual: Double, _ limit: Double) -> Bool {
            switch self {
            case .less: return actual < limit
            case .lessOrEqual: return actual <= limit
            case .greater: return actual > limit
            case .greaterOrEqual: return actual >= limit
            }
        }
    }

    /// What VALUE counts.
    public enum Unit: Sendable, Equatable {
        case milliseconds
        /// A share of the tries, in percent.
        case percent
        case count
        case perSecond
    }

    /// As written.
    public var text: String
    public var metric: Metric
    public var comparison: Comparison
    /// In `unit`: milliseconds for latencies whatever unit was written.
    public var value: Double
    public var unit: Unit

    public var description: String { text }

    /// The metric names, for error messages and "did you mean".
    static let metricNames = [
        "p50", "p90", "p95", "p99", "p99.9", "max", "mean", "service.p50", "service.p99", "service.max",
        "service.mean", "errors", "late", "rate",
    ]

    public static let grammar =
        "METRIC OP VALUE, like p99<50ms, errors<1%, rate>=990/s (METRIC: pN, max, mean, service.pN, "
        + "service.max, service.mean, errors, late, rate; OP: <, <=, >, >=)"

    /// Reads one `--threshold`; the error says what is wrong and how to write it.
    public static func parse(_ text: String) throws(ThresholdError) -> LoadThreshold {
        let compact = text.filter { !$0.isWhitespace }
        guard
            let (operatorRange, comparison) = Comparison.allCases.lazy.compactMap({ comparison in
                compact.range(of: comparison.rawValue).map { ($0, comparison) }
            }).min(by: { $0.0.lowerBound < $1.0.lowerBound })
        else {
            throw ThresholdError(text: text, problem: "no comparison (<, <=, > or >=)")
        }
        let name = String(compact[..<operatorRange.lowerBound]).lowercased()
        let valueText = String(compact[operatorRange.upperBound...])
        guard !name.isEmpty else {
            throw ThresholdError(text: text, problem: "no metric before \(comparison.rawValue)")
        }
        guard !valueText.isEmpty else {
            throw ThresholdError(text: text, problem: "no value after \(comparison.rawValue)")
        }
        let metric = try Self.metric(name, text: text)
        let (value, unit) = try Self.value(valueText, for: metric, text: text)
        return LoadThreshold(text: text, metric: metric, comparison: comparison, value: value, unit: unit)
    }

    private static func metric(_ name: String, text: String) throws(ThresholdError) -> Metric {
        switch name {
        case "errors", "error", "failed": return .errors
        case "late": return .late
        case "rate", "rps": return .rate
        default: break
        }
        let service = name.hasPrefix("service.")
        let latency = service ? String(name.dropFirst("service.".count)) : name
        switch latency {
        case "max": return .latency(percentile: 100, service: service)
        case "min": return .latency(percentile: 0, service: service)
        case "mean", "avg": return .meanLatency(service: service)
        default: break
        }
        if latency.hasPrefix("p"), let percentile = Double(latency.dropFirst()), (0...100).contains(percentile) {
            return .latency(percentile: percentile, service: service)
        }
        var problem = "unknown metric '\(name)'"
        if let near = nearestName(to: name, among: metricNames) { problem += " (did you mean '\(near)'?)" }
        throw ThresholdError(text: text, problem: problem)
    }

    private static func value(
        _ text: String,
        for metric: Metric,
        text threshold: String
    ) throws(ThresholdError) -> (
        Double, Unit
    ) {
        func number(_ digits: Substring) throws(ThresholdError) -> Double {
            guard let value = Double(digits), value.isFinite, value >= 0 else {
                throw ThresholdError(text: threshold, problem: "'\(text)' is not a number of 0 or more")
            }
            return value
        }
        switch metric {
        case .latency, .meanLatency:
            for (suffix, factor) in [("ms", 1.0), ("us", 0.001), ("µs", 0.001), ("s", 1000)]
            where text.hasSuffix(suffix) {
                return (try number(text.dropLast(suffix.count)) * factor, .milliseconds)
            }
            guard Double(text) != nil else {
                throw ThresholdError(
                    text: threshold,
                    problem: "a latency is a number of ms, s or us (like 50ms), not '\(text)'"
                )
            }
            return (try number(Substring(text)), .milliseconds)
        case .errors, .late:
            if text.hasSuffix("%") {
                let share = try number(text.dropLast())
                guard share <= 100 else { throw ThresholdError(text: threshold, problem: "a share is at most 100%") }
                return (share, .percent)
            }
            guard Int(text) != nil else {
                throw ThresholdError(
                    text: threshold,
                    problem: "give a count (like 0) or a share (like 1%), not '\(text)'"
                )
            }
            return (try number(Substring(text)), .count)
        case .rate:
            let digits = text.hasSuffix("/s") ? text.dropLast(2) : Substring(text)
            return (try number(digits), .perSecond)
        }
    }

    /// The metric's name as the report shows it (`p99`, `service.max`, `errors`).
    public var metricName: String {
        switch metric {
        case .latency(let percentile, let service):
            let name = percentile == 100 ? "max" : percentile == 0 ? "min" : "p" + Self.trimmed(percentile)
            return (service ? "service." : "") + name
        case .meanLatency(let service): return service ? "service.mean" : "mean"
        case .errors: return "errors"
        case .late: return "late"
        case .rate: return "rate"
        }
    }

    /// `12.5` → "12.5", `99` → "99".
    static func trimmed(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// A `--threshold` that cannot be read.
public struct ThresholdError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String

    public var description: String {
        "--threshold '\(text)': \(problem); write it as \(LoadThreshold.grammar)"
    }
}

/// A threshold checked against a run.
public struct ThresholdResult: Sendable, Equatable {
    public var threshold: LoadThreshold
    /// The run's figure, in the threshold's unit.
    public var actual: Double
    public var held: Bool
    /// False when nothing was measured (no try completed): the threshold then does not hold.
    public var measured: Bool

    /// `p99 3.214 ms`, `errors 100.000 %`, `rate 998.2/s`.
    public var actualText: String {
        let name = threshold.metricName
        switch threshold.unit {
        case .milliseconds: return "\(name) " + String(format: "%.3f ms", actual)
        case .percent: return "\(name) " + String(format: "%.3f %%", actual)
        case .count: return "\(name) \(Int(actual))"
        case .perSecond: return "\(name) " + String(format: "%.1f/s", actual)
        }
    }

    public var unitName: String {
        switch threshold.unit {
        case .milliseconds: return "ms"
        case .percent: return "%"
        case .count: return "count"
        case .perSecond: return "/s"
        }
    }
}
