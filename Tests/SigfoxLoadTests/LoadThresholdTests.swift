import Foundation
import SigfoxEngine
import SigfoxLoad
import SigfoxReceiverModel
import SigfoxScenario
import SigfoxServices
import SigfoxTesting
import Testing

@Suite("load thresholds")
struct LoadThresholdTests {
    @Test(
        "each form reads as its metric, comparison, value and unit",
        arguments: [
            ("p99<50ms", "p99", LoadThreshold.Comparison.less, 50.0, LoadThreshold.Unit.milliseconds),
            ("p99 < 50", "p99", .less, 50, .milliseconds),
            ("p99.9<=1.5s", "p99.9", .lessOrEqual, 1500, .milliseconds),
            ("max<250us", "max", .less, 0.25, .milliseconds),
            ("service.p50<2ms", "service.p50", .less, 2, .milliseconds),
            ("mean<10ms", "mean", .less, 10, .milliseconds),
            ("errors<1%", "errors", .less, 1, .percent),
            ("errors<1", "errors", .less, 1, .count),
            ("late<=0.1%", "late", .lessOrEqual, 0.1, .percent),
            ("rate>=990/s", "rate", .greaterOrEqual, 990, .perSecond),
            ("rate>10", "rate", .greater, 10, .perSecond),
        ]
    )
    func parses(
        text: String,
        metric: String,
        comparison: LoadThreshold.Comparison,
        value: Double,
        unit: LoadThreshold.Unit
    )
        throws
    {
        let threshold = try LoadThreshold.parse(text)
        #expect(threshold.metricName == metric)
        #expect(threshold.comparison == comparison)
        #expect(abs(threshold.value - value) < 1e-9)
        #expect(threshold.unit == unit)
        #expect(threshold.text == text)
    }

    @Test(
        "a threshold that cannot be read says what is wrong and how to write it",
        arguments: [
            ("p99", "no comparison"),
            ("<50ms", "no metric"),
            ("p99<", "no value"),
            ("p99<<5", "a latency is a number of ms, s or us"),
            ("p99x<5ms", "unknown metric 'p99x' (did you mean 'p99'?)"),
            ("eror<1%", "did you mean 'errors'?"),
            ("errors<150%", "a share is at most 100%"),
            ("errors<1.5", "give a count"),
            ("rate>fast", "'fast' is not a number"),
            ("p101<5ms", "unknown metric"),
        ]
    )
    func rejects(text: String, fragment: String) {
        #expect {
            try LoadThreshold.parse(text)
        } throws: { error in
            let description = "\(error)"
            return description.contains(fragment) && description.contains("--threshold '\(text)'")
                && description.contains("like p99<50ms")
        }
    }

    @Test("the live progress line says when the run drains, and counts late sends")
    func progressLine() {
        var figures = LiveFigures()
        figures.elapsedSeconds = 4.2
        figures.completed = 420
        figures.late = 3
        #expect(figures.progressLine(rate: 100, total: 8).hasPrefix("load 4.2/8 s · 100 req/s"))
        #expect(figures.progressLine(rate: 100, total: 8).contains("late 3"))
        figures.elapsedSeconds = 16.1
        #expect(figures.progressLine(rate: 0, total: 8).hasPrefix("load draining 16.1 s (arrivals ended at 8 s)"))
    }

    @Test("a receiver that answers 500: errors<1% does not hold, p99 and rate do; report and JSON say so")
    func checkedAgainstARealRun() async throws {
        var plan = LoadPlan(arrivals: .rate(from: 100, to: 100), duration: 0.5, devices: 10, retries: false)
        plan.thresholds = try ["errors<1%", "p99<5s", "rate>=1/s", "errors<=50"].map(LoadThreshold.parse)
        let (report, _) = try await loadTest(plan, rules: ReceiverRules(default: .status(500)))
        #expect(report.failedTries == 50)
        #expect(report.thresholds.map(\.held) == [false, true, true, true])
        #expect(report.thresholds[0].actual == 100)
        #expect(report.thresholds[3].actual == 50)
        #expect(!report.thresholdsHeld)
        #expect(report.text.contains("  ✗ errors<1%  (errors 100.000 %)"))
        #expect(report.text.contains("  ✓ errors<=50  (errors 50)"))
        #expect(report.text.contains("THRESHOLDS FAILED: 1 of 4 did not hold"))
        // "errors" is the tries without a 2xx, in the requests line and the callbacks; "failed" only the
        // ledger's deliveries given up (none: a single try is not retried, so the delivery failed).
        #expect(report.text.contains("2xx 0, errors 50"))
        #expect(report.text.contains("uplink (DATA/UPLINK): 50 tries (retries 0), 2xx 0, errors 50"))
        #expect(report.text.contains("failed 50 (given up after the last retry)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        let thresholds = try #require(json["thresholds"] as? [[String: Any]])
        #expect(thresholds.map { $0["held"] as? Bool } == [false, true, true, true])
        #expect(thresholds[0]["unit"] as? String == "%" && thresholds[0]["limit"] as? Double == 1)
        #expect(json["thresholdsHeld"] as? Bool == false)
        #expect((json["target"] as? String)?.hasPrefix("http://127.0.0.1:") == true)
        let latency = try #require((json["latency"] as? [String: Any])?["fromSchedule"] as? [String: Any])
        #expect(latency["p99Ms"] is Double && latency["p99"] == nil)
        #expect((json["requests"] as? [String: Any])?["errors"] as? Int == 50)
    }

    @Test("without a completed try only a rate threshold can hold: nothing else was measured")
    func nothingMeasured() async throws {
        var plan = LoadPlan(arrivals: .rate(from: 10, to: 10), duration: 0.1, devices: 1, retries: false)
        plan.thresholds = try ["p99<5s", "errors<1%", "rate>=0/s"].map(LoadThreshold.parse)
        let receiver = try await EmbeddedReceiver.start()
        let runner = try LoadRunner(plan: plan, target: receiver.baseURL + "/")
        runner.stop()
        let report = await offPool { try! runner.run() }
        try await receiver.shutdown()
        #expect(report.tries == 0)
        #expect(report.thresholds.map(\.held) == [false, false, true])
        #expect(report.text.contains("✗ p99<5s  (no try completed: nothing measured)"))
    }

    @Test("load --scenario drains: every DATA_ADVANCED its uplinks fired is sent before the run ends")
    func drainsDataAdvanced() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let scenario = try Scenario.load(path: root.appendingPathComponent("Scenarios/quickstart.yaml").path)
        // 25 s become 1 s: the last uplinks' DATA_ADVANCED fall a second after the arrivals end.
        let plan = LoadPlan(arrivals: .rate(from: 20, to: 20), duration: 1, devices: 5, timeScale: 25)
        let runner = try LoadRunner(plan: plan, scenario: scenario, target: nil)
        let report = await offPool { try! runner.run() }
        let services = Dictionary(uniqueKeysWithValues: report.callbacks.map { ($0.callback.service, $0) })
        #expect(report.uplinks == 20)
        #expect(services[.dataUplink]?.delivered == 20)
        #expect(services[.dataAdvanced]?.delivered == 20)
        #expect(report.ledger.created == 40 && report.ledger.cancelled == 0 && report.ledger.balances)
        #expect(report.elapsedSeconds > 1.5)
        #expect(report.text.contains("advanced (SERVICE/DATA_ADVANCED): 20 tries"))
    }
}
