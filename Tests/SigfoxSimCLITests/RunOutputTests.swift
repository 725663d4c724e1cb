import Foundation
import SigfoxTesting
import Testing

@Suite("run and --help: warnings, colours, golden files and examples as a user meets them", .timeLimit(.minutes(2)))
struct RunOutputTests {
    static let farScenario = """
        name: far
        network: { frameLossProbability: 0 }
        baseStations: [{ id: 1D44, lat: 43.61, lng: 1.45 }]
        deviceTypes:
          - name: T
            callbacks: [{ id: up, service: DATA/UPLINK, url: "{receiver}/up" }]
        devices:
          - { id: 2C30EA, deviceType: T, lat: 43.60, lng: 1.44 }
          - { id: 2C30EB, deviceType: T, lat: 48.85, lng: 2.35 }
        traffic:
          - { every: 1m, devices: all, count: 2, payload: "01" }
        receiver: embedded
        expect:
          - { callback: up, delivered: 2 }
        """

    @Test("a device out of every station's reach: a warning naming it, the report says why; an error when expected")
    func silentLoss() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("far.yaml").path
        try Self.farScenario.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try ToolRun.run(["run", path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(
            run.stderr.contains(
                "sigfox-sim: warning: \(path):9:5: devices[1]: device 2C30EB is out of every base station's reach"
            )
        )
        #expect(
            run.stdout.contains(
                "lost uplinks, why no station heard them:\n  2C30EB: 2 lost, out of every base station's reach"
            )
        )

        let expecting = Self.farScenario.replacingOccurrences(
            of: "{ callback: up, delivered: 2 }",
            with: "{ callback: up, device: 2C30EB, delivered: 2 }"
        )
        try expecting.write(toFile: path, atomically: true, encoding: .utf8)
        let refused = try ToolRun.run(["run", path])
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains(
                "\(path):14:5: expect[0]: 'callback up for device 2C30EB: delivered 2' needs messages no base station can hear"
            )
        )
    }

    @Test("golden files are written 0644")
    func goldenMode() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("g.yaml").path
        try
            (Self.farScenario.replacingOccurrences(
                of: "  - { id: 2C30EB, deviceType: T, lat: 48.85, lng: 2.35 }\n",
                with: ""
            )
            + "\n  - golden: golden/g.jsonl\n").write(toFile: path, atomically: true, encoding: .utf8)
        let write = try ToolRun.run(["run", path, "--update-golden"])
        #expect(write.status == 0, "\(write.stdout)\(write.stderr)")
        let attributes = try FileManager.default.attributesOfItem(
            atPath: folder.appendingPathComponent("golden/g.jsonl").path
        )
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
    }

    @Test("--help examples stay whole at 80 columns: no comment or command wraps onto a line of its own")
    func helpExamples() throws {
        let commands = [
            ["run"], ["serve"], ["exec"], ["export"], ["uplink"], ["health"], ["load"], ["decode"], ["render"],
            ["receive"], ["replay"], ["import", "callbacks"], ["import", "messages"], ["bench", "network"],
        ]
        for command in commands {
            let help = try ToolRun.run(command + ["--help"], prefix: [])
            var inExamples = false
            for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
                if line == "Examples:" || line == "EXAMPLES:" {
                    inExamples = true
                } else if line.isEmpty {
                    inExamples = false
                } else if inExamples {
                    #expect(
                        line.hasPrefix("  "),
                        "\(command.joined(separator: " ")) --help: '\(line)' wrapped out of an example"
                    )
                    #expect(
                        line.count <= 80,
                        "\(command.joined(separator: " ")) --help: '\(line)' is wider than 80 columns"
                    )
                }
            }
        }
    }

    @Test("colours on a terminal for ✓, ✗ and PASSED; none with NO_COLOR or when piped")
    func colours() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func onTerminal(_ environment: String) throws -> String {
            let typescript = folder.appendingPathComponent("terminal-\(UUID().uuidString).txt").path
            let onTerminal = try TestProcess.run(
                [
                    "-q", "-e", "-c",
                    "\(environment) '\(ToolRun.binary.path)' run Scenarios/quickstart.yaml --no-progress", typescript,
                ],
                executable: URL(fileURLWithPath: "/usr/bin/script"),
                timeout: 40
            )
            #expect(onTerminal.status == 0)
            return try String(contentsOfFile: typescript, encoding: .utf8)
        }
        // (The test runner may set NO_COLOR for its own children: the first run clears it.)
        let coloured = try onTerminal("env -u NO_COLOR TERM=xterm")
        #expect(coloured.contains("  \u{1B}[32m✓\u{1B}[0m DATA/UPLINK: delivered 6"))
        #expect(coloured.contains("\u{1B}[32mPASSED\u{1B}[0m: 4/4 expectations held"))
        let plain = try onTerminal("NO_COLOR=1 TERM=xterm")
        #expect(plain.contains("  ✓ DATA/UPLINK: delivered 6") && !plain.contains("\u{1B}[3"))
        let piped = try ToolRun.run(["run", "Scenarios/quickstart.yaml"])
        #expect(piped.stdout.contains("  ✓ DATA/UPLINK: delivered 6") && !piped.stdout.contains("\u{1B}"))
    }
}
