import Foundation
import SigfoxTesting
import Testing

@Suite("sigfox-sim run", .timeLimit(.minutes(1)))
struct RunCommandTests {
    @Test("run Scenarios/quickstart.yaml holds every expectation and exits 0")
    func quickstart() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let junit = folder.appendingPathComponent("report.xml").path
        let journal = folder.appendingPathComponent("journal.jsonl").path
        let run = try ToolRun.run(["run", "Scenarios/quickstart.yaml", "--junit", junit, "--journal", journal])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("✓ DATA/UPLINK: delivered 6"))
        #expect(run.stdout.contains("PASSED: 4/4 expectations held"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"quickstart\" tests=\"4\" failures=\"0\""))
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 12)
    }

    @Test("--json prints one JSON object")
    func json() throws {
        let run = try ToolRun.run(["run", "Scenarios/retries.yaml", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("{\"scenario\":\"retries\"") && run.stdout.hasSuffix("}\n"))
        #expect(run.stdout.split(separator: "\n").count == 1)
        #expect(run.stdout.contains("\"passed\":true"))
    }

    @Test("a failing expectation exits 1 and shows ✗")
    func failing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try String(
            contentsOf: ToolRun.repositoryRoot.appendingPathComponent("Scenarios/quickstart.yaml"),
            encoding: .utf8
        )
        let broken = folder.appendingPathComponent("broken.yaml")
        try original.replacingOccurrences(
            of: "delivered: 6\n  - service: SERVICE",
            with: "delivered: 7\n  - service: SERVICE"
        )
        .write(to: broken, atomically: true, encoding: .utf8)
        let run = try ToolRun.run(["run", broken.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("✗ DATA/UPLINK: delivered 7  (found delivered 6;"))
        #expect(run.stdout.contains("FAILED: 3/4 expectations held"))
    }

    @Test("a bad scenario or option exits 2 with its place")
    func badInput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.yaml")
        try "name: x\ntime: fast\n".write(to: bad, atomically: true, encoding: .utf8)
        let run = try ToolRun.run(["run", bad.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad.yaml:2:7: time: expected virtual, real or scaled:N"))
        let option = try ToolRun.run(["run", "Scenarios/quickstart.yaml", "--time", "warp"])
        #expect(option.status == 2)
        #expect(option.stderr.contains("--time must be virtual, real or scaled:N"))
    }

    @Test("--update-golden writes the golden file; a later difference exits 1 and shows the lines like a diff")
    func golden() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try String(
            contentsOf: ToolRun.repositoryRoot.appendingPathComponent("Scenarios/retries.yaml"),
            encoding: .utf8
        )
        let scenario = folder.appendingPathComponent("retries.yaml")
        try original.replacingOccurrences(
            of: "  - ledgerBalances: true",
            with: "  - golden: retries.jsonl\n  - ledgerBalances: true"
        )
        .write(to: scenario, atomically: true, encoding: .utf8)
        let write = try ToolRun.run(["run", scenario.path, "--update-golden"])
        #expect(write.status == 0, "\(write.stdout)\(write.stderr)")
        #expect(write.stdout.contains("✓ the journal matches golden retries.jsonl"))
        let goldenFile = folder.appendingPathComponent("retries.jsonl")
        let lines = try String(contentsOf: goldenFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8)
        let check = try ToolRun.run(["run", scenario.path])
        #expect(check.status == 0, "\(check.stdout)")
        // A receiver that now answers 200 at once on /down: the retries disappear from the journal.
        try original.replacingOccurrences(
            of: "  - ledgerBalances: true",
            with: "  - golden: retries.jsonl\n  - ledgerBalances: true"
        )
        .replacingOccurrences(of: "      - /down=500\n", with: "")
        .write(to: scenario, atomically: true, encoding: .utf8)
        let changed = try ToolRun.run(["run", scenario.path])
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("✗ the journal matches golden retries.jsonl  (found "))
        #expect(changed.stdout.contains("lines differ, first at line "))
        #expect(changed.stdout.contains("      - {\"time\":") || changed.stdout.contains("      - …"))
        #expect(changed.stdout.contains("      if the change is intended: sigfox-sim run SCENARIO --update-golden"))
    }

    @Test("progress is drawn on a terminal's standard error and erased; never when piped or with --json")
    func progress() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Piped: no carriage returns, nothing but the report.
        let piped = try ToolRun.run(["run", "Scenarios/quickstart.yaml", "--time", "scaled:600"])
        #expect(piped.status == 0 && piped.stderr.isEmpty && !piped.stdout.contains("\r"))
        // On a terminal (script(1) gives the tool a pseudo-terminal): the line is redrawn in place, then erased
        // before the report, which goes to the file.
        let typescript = folder.appendingPathComponent("terminal.txt").path
        let report = folder.appendingPathComponent("report.txt").path
        let command =
            "'\(ToolRun.binary.path)' run Scenarios/quickstart.yaml --time scaled:600 > '\(report)'"
        let onTerminal = try TestProcess.run(
            ["-q", "-e", "-c", command, typescript],
            executable: URL(fileURLWithPath: "/usr/bin/script"),
            timeout: 40
        )
        #expect(onTerminal.status == 0)
        let terminal = try String(contentsOfFile: typescript, encoding: .utf8)
        #expect(terminal.contains("\r\u{1B}[2K2026-01-01T00:"))
        #expect(terminal.contains("traffic ") && terminal.contains("tries ") && terminal.contains("pending "))
        #expect(terminal.contains("traffic 6/6"))
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("PASSED: 4/4 expectations held"))
    }
}

@Suite("run: a signal stops it and still writes the reports", .timeLimit(.minutes(1)))
struct RunInterruptTests {
    @Test("SIGINT: the report, the JUnit file and the journal are written, the rest cancelled, exit 1")
    func interrupted() throws {
        let folder = try temporaryFolder("sigfox-run-stop")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("slow.yaml").path
        try """
        name: slow
        time: real
        network: { frameLossProbability: 0, networkDelay: 0s }
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes:
          - name: T
            callbacks: [{ id: up, service: DATA/UPLINK, url: "{receiver}/up?d={data}" }]
        devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
        traffic:
          - { every: 500ms, devices: all, count: 200, payload: counter }
        receiver: embedded
        expect:
          - { service: DATA/UPLINK, delivered: 200 }
        """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let junit = folder.appendingPathComponent("report.xml").path
        let journal = folder.appendingPathComponent("journal.jsonl").path
        let process = try TestProcess(["run", scenario, "--junit", junit, "--journal", journal])
        defer { process.kill() }
        // Stopped once two tries are in the journal (written line by line), with most of the run still to go.
        let started = Date()
        while Date().timeIntervalSince(started) < 30, process.isRunning,
            ((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").split(separator: "\n").count < 2
        {
            usleep(20_000)
        }
        process.signal(SIGINT)
        let status = process.waitForExit(seconds: 30)
        let output = process.stdout
        #expect(status == 1)
        #expect(output.contains("INTERRUPTED: the run was stopped"))
        #expect(output.contains("(balances)"))
        // The JUnit file says it too, as a test case in error.
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("errors=\"1\"") && xml.contains("<error message=\"INTERRUPTED: the run was stopped"))
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2)
    }
}

@Suite("replay: a signal stops it and still writes the report", .timeLimit(.minutes(1)))
struct ReplayInterruptTests {
    @Test("SIGINT: nothing more is sent, the report says how many were not, exit 1")
    func interrupted() throws {
        let folder = try temporaryFolder("sigfox-replay-stop")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("spread.yaml").path
        try """
        name: spread
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes:
          - name: T
            callbacks: [{ id: up, service: DATA/UPLINK, url: "{receiver}/up?d={data}" }]
        devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
        traffic:
          - { every: 1s, devices: all, count: 40, payload: counter }
        receiver: embedded
        """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let journal = folder.appendingPathComponent("journal.jsonl").path
        #expect(try ToolRun.run(["run", scenario, "--journal", journal]).status == 0)
        let receiver = try ReceiverProcess([], folder: folder)
        defer { receiver.stop() }
        let process = try TestProcess(["replay", journal, "--speed", "1", "--target", receiver.baseURL])
        defer { process.kill() }
        // Stopped once the receiver got the first request, with 39 still to go.
        receiver.child.waitForOutput(seconds: 30) { $0.contains("GET /up?d=") }
        process.signal(SIGINT)
        let status = process.waitForExit(seconds: 30)
        let output = process.stdout
        #expect(status == 1)
        #expect(output.contains("INTERRUPTED: stopped;"))
        #expect(output.contains("planned requests not sent"))
    }
}
