import Foundation
import SigfoxEngine
import SigfoxScenario

extension LoadReport {
    /// A self-contained page: how the run was made, the text summary, and inline SVG charts of latency,
    /// outcomes and retries over time and of the latency distribution. No scripts, no fonts, no network
    /// access: it opens from a file, in a CI artefact or a mail, years later.
    public var html: String {
        let title = "sigfox-sim load — \(MarkupText.escaped(target))"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:960px}
            pre{background:#f6f6f6;padding:1em;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
            svg{background:#fff;border:1px solid #ddd;margin:.5em 0;max-width:100%;height:auto}
            .axis{stroke:#999;stroke-width:1}.grid{stroke:#eee;stroke-width:1}
            text{font-size:11px;fill:#444}
            .meta th{text-align:left;font-weight:600;padding-right:1em;vertical-align:top}
            .meta code{font-size:12px;overflow-wrap:anywhere}
            .verdict{font-weight:600;color:#2a7d2a}.verdict.bad{color:#b00}
            .thresholds{font-size:16px;margin:.6em 0}.thresholds ul{margin:.3em 0 .8em;padding-left:1.2em;font-size:14px;font-weight:400}
            .held{color:#2a7d2a}.failed{color:#b00}
            .note{font-size:12px;color:#555;margin:0 0 1em}
            </style></head><body>
            <h1>\(title)</h1>
            \(metadata)
            \(thresholdVerdict)
            \(verdict)
            <pre>\(MarkupText.escaped(text))</pre>
            <h2>Latency over time</h2>
            \(latencyChart)
            <h2>Tries per second by outcome</h2>
            \(outcomeChart)
            <h2>First tries and retries per second</h2>
            \(triesChart)
            \(partialSecondNote)
            <h2>Latency distribution (from the scheduled send time)</h2>
            \(distributionChart)
            </body></html>

            """
    }

    // MARK: The header

    /// The command line, version and start date, so a page found later says how to make it again.
    private var metadata: String {
        var rows = [(String, String)]()
        if !commandLine.isEmpty { rows.append(("command", "<code>\(MarkupText.escaped(commandLine))</code>")) }
        if !version.isEmpty { rows.append(("version", MarkupText.escaped(version))) }
        if let startedAt { rows.append(("started", ISO8601DateFormatter().string(from: startedAt) + " (UTC)")) }
        rows.append(("target", MarkupText.escaped(target)))
        let cells = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }
        return "<table class=\"meta\">\(cells.joined())</table>"
    }

    /// One line that says at a glance whether the receiver answered: the text below is long, and the
    /// charts' first impression is their shape.
    private var verdict: String {
        guard tries > 0 else { return "<p class=\"verdict bad\">No try completed.</p>" }
        guard failedTries > 0 else { return "<p class=\"verdict\">All \(tries) tries were delivered (2xx).</p>" }
        let share = Self.fixed(Double(failedTries) * 100 / Double(tries), 1)
        let kinds = Self.statusCounts(statuses.filter { !(200..<300).contains($0.key) })
        return "<p class=\"verdict bad\">\(share) % of the \(tries) tries were errors, without a 2xx in time"
            + (kinds.isEmpty ? "" : " (\(kinds.joined(separator: ", ")))") + ".</p>"
    }

    /// The thresholds first, as k6 leads with them: whether the run passes as a check (held or FAILED), then
    /// each threshold with ✓ or ✗ and the run's figure. Nothing without thresholds.
    private var thresholdVerdict: String {
        guard !thresholds.isEmpty else { return "" }
        let failed = thresholds.filter { !$0.held }.count
        let head =
            failed == 0
            ? "<span class=\"held\">Thresholds held: all \(thresholds.count)</span>"
            : "<span class=\"failed\">Thresholds FAILED: \(failed) of \(thresholds.count) did not hold</span>"
        let items = thresholds.map { result in
            "<li class=\"\(result.held ? "held" : "failed")\">\(result.held ? "✓" : "✗") "
                + "<code>\(MarkupText.escaped(result.threshold.text))</code> (\(MarkupText.escaped(result.actualText)))</li>"
        }
        return "<div class=\"thresholds verdict\(failed == 0 ? "" : " bad")\">\(head)<ul>\(items.joined())</ul></div>"
    }

    // MARK: Charts over time

    /// Schedule latency p50, p99 and max beside service time p50 and p99, per second. Far apart, the
    /// generator fell behind (or waited for a connection); together, the receiver is slow.
    private var latencyChart: String {
        // A last second the run ended inside holds a few stragglers (retries, slow answers at the drain): its
        // percentiles are not drawn, nor set the axis, so they cannot look like a spike.
        var partial = partialLastSecond?.second
        var whole = seconds.filter { $0.second != partial }
        if !whole.contains(where: { $0.max > 0 }) {
            // A run that answered within its one partial second: that second is all there is, drawn as it is.
            partial = nil
            whole = seconds
        }
        let drawn = whole.filter { $0.max > 0 }
        guard !drawn.isEmpty else { return "<p>No request completed.</p>" }
        let area = ChartArea(height: 320)
        let time = TimeAxis(seconds: seconds.count, area: area)
        let values = drawn.flatMap { [$0.p50, $0.p99, $0.max, $0.serviceP50, $0.serviceP99] }
        let axis = ValueAxis(values: values, logarithmic: Self.prefersLogScale(overTime: whole))
        let series: [LineSeries] = [
            LineSeries(name: "max", color: "#d62728", dash: "", value: \.max),
            LineSeries(name: "p99", color: "#ff7f0e", dash: "", value: \.p99),
            LineSeries(name: "p50", color: "#1f77b4", dash: "", value: \.p50),
            LineSeries(name: "service p99", color: "#ff7f0e", dash: "5 3", value: \.serviceP99),
            LineSeries(name: "service p50", color: "#1f77b4", dash: "5 3", value: \.serviceP50),
        ]
        var svg = Self.frame(area: area, time: time, values: axis, unit: "ms")
        for line in series {
            // A second without an answer breaks the line instead of drawing a fall to zero.
            for run in Self.runs(of: whole, where: { $0[keyPath: line.value] > 0 }) {
                let points = run.map { second in
                    "\(Self.f(time.x(Double(second.second) + 0.5))),"
                        + Self.f(area.y(axis.fraction(second[keyPath: line.value])))
                }
                svg +=
                    "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\" "
                    + (line.dash.isEmpty ? "" : "stroke-dasharray=\"\(line.dash)\" ")
                    + "points=\"\(points.joined(separator: " "))\"><title>\(line.name)</title></polyline>"
            }
        }
        svg += Self.legend(series.map { ($0.name, $0.color, $0.dash) }, area: area)
        var note =
            "<p class=\"note\">Solid: from the scheduled send time (what a device's message waited). Dashed: "
            + "service time, from the actual send to the answer. Each point is one second's percentile."
        if let partial, let last = seconds.last, last.second == partial, last.max > 0 {
            // Pale points apart from the lines, clamped to the axis: never a line rising to a spike.
            svg += "<g opacity=\"0.5\"><title>\(partial) s, a part of a second: not joined to the lines</title>"
            for line in series where last[keyPath: line.value] > 0 {
                let value = last[keyPath: line.value]
                svg +=
                    "<circle cx=\"\(Self.f(time.x(Double(partial) + 0.5)))\" cy=\"\(Self.f(area.y(axis.fraction(value))))\" "
                    + "r=\"3\" fill=\"none\" stroke=\"\(line.color)\"><title>\(line.name) \(Self.fixed(value, 3)) ms</title></circle>"
            }
            svg += "</g>"
            note +=
                " The last second (\(partial) s) the run ended inside holds \(last.completed) "
                + "\(last.completed == 1 ? "try" : "tries"), often the last answers and retries of the drain: its "
                + "percentiles (p99 \(Self.fixed(last.p99, 3)) ms, max \(Self.fixed(last.max, 3)) ms) are pale points "
                + "apart from the lines, and do not set the scale."
        }
        return svg + "</svg>" + note + "</p>"
    }

    /// Completed tries per second stacked by outcome: a failing receiver is red, however fast it fails.
    private var outcomeChart: String {
        stackedChart(
            unit: "tries/s",
            series: [
                StackedSeries(name: "2xx", color: "#2ca02c", count: \.outcomes.delivered),
                StackedSeries(name: "4xx", color: "#ff7f0e", count: \.outcomes.clientErrors),
                StackedSeries(name: "5xx", color: "#d62728", count: \.outcomes.serverErrors),
                StackedSeries(name: "no answer", color: "#7b3294", count: \.outcomes.noAnswer),
                StackedSeries(name: "other failure", color: "#8c564b", count: \.outcomes.otherFailures),
            ]
        )
    }

    /// First tries and retries per second: Sigfox retries a failure 1, 2 and 4 minutes later (scaled by
    /// --time), so an outage comes back as waves of retries after it.
    private var triesChart: String {
        stackedChart(
            unit: "tries/s",
            series: [
                StackedSeries(name: "first tries", color: "#1f77b4", count: \.firstTries),
                StackedSeries(name: "retries", color: "#9467bd", count: \.retries),
            ]
        )
    }

    /// One bar a second, its series stacked from the bottom, with a tooltip of the second's counts. The
    /// last second, when partial, is scaled to a rate and drawn pale with a dashed outline (or left out).
    private func stackedChart(unit: String, series: [StackedSeries]) -> String {
        guard !seconds.isEmpty else { return "<p>No request completed.</p>" }
        let area = ChartArea(height: 240)
        let time = TimeAxis(seconds: seconds.count, area: area)
        let partial = partialLastSecond
        let bars = seconds.compactMap { second -> (second: LoadSecond, scale: Double, partial: Bool)? in
            guard let partial, partial.second == second.second else { return (second, 1, false) }
            return partial.drawn ? (second, 1 / partial.covered, true) : nil
        }
        let peak = bars.map { bar in Double(series.reduce(0) { $0 + bar.second[keyPath: $1.count] }) * bar.scale }
        let axis = ValueAxis(values: peak, logarithmic: false)
        var svg = Self.frame(area: area, time: time, values: axis, unit: unit)
        for (second, scale, isPartial) in bars {
            let counts = series.map { "\($0.name) \(second[keyPath: $0.count])" }.joined(separator: ", ")
            svg +=
                "<g\(isPartial ? " opacity=\"0.45\"" : "")><title>\(second.second) s: \(counts)"
                + (isPartial ? " in \(Self.fixed(1 / scale, 2)) s, drawn as a rate per second" : "") + "</title>"
            let x0 = time.x(Double(second.second))
            let barWidth = max(time.x(Double(second.second + 1)) - x0 - (time.seconds > 200 ? 0 : 1), 0.5)
            var base = 0.0
            for entry in series {
                let count = Double(second[keyPath: entry.count]) * scale
                guard count > 0 else { continue }
                let yTop = area.y(axis.fraction(base + count))
                let yBottom = area.y(axis.fraction(base))
                svg +=
                    "<rect x=\"\(Self.f(x0))\" y=\"\(Self.f(yTop))\" width=\"\(Self.f(barWidth))\" "
                    + "height=\"\(Self.f(yBottom - yTop))\" fill=\"\(entry.color)\""
                    + (isPartial ? " stroke=\"#222\" stroke-dasharray=\"3 2\"" : "") + "/>"
                base += count
            }
            svg += "</g>"
        }
        svg += Self.legend(series.map { ($0.name, $0.color, "") }, area: area)
        return svg + "</svg>"
    }

    /// The last second when the run ended inside it (its tries came in part of a second, and drawn as a
    /// count it would look like a drop): which second, the part of it the run covered, and whether the
    /// rate charts draw it (scaled to a rate) or leave it out (under a fifth of a second, a few
    /// stragglers would scale to a spike).
    var partialLastSecond: (second: Int, covered: Double, drawn: Bool)? {
        guard let last = seconds.last else { return nil }
        let covered = elapsedSeconds - Double(last.second)
        guard covered < 0.999 else { return nil }
        return (last.second, max(covered, 0), covered >= 0.2)
    }

    private var partialSecondNote: String {
        guard let partial = partialLastSecond, let last = seconds.last else { return "" }
        let covered = Self.fixed(partial.covered, 2)
        return "<p class=\"note\">The run ended \(covered) s into its last second (\(partial.second) s, "
            + "\(last.completed) tries): "
            + (partial.drawn
                ? "the bars above draw it scaled to a rate per second, pale with a dashed outline."
                : "the bars above leave it out, too short to give a rate.")
            + "</p>"
    }

    // MARK: The distribution

    /// Latency by percentile, the percentile axis in "nines" (90, 99, 99.9 ...).
    private var distributionChart: String {
        guard !distribution.isEmpty else { return "<p>No request completed.</p>" }
        let area = ChartArea(height: 320)
        let values = distribution.map(\.milliseconds)
        let p99 = distribution.first { $0.percentile == 99 }?.milliseconds ?? 0
        let axis = ValueAxis(
            values: values,
            logarithmic: Self.prefersLogScale(peak: values.max() ?? 0, typical: p99)
        )
        let maxNines = 4.0
        func nines(_ percentile: Double) -> Double {
            min(maxNines, -log10(max(1 - percentile / 100, pow(10, -maxNines))))
        }
        func x(_ percentile: Double) -> Double { area.left + nines(percentile) / maxNines * area.plotWidth }
        let labels = [(0.0, "0%"), (90, "90%"), (99, "99%"), (99.9, "99.9%"), (99.99, "99.99%+")]
        var svg = Self.frame(area: area, xTicks: labels.map { (x($0.0), $0.1) }, values: axis, unit: "ms")
        let points = distribution.map {
            "\(Self.f(x($0.percentile))),\(Self.f(area.y(axis.fraction($0.milliseconds))))"
        }
        svg +=
            "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        for point in distribution {
            svg +=
                "<circle cx=\"\(Self.f(x(point.percentile)))\" cy=\"\(Self.f(area.y(axis.fraction(point.milliseconds))))\" "
                + "r=\"2.5\" fill=\"#1f77b4\"><title>p\(Self.number(point.percentile)): "
                + "\(Self.fixed(point.milliseconds, 3)) ms</title></circle>"
        }
        return svg + "</svg>"
    }

    // MARK: Scales

    /// A log scale when the highest value is more than 20 times the typical one: on a linear scale one
    /// spike (a GC pause, a reconnect) would press everything else flat along the bottom.
    static func prefersLogScale(peak: Double, typical: Double) -> Bool {
        typical > 0 && peak > 20 * typical
    }

    /// For latency over time: the run's highest max against the median of the seconds' p99s.
    static func prefersLogScale(overTime seconds: [LoadSecond]) -> Bool {
        let p99s = seconds.map(\.p99).filter { $0 > 0 }.sorted()
        guard !p99s.isEmpty else { return false }
        return prefersLogScale(peak: seconds.map(\.max).max() ?? 0, typical: p99s[p99s.count / 2])
    }

    /// 1, 2 or 5 times a power of ten, at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, (log10(value)).rounded(.down))
        for step in [1.0, 2, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    // MARK: Drawing

    /// The SVG element with the time axis's ticks at their seconds.
    private static func frame(area: ChartArea, time: TimeAxis, values: ValueAxis, unit: String) -> String {
        frame(area: area, xTicks: time.ticks.map { ($0.x, time.label($0.second)) }, values: values, unit: unit)
    }

    /// The SVG element, axes, horizontal grid with the value axis's labels, and x labels where told.
    private static func frame(
        area: ChartArea,
        xTicks: [(x: Double, label: String)],
        values: ValueAxis,
        unit: String
    ) -> String {
        let bottom = area.top + area.plotHeight
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(area.width))\" height=\"\(Int(area.height))\" "
            + "viewBox=\"0 0 \(Int(area.width)) \(Int(area.height))\">"
        for value in values.ticks {
            let y = area.y(values.fraction(value))
            svg +=
                "<line class=\"grid\" x1=\"\(f(area.left))\" y1=\"\(f(y))\" x2=\"\(f(area.width - area.right))\" y2=\"\(f(y))\"/>"
            svg += "<text x=\"\(f(area.left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(tickLabel(value))</text>"
        }
        for tick in xTicks {
            svg +=
                "<line class=\"axis\" x1=\"\(f(tick.x))\" y1=\"\(f(bottom))\" x2=\"\(f(tick.x))\" y2=\"\(f(bottom + 4))\"/>"
            svg +=
                "<text x=\"\(f(tick.x))\" y=\"\(f(bottom + 17))\" text-anchor=\"middle\">\(MarkupText.escaped(tick.label))</text>"
        }
        svg +=
            "<line class=\"axis\" x1=\"\(f(area.left))\" y1=\"\(f(area.top))\" x2=\"\(f(area.left))\" y2=\"\(f(bottom))\"/>"
        svg +=
            "<line class=\"axis\" x1=\"\(f(area.left))\" y1=\"\(f(bottom))\" x2=\"\(f(area.width - area.right))\" y2=\"\(f(bottom))\"/>"
        let label = values.logarithmic ? "\(unit) (log scale)" : unit
        let middle = f(area.top + area.plotHeight / 2)
        svg +=
            "<text x=\"14\" y=\"\(middle)\" transform=\"rotate(-90 14 \(middle))\" text-anchor=\"middle\">\(label)</text>"
        return svg
    }

    /// Entries above the plot: a swatch (a dashed line for a dashed series) and the name.
    private static func legend(_ entries: [(name: String, color: String, dash: String)], area: ChartArea) -> String {
        var svg = ""
        var x = area.left
        for entry in entries {
            let dash = entry.dash.isEmpty ? "" : " stroke-dasharray=\"\(entry.dash)\""
            svg +=
                "<line x1=\"\(f(x))\" y1=\"10\" x2=\"\(f(x + 18))\" y2=\"10\" stroke=\"\(entry.color)\" stroke-width=\""
                + (entry.dash.isEmpty ? "6" : "2") + "\"\(dash)/>"
            svg += "<text x=\"\(f(x + 22))\" y=\"14\">\(MarkupText.escaped(entry.name))</text>"
            x += 30 + Double(entry.name.count) * 6.5
        }
        return svg
    }

    /// The stretches of consecutive seconds that pass `include`.
    private static func runs(of seconds: [LoadSecond], where include: (LoadSecond) -> Bool) -> [[LoadSecond]] {
        var runs = [[LoadSecond]]()
        var current = [LoadSecond]()
        for second in seconds {
            if include(second) {
                current.append(second)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private static func f(_ value: Double) -> String { fixed(value, 1) }

    /// `0`, `250`, `0.125`, `0.001`: whole values as integers, others with the digits they have.
    private static func tickLabel(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }

    /// The command line as one would type it again in a POSIX shell: arguments with other characters than
    /// letters, digits and `_@%+=:,./-` in single quotes.
    public static func shellQuoted(_ arguments: [String]) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")
        return arguments.map { argument in
            guard argument.isEmpty || !argument.allSatisfy(plain.contains) else { return argument }
            return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        .joined(separator: " ")
    }
}

/// The drawing area of one chart: the SVG's size, the margins for labels and legend, and where a
/// fraction of the value axis lands.
struct ChartArea {
    var width = 900.0
    var height: Double
    var left = 60.0
    var right = 20.0
    var top = 26.0
    var bottom = 40.0

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    /// 0 at the bottom of the plot, 1 at its top.
    func y(_ fraction: Double) -> Double { top + plotHeight * (1 - fraction) }
}

/// The x axis of the charts over time: second s of the run spans x(s) to x(s + 1), and each tick is a
/// multiple of a round step (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1 h ...) drawn at that
/// second's own position, so a label names the time under it.
struct TimeAxis {
    /// The whole seconds shown: 0 at the left edge, `seconds` at the right.
    let seconds: Int
    let left: Double
    let width: Double

    init(seconds: Int, area: ChartArea) {
        self.seconds = max(seconds, 1)
        left = area.left
        width = area.plotWidth
    }

    static let steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200]

    /// The smallest round step that gives at most `maximumTicks` intervals over `seconds`.
    static func step(forSeconds seconds: Int, maximumTicks: Int = 10) -> Int {
        if let step = steps.first(where: { seconds <= $0 * maximumTicks }) { return step }
        var step = 86_400
        while seconds > step * maximumTicks { step *= 2 }
        return step
    }

    var step: Int { Self.step(forSeconds: seconds) }

    func x(_ second: Double) -> Double { left + second / Double(seconds) * width }

    /// The ticks: every multiple of `step` from 0 to `seconds`, at x(that second).
    var ticks: [(second: Int, x: Double)] {
        stride(from: 0, through: seconds, by: step).map { ($0, x(Double($0))) }
    }

    /// In the step's unit, so the labels of one axis read alike: `45 s`, `10 min`, `2 h`.
    func label(_ second: Int) -> String {
        if step % 3_600 == 0 { return "\(second / 3_600) h" }
        if step % 60 == 0 { return "\(second / 60) min" }
        return "\(second) s"
    }
}

/// The y axis: linear from 0 to a round ceiling, or logarithmic from a decade to a round ceiling.
struct ValueAxis {
    let logarithmic: Bool
    let low: Double
    let high: Double

    /// Fitted to `values` (non-positive ones are not drawn on a log scale, so they do not set its bottom).
    init(values: [Double], logarithmic: Bool) {
        let peak = values.max() ?? 1
        let smallest = values.filter { $0 > 0 }.min() ?? 1
        self.logarithmic = logarithmic
        if logarithmic {
            low = pow(10, log10(smallest).rounded(.down))
            high = max(LoadReport.niceCeiling(peak), low * 10)
        } else {
            low = 0
            high = LoadReport.niceCeiling(peak)
        }
    }

    /// Where `value` lands, 0 (bottom) to 1 (top), clamped.
    func fraction(_ value: Double) -> Double {
        let position =
            logarithmic
            ? (log10(max(value, low)) - log10(low)) / (log10(high) - log10(low))
            : (value - low) / (high - low)
        return min(max(position, 0), 1)
    }

    /// Quarters of a linear axis; each decade of a log one up to its top (every other beyond six).
    var ticks: [Double] {
        guard logarithmic else { return (0...4).map { low + (high - low) * Double($0) / 4 } }
        let first = log10(low).rounded()
        let decades = Int((log10(high) - first + 1e-9).rounded(.down))
        let every = decades > 6 ? 2 : 1
        return stride(from: 0, through: decades, by: every).map { pow(10, first + Double($0)) }
    }
}

/// A line of the latency chart.
private struct LineSeries {
    let name: String
    let color: String
    let dash: String
    let value: KeyPath<LoadSecond, Double>
}

/// A layer of a stacked bar chart.
private struct StackedSeries {
    let name: String
    let color: String
    let count: KeyPath<LoadSecond, Int>
}
