import Foundation
import Testing

@Suite("sigfox-sim run", .timeLimit(.minutes(1)))
struct RunCommandTests {
    @Test("run Scenarios/quickstart.yaml holds every expectation and exits 0")
    func quickstart() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
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
}
