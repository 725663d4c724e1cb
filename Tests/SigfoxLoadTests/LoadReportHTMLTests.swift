import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel
import SigfoxServices
import Testing

@testable import SigfoxLoad

/// A report with no run behind it, to which tests give the seconds they need.
private func emptyReport(elapsedSeconds: Double, seconds: [LoadSecond]) -> LoadReport {
    var report = LoadReport(
        plan: LoadPlan(),
        target: "http://127.0.0.1:9/sigfox",
        scenarioFile: "",
        interrupted: false,
        elapsedSeconds: elapsedSeconds,
        uplinks: 0,
        network: NetworkCounters(),
        statistics: LoadStatistics(start: SimulationTime(milliseconds: 0), lateAfterMilliseconds: 10),
        ledger: Ledger()
    )
    report.seconds = seconds
    report.tries = seconds.reduce(0) { $0 + $1.completed }
    report.delivered = report.tries
    return report
}

/// A second of `delivered` 2xx first tries, latency p50 1 ms, p99 `p99`, max `max`.
private func second(_ index: Int, delivered: Int = 100, p99: Double = 2, max: Double = 3) -> LoadSecond {
    var second = LoadSecond(second: index, completed: delivered, errors: 0, p50: 1, p99: p99, max: max)
    second.outcomes.delivered = delivered
    second.firstTries = delivered
    second.serviceP50 = 0.5
    second.serviceP99 = 1
    return second
}

/// The part of the page from the heading that starts with `heading` to the next heading.
private func section(_ html: String, _ heading: String) throws -> String {
    let start = try #require(html.range(of: "<h2>" + heading))
    let end = html.range(of: "<h2>", range: start.upperBound..<html.endIndex)?.lowerBound ?? html.endIndex
    return String(html[start.lowerBound..<end])
}

/// How many rectangles of that fill the SVG has.
private func rectangles(_ svg: String, fill: String) -> Int {
    svg.components(separatedBy: "fill=\"\(fill)\"").count - 1
}

/// The `height` attributes of the rectangles in `svg`, in order.
private func heights(_ svg: String) -> [Double] {
    svg.matches(of: /<rect [^>]*height="([0-9.]+)"/).compactMap { Double($0.1) }
}

@Suite("Load: the HTML report")
struct LoadReportHTMLTests {
    @Test(
        "a failing receiver's run is red over time: outcomes and retries per second add up to the run's",
        .timeLimit(.minutes(2))
    )
    func failuresOverTime() async throws {
        // scaled:600 turns Sigfox's 1, 2, 4 minutes into 100, 200, 400 ms: retries inside the run.
        let plan = LoadPlan(arrivals: .rate(from: 20, to: 20), duration: 1.5, devices: 5, timeScale: 600)
        let (report, _) = try await loadTest(plan, rules: ReceiverRules(default: .status(500)))
        #expect(report.retries > 0 && report.delivered == 0)
        let total = report.seconds.reduce(into: LoadSecond.Outcomes()) { total, second in
            total.delivered += second.outcomes.delivered
            total.serverErrors += second.outcomes.serverErrors
            total.noAnswer += second.outcomes.noAnswer
        }
        #expect(total.serverErrors == report.tries)
        #expect(total.delivered == 0 && total.noAnswer == 0)
        #expect(report.seconds.reduce(0) { $0 + $1.firstTries } == report.firstTries)
        #expect(report.seconds.reduce(0) { $0 + $1.retries } == report.retries)
        #expect(report.seconds.allSatisfy { $0.firstTries + $0.retries == $0.completed })
        #expect(report.seconds.contains { $0.serviceP99 > 0 && $0.serviceP99 <= $0.max })

        let html = report.html
        #expect(
            html.contains(
                "<p class=\"verdict bad\">100.0 % of the \(report.tries) tries were errors, without a 2xx in time (500 \(report.tries))"
            )
        )
        let outcomes = try section(html, "Tries per second by outcome")
        #expect(rectangles(outcomes, fill: "#d62728") > 0)  // 5xx bars
        #expect(rectangles(outcomes, fill: "#2ca02c") == 0)  // no 2xx bar
        let tries = try section(html, "First tries and retries")
        #expect(rectangles(tries, fill: "#9467bd") > 0)  // retry bars
        #expect(rectangles(tries, fill: "#1f77b4") > 0)  // first-try bars
        #expect(html.contains("service p99"))
    }

    @Test("time ticks are multiples of a round step, each drawn at its own second")
    func timeTicks() throws {
        #expect(TimeAxis.step(forSeconds: 1) == 1)
        #expect(TimeAxis.step(forSeconds: 10) == 1)
        #expect(TimeAxis.step(forSeconds: 11) == 2)
        #expect(TimeAxis.step(forSeconds: 23) == 5)
        #expect(TimeAxis.step(forSeconds: 101) == 15)
        #expect(TimeAxis.step(forSeconds: 151) == 30)
        #expect(TimeAxis.step(forSeconds: 600) == 60)
        #expect(TimeAxis.step(forSeconds: 31 * 86_400) == 345_600)

        let area = ChartArea(height: 240)
        let axis = TimeAxis(seconds: 23, area: area)
        #expect(axis.ticks.map(\.second) == [0, 5, 10, 15, 20])
        for tick in axis.ticks {
            #expect(abs(tick.x - (area.left + Double(tick.second) / 23 * area.plotWidth)) < 1e-9)
        }
        #expect(axis.label(20) == "20 s")
        #expect(TimeAxis(seconds: 600, area: area).label(300) == "5 min")
        #expect(TimeAxis(seconds: 36_000, area: area).label(7_200) == "2 h")

        // On the page: the label "20 s" sits at x(20), not at a fraction of the span (20 of 23 is 0.87).
        let report = emptyReport(elapsedSeconds: 23, seconds: (0..<23).map { second($0) })
        let latency = try section(report.html, "Latency over time")
        let x20 = LoadReport.fixed(TimeAxis(seconds: 23, area: ChartArea(height: 320)).x(20), 1)
        #expect(latency.contains("<text x=\"\(x20)\" y=\"297.0\" text-anchor=\"middle\">20 s</text>"))
        #expect(!latency.contains(">23 s<"))
    }

    @Test("the last partial second is drawn as a rate, pale and dashed, or left out when too short")
    func partialLastSecond() throws {
        // Ten whole seconds of 100 tries, then 50 in the half second the run lasted past them.
        var seconds = (0..<10).map { second($0) }
        seconds.append(second(10, delivered: 50))
        let half = emptyReport(elapsedSeconds: 10.5, seconds: seconds)
        let partial = try #require(half.partialLastSecond)
        #expect(partial.second == 10 && abs(partial.covered - 0.5) < 1e-9 && partial.drawn)
        let bars = try section(half.html, "Tries per second by outcome")
        #expect(bars.contains("<g opacity=\"0.45\"><title>10 s: 2xx 50, "))
        #expect(bars.contains("in 0.50 s, drawn as a rate per second"))
        // Scaled to 100 a second, its bar is as tall as the others: no drop.
        let barHeights = heights(bars)
        #expect(barHeights.count == 11)
        #expect(Set(barHeights).count == 1)
        #expect(half.html.contains("The run ended 0.50 s into its last second (10 s, 50 tries)"))

        let short = emptyReport(elapsedSeconds: 10.1, seconds: seconds)
        #expect(short.partialLastSecond?.drawn == false)
        let shortBars = try section(short.html, "Tries per second by outcome")
        #expect(heights(shortBars).count == 10)
        #expect(!shortBars.contains("<title>10 s:"))
        #expect(short.html.contains("leave it out, too short to give a rate"))

        let whole = emptyReport(elapsedSeconds: 11, seconds: seconds)
        #expect(whole.partialLastSecond == nil)
        #expect(!whole.html.contains("into its last second"))
        #expect(heights(try section(whole.html, "Tries per second by outcome")).count == 11)
    }

    @Test("the last partial second's percentiles are pale points apart from the lines, and do not set the scale")
    func partialSecondPercentiles() throws {
        // Ten steady seconds, then a quarter second holding three stragglers of the drain, 400 ms late.
        var seconds = (0..<10).map { second($0) }
        var last = second(10, delivered: 3, p99: 400, max: 450)
        last.p50 = 380
        seconds.append(last)
        let report = emptyReport(elapsedSeconds: 10.25, seconds: seconds)
        let latency = try section(report.html, "Latency over time")
        // No line reaches it, and the axis stays that of the whole seconds (3 ms max → 5), linear.
        #expect(latency.contains(">5</text>") && !latency.contains(">500</text>") && !latency.contains("log scale"))
        let x10 = LoadReport.fixed(TimeAxis(seconds: 11, area: ChartArea(height: 320)).x(10.5), 1)
        #expect(!latency.contains(" \(x10),") && latency.components(separatedBy: "<polyline").count == 6)
        #expect(latency.contains("<g opacity=\"0.5\"><title>10 s, a part of a second: not joined to the lines</title>"))
        #expect(latency.contains("<circle cx=\"\(x10)\"") && latency.contains("<title>max 450.000 ms</title>"))
        #expect(latency.contains("The last second (10 s) the run ended inside holds 3 tries"))
        // Whole seconds only: no note, no pale points.
        let whole = try section(emptyReport(elapsedSeconds: 11, seconds: seconds).html, "Latency over time")
        #expect(!whole.contains("a part of a second") && whole.contains("log scale"))
    }

    @Test("the page leads with the thresholds, held or FAILED as k6 says, before the share of errors")
    func thresholdsFirst() throws {
        var report = emptyReport(elapsedSeconds: 3, seconds: (0..<3).map { second($0) })
        report.thresholds = [
            ThresholdResult(threshold: try LoadThreshold.parse("p99<50ms"), actual: 2, held: true, measured: true),
            ThresholdResult(threshold: try LoadThreshold.parse("errors<1%"), actual: 12.5, held: false, measured: true),
        ]
        let html = report.html
        let verdict = try #require(html.range(of: "Thresholds FAILED: 1 of 2 did not hold"))
        let share = try #require(html.range(of: "<p class=\"verdict\">All 300 tries were delivered"))
        #expect(verdict.lowerBound < share.lowerBound)
        #expect(html.contains("<li class=\"held\">✓ <code>p99&lt;50ms</code> (p99 2.000 ms)</li>"))
        #expect(html.contains("<li class=\"failed\">✗ <code>errors&lt;1%</code> (errors 12.500 %)</li>"))
        report.thresholds[1].held = true
        #expect(report.html.contains("Thresholds held: all 2"))
        report.thresholds = []
        #expect(!report.html.contains("Thresholds"))
        // The text wraps in its block instead of scrolling sideways.
        #expect(
            html.contains(
                "pre{background:#f6f6f6;padding:1em;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}"
            )
        )
    }

    @Test("a log scale when one spike is over 20 times the typical p99, and the axis says so")
    func logScale() throws {
        #expect(LoadReport.prefersLogScale(peak: 50, typical: 2))
        #expect(!LoadReport.prefersLogScale(peak: 30, typical: 2))
        #expect(!LoadReport.prefersLogScale(peak: 30, typical: 0))
        let steady = (0..<20).map { second($0, p99: 2, max: 30) }
        #expect(!LoadReport.prefersLogScale(overTime: steady))
        var spiked = steady
        spiked[7].max = 500
        spiked[7].p99 = 400
        #expect(LoadReport.prefersLogScale(overTime: spiked))

        let axis = ValueAxis(values: [0.5, 2, 100], logarithmic: true)
        #expect(axis.ticks == [0.1, 1, 10, 100])
        #expect(abs(axis.fraction(1) - 1.0 / 3) < 1e-9)
        #expect(axis.fraction(0) == 0)
        #expect(ValueAxis(values: [3.2], logarithmic: false).ticks == [0, 1.25, 2.5, 3.75, 5])

        let steadyPage = try section(emptyReport(elapsedSeconds: 20, seconds: steady).html, "Latency over time")
        #expect(steadyPage.contains(">ms</text>") && !steadyPage.contains("log scale"))
        let spikedPage = try section(emptyReport(elapsedSeconds: 20, seconds: spiked).html, "Latency over time")
        #expect(spikedPage.contains(">ms (log scale)</text>"))
        // From the decade under the smallest value (service p50 0.5 ms) to the round ceiling of the spike.
        #expect(spikedPage.contains(">0.1</text>") && spikedPage.contains(">100</text>"))
        #expect(!spikedPage.contains(">1000</text>"))
    }

    @Test("the header gives the command line (shell-quoted), version and start date; the page stays self-contained")
    func header() throws {
        let arguments = ["sigfox-sim", "load", "--target", "http://127.0.0.1:9/a b", "--html", "o'k.html", ""]
        #expect(
            LoadReport.shellQuoted(arguments)
                == "sigfox-sim load --target 'http://127.0.0.1:9/a b' --html 'o'\\''k.html' ''"
        )
        var report = emptyReport(elapsedSeconds: 3, seconds: (0..<3).map { second($0) })
        report.target = "http://127.0.0.1:9/<x>"
        report.commandLine = LoadReport.shellQuoted(arguments)
        report.version = "sigfox-sim 9.9.9 (libcurl 8.0.0)"
        report.startedAt = Date(timeIntervalSince1970: 1_767_323_045)  // 2026-01-02 03:04:05 UTC
        let html = report.html
        #expect(html.contains("<code>sigfox-sim load --target &apos;http://127.0.0.1:9/a b&apos; --html"))
        #expect(html.contains("<th>version</th><td>sigfox-sim 9.9.9 (libcurl 8.0.0)</td>"))
        #expect(html.contains("<th>started</th><td>2026-01-02T03:04:05Z (UTC)</td>"))
        #expect(html.contains("<p class=\"verdict\">All 300 tries were delivered (2xx).</p>"))
        #expect(!html.contains("<x>"))
        // Self-contained: no scripts, no links, no resources; "http" only in the SVG namespace and the
        // target and command line (shown as text).
        #expect(!html.contains("<script"))
        #expect(!html.contains("href=") && !html.contains("src=") && !html.contains("url("))
        let rest = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            .replacingOccurrences(of: "http://127.0.0.1:9/", with: "")
        #expect(!rest.contains("http"))
        #expect(html.components(separatedBy: "<svg").count == 4)  // no distribution without a histogram
    }
}
