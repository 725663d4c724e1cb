import Foundation
import Testing

@Suite("sigfox-sim load", .timeLimit(.minutes(1)))
struct LoadCommandTests {
    @Test("a scenario's callbacks to its embedded receiver: JSON report and a self-contained HTML page")
    func scenarioRun() throws {
        let folder = try temporaryFolder("load")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("load.html").path
        let run = try ToolRun.run([
            "load", "--scenario", "Scenarios/quickstart.yaml", "--rate", "50", "--duration", "1s", "--devices", "10",
            "--json", "--html", page,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let requests = try #require(json["requests"] as? [String: Any])
        #expect((requests["completed"] as? Int ?? 0) >= 45)
        #expect(requests["failed"] as? Int == 0)
        #expect((json["ledger"] as? [String: Any])?["balances"] as? Bool == true)
        #expect((json["target"] as? String)?.contains("embedded receiver") == true)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<svg"))
        #expect(html.contains("Latency distribution"))
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

    @Test("a receiver that refuses connections: every try fails with the reason, and the run still reports")
    func refused() throws {
        let run = try ToolRun.run([
            "load", "--target", "http://127.0.0.1:9/sigfox", "--rate", "20", "--duration", "0.5", "--no-retries",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("failed: 10 × "), "\(run.stdout)")
        #expect(run.stdout.contains("http://127.0.0.1:9/sigfox"))
        #expect(run.stdout.contains("balances"))
    }
}
