import Foundation
import SigfoxScenario

extension LoadReport {
    /// A self-contained page: the summary, latency over time and the latency distribution as inline SVG.
    /// No scripts, no fonts, no network access.
    public var html: String {
        let title = "sigfox-sim load — \(MarkupText.escaped(target))"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:960px}
            pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}
            svg{background:#fff;border:1px solid #ddd;margin:.5em 0}
            .axis{stroke:#999;stroke-width:1}.grid{stroke:#eee;stroke-width:1}
            text{font-size:11px;fill:#444}
            </style></head><body>
            <h1>\(title)</h1>
            <pre>\(MarkupText.escaped(text))</pre>
            <h2>Latency over time (from the scheduled send time)</h2>
            \(timeChart)
            <h2>Latency distribution</h2>
            \(distributionChart)
            </body></html>

            """
    }

    private static let width = 900.0
    private static let height = 320.0
    private static let left = 60.0
    private static let right = 20.0
    private static let top = 20.0
    private static let bottom = 40.0

    /// p50, p99 and max per second, and completed requests per second (right axis).
    private var timeChart: String {
        guard !seconds.isEmpty else { return "<p>No request completed.</p>" }
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let maxLatency = Self.niceCeiling(seconds.map(\.max).max() ?? 1)
        let maxRate = Self.niceCeiling(Double(seconds.map(\.completed).max() ?? 1))
        let span = Double(max(seconds.count - 1, 1))
        func x(_ second: Int) -> Double { Self.left + Double(second) / span * plotWidth }
        func y(_ value: Double, _ top: Double) -> Double { Self.top + plotHeight * (1 - min(value / top, 1)) }
        func line(_ values: [Double], top: Double, color: String, dash: String = "") -> String {
            let points = zip(seconds, values).map { "\(Self.f(x($0.0.second))),\(Self.f(y($0.1, top)))" }
            return
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" \(dash) points=\"\(points.joined(separator: " "))\"/>"
        }
        var svg = Self.frame(
            yLabel: "ms",
            yMax: maxLatency,
            xLabels: (0...4).map { (Double($0) / 4, "\(Int((span * Double($0) / 4).rounded())) s") }
        )
        svg += line(seconds.map { Double($0.completed) }, top: maxRate, color: "#bbb", dash: "stroke-dasharray=\"4 3\"")
        svg += line(seconds.map(\.max), top: maxLatency, color: "#d62728")
        svg += line(seconds.map(\.p99), top: maxLatency, color: "#ff7f0e")
        svg += line(seconds.map(\.p50), top: maxLatency, color: "#1f77b4")
        svg +=
            "<text x=\"\(Self.f(Self.width - Self.right))\" y=\"\(Self.f(Self.top - 6))\" text-anchor=\"end\">"
            + "requests/s (dashed, right scale to \(Int(maxRate)))</text>"
        svg += Self.legend([("p50", "#1f77b4"), ("p99", "#ff7f0e"), ("max", "#d62728")])
        return svg + "</svg>"
    }

    /// Latency by percentile, the percentile axis in "nines" (90, 99, 99.9 ...).
    private var distributionChart: String {
        guard !distribution.isEmpty else { return "<p>No request completed.</p>" }
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let maxLatency = Self.niceCeiling(distribution.map(\.milliseconds).max() ?? 1)
        let maxNines = 4.0
        func nines(_ percentile: Double) -> Double {
            min(maxNines, -log10(max(1 - percentile / 100, pow(10, -maxNines))))
        }
        func x(_ percentile: Double) -> Double { Self.left + nines(percentile) / maxNines * plotWidth }
        func y(_ value: Double) -> Double { Self.top + plotHeight * (1 - min(value / maxLatency, 1)) }
        var svg = Self.frame(
            yLabel: "ms",
            yMax: maxLatency,
            xLabels: [(0, "0%"), (0.25, "90%"), (0.5, "99%"), (0.75, "99.9%"), (1, "99.99%+")]
        )
        let points = distribution.map { "\(Self.f(x($0.percentile))),\(Self.f(y($0.milliseconds)))" }
        svg +=
            "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        for point in distribution {
            svg +=
                "<circle cx=\"\(Self.f(x(point.percentile)))\" cy=\"\(Self.f(y(point.milliseconds)))\" r=\"2.5\" fill=\"#1f77b4\">"
                + "<title>p\(Self.number(point.percentile)): \(Self.fixed(point.milliseconds, 3)) ms</title></circle>"
        }
        return svg + "</svg>"
    }

    /// The SVG element, axes, horizontal grid with labels, and x labels at fractions of the width.
    private static func frame(yLabel: String, yMax: Double, xLabels: [(Double, String)]) -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        for step in 0...4 {
            let value = yMax * Double(step) / 4
            let y = top + plotHeight * (1 - Double(step) / 4)
            svg += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(number(value))</text>"
        }
        svg +=
            "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotHeight))\"/>"
        svg +=
            "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(width - right))\" "
            + "y2=\"\(f(top + plotHeight))\"/>"
        for (fraction, label) in xLabels {
            let x = left + fraction * plotWidth
            svg +=
                "<text x=\"\(f(x))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(MarkupText.escaped(label))</text>"
        }
        svg +=
            "<text x=\"12\" y=\"\(f(top + plotHeight / 2))\" transform=\"rotate(-90 12 \(f(top + plotHeight / 2)))\" "
            + "text-anchor=\"middle\">\(yLabel)</text>"
        return svg
    }

    private static func legend(_ entries: [(String, String)]) -> String {
        var svg = ""
        for (index, entry) in entries.enumerated() {
            let x = left + 10 + Double(index) * 70
            svg += "<rect x=\"\(f(x))\" y=\"\(f(top + 2))\" width=\"12\" height=\"3\" fill=\"\(entry.1)\"/>"
            svg += "<text x=\"\(f(x + 16))\" y=\"\(f(top + 7))\">\(entry.0)</text>"
        }
        return svg
    }

    /// 1, 2 or 5 times a power of ten, at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, (log10(value)).rounded(.down))
        for step in [1.0, 2, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    private static func f(_ value: Double) -> String { fixed(value, 1) }

}
