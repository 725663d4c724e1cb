import Foundation
import SigfoxTesting
import Testing

@Suite("sigfox-sim load", .timeLimit(.minutes(1)))
struct LoadCommandTests {
    @Test("a scenario's callbacks to its embedded receiver: JSON report and a self-contained HTML page")
    func scenarioRun() throws {
        let folder = try temporaryFolder("load")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("load.html").path
        // --time scaled:25: DATA_ADVANCED comes 1 s after each uplink, so the last ones fall after the
        // arrivals end and are drained, not dropped.
        let run = try ToolRun.run([
            "load", "--scenario", "Scenarios/quickstart.yaml", "--rate", "50", "--duration", "1s", "--devices", "10",
            "--time", "scaled:25", "--threshold", "errors<1%", "--threshold", "p99<5s", "--json", "--html", page,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let requests = try #require(json["requests"] as? [String: Any])
        #expect(requests["completed"] as? Int == 100)
        #expect(requests["errors"] as? Int == 0)
        #expect((json["ledger"] as? [String: Any])?["balances"] as? Bool == true)
        #expect((json["target"] as? String)?.hasPrefix("http://127.0.0.1:") == true)
        let callbacks = try #require(json["callbacks"] as? [[String: Any]])
        #expect(callbacks.map { $0["service"] as? String } == ["DATA/UPLINK", "SERVICE/DATA_ADVANCED"])
        #expect(callbacks.map { $0["delivered"] as? Int } == [50, 50])
        #expect(json["thresholdsHeld"] as? Bool == true)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<svg"))
        #expect(html.contains("Latency distribution"))
        // The header says how the page was made: the command line as typed, the version, the start in UTC.
        #expect(
            html.contains("--scenario Scenarios/quickstart.yaml --rate 50 --duration 1s --devices 10 --time scaled:25")
        )
        #expect(html.contains("<th>version</th><td>sigfox-sim 0."))
        #expect(html.contains(/<th>started<\/th><td>20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ \(UTC\)<\/td>/))
    }

    @Test(
        "bad options exit 2 with one line naming the option",
        arguments: [
            (["load"], "--target URL"),
            (["load", "--target", "ftp://x"], "--target must be an http"),
            (["load", "--target", "http://127.0.0.1:9/", "--rate", "fast"], "--rate must be"),
            (["load", "--target", "http://127.0.0.1:9/", "--rate", "max", "--ramp-to", "9"], "--ramp-to needs"),
            (["load", "--target", "http://127.0.0.1:9/", "--duration", "soon"], "--duration must be"),
            (["load", "--target", "http://127.0.0.1:9/", "--time", "fast"], "--time must be"),
            (["load", "--target", "http://127.0.0.1:9/", "--payload", "abc"], "--payload must be"),
            (["load", "--scenario", "Scenarios/missing.yaml"], "missing.yaml"),
            (["load", "--target", "http://127.0.0.1:9/", "--threshold", "p99<<5"], "--threshold 'p99<<5': a latency"),
            (["load", "--target", "http://127.0.0.1:9/", "--threshold", "eror<1%"], "did you mean 'errors'?"),
            (
                ["load", "--scenario", "Scenarios/batch.yaml", "--engine-threads", "2"],
                "Scenarios/batch.yaml:25:9: deviceTypes[0].callbacks[0]: a BATCH_URL callback"
            ),
        ]
    )
    func badUsage(arguments: [String], fragment: String) throws {
        let run = try ToolRun.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(fragment), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("a dead receiver with thresholds exits 1, and the report lists each threshold held or not")
    func thresholdsFail() throws {
        let run = try ToolRun.run([
            "load", "--target", "http://127.0.0.1:9/sigfox", "--rate", "20", "--duration", "0.5", "--no-retries",
            "--threshold", "errors<1%", "--threshold", "rate>=1/s",
        ])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.contains("  ✗ errors<1%  (errors 100.000 %)"), "\(run.stdout)")
        #expect(run.stdout.contains("  ✓ rate>=1/s  (rate "))
        #expect(run.stdout.contains("THRESHOLDS FAILED: 1 of 2 did not hold"))
        #expect(run.stderr.contains("sigfox-sim: error: threshold not held: errors<1%"), "\(run.stderr)")
    }

    @Test("a receiver that refuses connections: every try fails with the reason, and the run still reports")
    func refused() throws {
        let run = try ToolRun.run([
            "load", "--target", "http://127.0.0.1:9/sigfox", "--rate", "20", "--duration", "0.5", "--no-retries",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("errors: 10 × "), "\(run.stdout)")
        #expect(run.stdout.contains("http://127.0.0.1:9/sigfox"))
        #expect(run.stdout.contains("balances"))
    }
}
