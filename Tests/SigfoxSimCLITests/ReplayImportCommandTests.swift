import Foundation
import SigfoxTesting
import Testing

/// A new empty folder under the system's temporary one, `NAME-UUID`; the caller removes it.
/// `sigfox-sim receive` on an ephemeral port, started for a test (the shared kit's runner).
final class ReceiverProcess: Sendable {
    let child: TestProcess
    let baseURL: String

    init(_ arguments: [String], folder: URL) throws {
        child = try TestProcess(["receive", "--host", "127.0.0.1", "--port", "0", "--duration", "50"] + arguments)
        var found: String?
        child.waitForOutput(seconds: 10, inErrors: true) { text in
            found = text.firstMatch(of: /listening on (http:\/\/127\.0\.0\.1:\d+)/).map { String($0.1) }
            return found != nil
        }
        guard let found else {
            child.kill()
            throw ReceiverStartError(log: child.stdout + child.stderr)
        }
        baseURL = found
    }

    var process: Process { child.process }
    /// Everything it printed: the requests (standard output) and what it says of itself (standard error).
    var log: String { child.stdout + child.stderr }

    func stop() { child.kill() }

    struct ReceiverStartError: Error, CustomStringConvertible {
        var log: String
        var description: String { "the receiver did not start: \(log)" }
    }
}

@Suite("sigfox-sim replay and import", .serialized, .timeLimit(.minutes(2)))
struct ReplayImportCommandTests {
    static let fixtures = "Tests/Fixtures/api-v2/"

    @Test("replay exits 0 when the answers match, 1 when they differ")
    func replayExitCodes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = folder.appendingPathComponent("retries.jsonl").path
        let run = try ToolRun.run(["run", "Scenarios/retries.yaml", "--journal", journal])
        #expect(run.status == 0, "\(run.stderr)")

        let same = try ReceiverProcess(["--sequence", "/flaky=500,500,200", "--sequence", "/down=500"], folder: folder)
        defer { same.stop() }
        let matching = try ToolRun.run(["replay", journal, "--target", same.baseURL, "--speed", "max"])
        #expect(matching.status == 0, "\(matching.stdout)\(matching.stderr)")
        #expect(matching.stdout.hasSuffix("SAME: every answer matches the recording\n"))

        let healthy = try ReceiverProcess([], folder: folder)
        defer { healthy.stop() }
        let differing = try ToolRun.run(["replay", journal, "--target", healthy.baseURL, "--speed", "max", "--json"])
        #expect(differing.status == 1)
        #expect(differing.stdout.hasPrefix("{\"journal\":") && differing.stdout.contains("\"different\":6"))
        #expect(differing.stderr.contains("6 answers differ"))
    }

    @Test(
        "replay: a malformed journal or bad option exits 2 with one line",
        arguments: [
            (["--speed", "fast"], "--speed must be a number greater than 0 or max"),
            (["--target", "ftp://x"], "--target must be an http:// or https:// URL"),
            (["--strip-prefix", "/a"], "--strip-prefix needs --target"),
        ]
    )
    func replayUsage(_ arguments: [String], _ fragment: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = folder.appendingPathComponent("j.jsonl")
        try "{\"time\":1,\"request\":null,\"status\":600,\"outcome\":\"retry\"}\n".write(
            to: journal,
            atomically: true,
            encoding: .utf8
        )
        let run = try ToolRun.run(["replay", journal.path] + arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(fragment), "\(run.stderr)")
    }

    @Test("replay: a malformed journal names its file and line")
    func replayMalformed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = folder.appendingPathComponent("j.jsonl")
        try "{\"time\":1,\"request\":null,\"status\":600,\"outcome\":\"retry\"}\n{\"time\":2}\n".write(
            to: journal,
            atomically: true,
            encoding: .utf8
        )
        let run = try ToolRun.run(["replay", journal.path])
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "sigfox-sim: error: \(journal.path):2:1: request: missing 'request' (the request sent, or null)\n"
        )
    }

    @Test("import messages --callbacks --receiver writes a scenario that run plays green")
    func importThenRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("imported.yaml").path
        let imported = try ToolRun.run([
            "import", "messages", Self.fixtures + "messages.json", "--callbacks", Self.fixtures + "callbacks.json",
            "--receiver", "--output", scenario,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.isEmpty)
        let text = try String(contentsOfFile: scenario, encoding: .utf8)
        #expect(text.hasPrefix("# Imported by `sigfox-sim import messages Tests/Fixtures/api-v2/messages.json"))
        let run = try ToolRun.run(["run", scenario])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("PASSED: 5/5 expectations held"))

        let callbacks = try ToolRun.run(["import", "callbacks", Self.fixtures + "callbacks.json"])
        #expect(callbacks.status == 0)
        #expect(callbacks.stdout.hasPrefix("# Imported by `sigfox-sim import callbacks"))
        #expect(
            callbacks.stdout.contains("url: \"https://iot.example.com/sigfox/uplink?device={device}&seq={seqNumber}\"")
        )
    }

    @Test("import callbacks: one callback that cannot load is left out, named; the others are written; exit 1")
    func importPartial() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let listing = folder.appendingPathComponent("callbacks.json").path
        try #"""
        {"data": [
          {"channel": "URL", "callbackType": 0, "callbackSubtype": 2, "httpMethod": "GET", "enabled": true,
           "urlPattern": "https://iot.example.com/v1?d={device}"},
          {"channel": "URL", "callbackType": 0, "callbackSubtype": 2, "httpMethod": "GET", "enabled": true,
           "url": "https://iot.example.com/bad?x={nosuchvariable}"},
          {"channel": "URL", "callbackType": 1, "callbackSubtype": 6, "httpMethod": "GET", "enabled": true,
           "url": "https://iot.example.com/adv?q={lqi}"}
        ],
         "paging": {"next": "https://api.sigfox.com/v2/device-types/x/callbacks?offset=3"}}
        """#.write(toFile: listing, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("imported.yaml").path
        let run = try ToolRun.run(["import", "callbacks", listing, "--receiver", "--output", output])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("left out: \(listing):"), "\(run.stderr)")
        #expect(run.stderr.contains("data[1].url"), "\(run.stderr)")
        #expect(run.stderr.contains("1 callback was left out (named above); the scenario holds the 2 others"))
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("{receiver}/v1?d={device}") && text.contains("{receiver}/adv?q={lqi}"), "\(text)")
        #expect(!text.contains("nosuchvariable"))
        // render reads the same listing, paging and all, and stops at the bad one with its place.
        let render = try ToolRun.run(["render", "--callback", listing, "--format", "api-v2"])
        #expect(render.status == 2 && render.stderr.contains("data[1].url"), "\(render.stderr)")
    }

    @Test(
        "import: a malformed file or bad option exits 2 with one line",
        arguments: [
            (
                ["import", "messages", "Tests/Fixtures/api-v2/callbacks.json"],
                "callbacks.json:3:5: data[0].device: missing 'device'"
            ),
            (["import", "callbacks", "Tests/Fixtures/api-v2/missing.json"], "missing.json: the file does not exist"),
            (
                ["import", "messages", "Tests/Fixtures/api-v2/messages.json", "--receiver"],
                "--receiver needs --callbacks FILE"
            ),
            (
                ["import", "callbacks", "Tests/Fixtures/api-v2/callbacks.json", "--device-type-id", "12"],
                "--device-type-id must be 24 hex digits"
            ),
        ]
    )
    func importErrors(_ arguments: [String], _ fragment: String) throws {
        let run = try ToolRun.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(fragment), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1 || run.stderr.contains("Usage:"))
    }
}
