import Foundation
import SigfoxCloud
import SigfoxModel
import SigfoxScenario
import SigfoxServices
import SigfoxTesting
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve` inside a user's own test suite: `exec`, the ready file, `--json`, the per-try log through a
/// pipe, `--target`, `health`, `$SIGFOX_SIM_URL`, and `uplink --wait` on a lost uplink.
@Suite("serve in your tests", .serialized, .timeLimit(.minutes(3)))
struct ServeInTestsTests {
    static var binaryPath: String { ServeProcess.binary.path }

    @Test("exec runs the command with the server's address, exports what happened, and exits with its code")
    func execPassesTheExitCode() throws {
        let export = NSTemporaryDirectory() + "sigfox-exec-\(UUID().uuidString).json"
        defer { unlink(export) }
        // The command uses the variables exec sets: uplink finds the server through $SIGFOX_SIM_URL.
        let script = """
            test -n "$SIGFOX_SIM_API_URL" && test "$SIGFOX_SIM_API_LOGIN" = sigfox-sim && \
            test -n "$SIGFOX_SIM_RECEIVER_URL" && "\(Self.binaryPath)" uplink 2C30EA ff3842 --wait
            """
        let passed = try ToolProcess.run([
            "exec", "--time", "scaled:60", "--export-on-exit", export, "--", "/bin/sh", "-c", script,
        ])
        #expect(passed.status == 0, "\(passed.stdout) \(passed.stderr)")
        #expect(passed.stdout.contains("uplink (DATA/UPLINK) try 1: ✓ delivered"), "\(passed.stdout)")
        #expect(passed.stderr.contains("sigfox-sim serve: listening on http://127.0.0.1:"))
        #expect(passed.stderr.contains("sigfox-sim exec: wrote \(export)"))
        let exported = try JSONParser.parse(String(contentsOfFile: export, encoding: .utf8))
        #expect(exported["messages"]?.items.count == 1)
        #expect(exported["messages"]?.items.first?["data"]?.scalarText == "ff3842")
        let attempts = exported["attempts"]?.items ?? []
        #expect(attempts.count == 2)
        #expect(attempts.allSatisfy { $0["outcome"]?.scalarText == "delivered" })

        let failed = try ToolProcess.run(["exec", "--quiet", "--", "/bin/sh", "-c", "exit 7"])
        #expect(failed.status == 7, "\(failed.stderr)")
        let killed = try ToolProcess.run(["exec", "--quiet", "--", "/bin/sh", "-c", "kill -TERM $$"])
        #expect(killed.status == 128 + SIGTERM, "\(killed.stderr)")
        let missing = try ToolProcess.run(["exec", "--quiet", "--", "no-such-command-anywhere"])
        #expect(missing.status == 127)
        #expect(missing.stderr.contains("command not found: no-such-command-anywhere"))
        let bare = try ToolProcess.run(["exec"])
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("give the command to run after --"))
        // A bad scenario: exit 2 and the command never runs.
        let marker = NSTemporaryDirectory() + "sigfox-exec-ran-\(UUID().uuidString)"
        let bad = try ToolProcess.run(["exec", "no-such-scenario.yaml", "--", "/bin/sh", "-c", "touch \(marker)"])
        #expect(bad.status == 2)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("the ready file appears only once /health answers, says where everything is, and goes at exit")
    func readyFile() throws {
        let path = NSTemporaryDirectory() + "sigfox-ready-\(UUID().uuidString).json"
        let serve = try TestProcess(
            ["serve", "--port", "0", "--quiet", "--ready-file", path, "--stop-on-stdin-eof"],
            keepInputOpen: true
        )
        let process = serve.process
        defer { serve.kill() }
        // Watch closely: the first moment the file is there, /health must already answer.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path), Date() < deadline, process.isRunning { usleep(1000) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let ready = try JSONDecoder().decode(ServeReadiness.self, from: Data(text.utf8))
        let client = ServeClient(host: "127.0.0.1", port: ready.port)
        #expect(try client.request("GET", "/health").status == 200)
        #expect(ready.url == "http://127.0.0.1:\(ready.port)")
        #expect(ready.apiUrl == ready.url + "/v2")
        #expect(ready.pid == process.processIdentifier)
        #expect(ready.data == nil)
        #expect(ready.receiverUrl?.hasPrefix("http://127.0.0.1:") == true)
        #expect(ready.version == ToolVersion.current)
        // The API v2 answers with the credentials the file gives.
        let token = Data("\(ready.apiLogin):\(ready.apiPassword)".utf8).base64EncodedString()
        let devices = try client.request("GET", "/v2/devices/", headers: [("Authorization", "Basic \(token)")])
        #expect(devices.status == 200, "\(devices.body)")
        serve.signal(SIGINT)
        #expect(serve.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("--json prints the ready object as the banner, on one line")
    func jsonBanner() throws {
        let serve = try ServeProcess(["--json", "--quiet"])
        defer { serve.stop() }
        let line = try #require(serve.stdout.split(separator: "\n").first.map(String.init))
        let ready = try JSONDecoder().decode(ServeReadiness.self, from: Data(line.utf8))
        #expect(ready.port == serve.port)
        #expect(ready.time == "real")
    }

    @Test("serve logs one line per try as it ends, through a pipe; --log-format json; --quiet")
    func tryLog() throws {
        let serve = try ServeProcess(["--time", "scaled:60"])
        defer { serve.stop() }
        #expect(try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"01\"}").status == 201)
        // Read while serve still runs: the line must reach the pipe as it is written, not at exit.
        let line = try Self.waitForLine(in: serve, containing: "2C30EA  uplink (DATA/UPLINK)")
        #expect(line.contains("POST http://127.0.0.1:"))
        #expect(line.contains("/sigfox/uplink  200 OK  "))
        #expect(line.hasSuffix("ms  try 1"))

        let json = try ServeProcess([try scenarioFile(oneDeviceScenario(status: 503)), "--log-format", "json"])
        defer { json.stop() }
        #expect(try json.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"02\"}").status == 201)
        let object = try JSONParser.parse(try Self.waitForLine(in: json, containing: "\"outcome\":\"retry\""))
        #expect(object["device"]?.scalarText == "2C30EA")
        #expect(object["callback"]?.scalarText == "up")
        #expect(object["method"]?.scalarText == "POST")
        #expect(object["status"]?.scalarText == "503")
        #expect(object["attempt"]?.scalarText == "1")
        #expect(object["nextTry"]?.scalarText?.hasSuffix("Z") == true)
        #expect(object["latencyMs"] != nil)

        let quiet = try ServeProcess(["--time", "scaled:60", "--quiet"])
        #expect(try quiet.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"03\"}").status == 201)
        try quiet.waitFor("/sim/attempts") { $0.listed.count >= 1 }
        // Stopped, every line it had to say is out: none is a try's.
        #expect(quiet.stop() == 0)
        #expect(!quiet.stdout.contains("uplink (DATA/UPLINK)"))
    }

    @Test("serve --target sends the callbacks to your own server; a scenario's errors name its file")
    func target() async throws {
        let receiver = try await EmbeddedReceiver.start()
        try await withShutdown(receiver) {
            // This scenario has no receiver of its own: without --target it cannot start, and says where.
            let yaml = oneDeviceScenario().replacingOccurrences(of: "receiver:\n  embedded: { status: 200 }", with: "")
            let file = try scenarioFile(yaml)
            let refused = try ToolProcess.run(["serve", file, "--port", "0"])
            #expect(refused.status == 2)
            #expect(
                refused.stderr.contains("\(file):8:9: deviceTypes[0].callbacks[0]: uses {receiver}"),
                "\(refused.stderr)"
            )
            #expect(refused.stderr.contains("--target"))

            let serve = try ServeProcess([file, "--target", receiver.baseURL + "/"])
            defer { serve.stop() }
            #expect(serve.stdout.contains("callbacks to \(receiver.baseURL)"))
            #expect(try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"0a0b\"}").status == 201)
            let requests = await receiver.waitForRequests(count: 1, timeout: .seconds(30))
            #expect(requests.first?.uri == "/up")
            #expect(
                requests.first.map { String(decoding: $0.body, as: UTF8.self) }?.contains("\"data\":\"0a0b\"") == true
            )
        }
    }

    @Test("health, uplink and export find the server through $SIGFOX_SIM_URL; uplink --wait stops on a lost uplink")
    func clientCommands() throws {
        let first = "  - { id: 2C30EA, deviceType: T, lat: 43.600, lng: 1.440 }"
        let yaml = oneDeviceScenario().replacingOccurrences(
            of: first,
            with: first + "\n  - { id: 2C30EB, deviceType: T, lat: 10.0, lng: 10.0 }"
        )
        let serve = try ServeProcess([try scenarioFile(yaml)])
        defer { serve.stop() }
        let environment = ["SIGFOX_SIM_URL": "http://127.0.0.1:\(serve.port)"]
        let health = try ToolProcess.run(["health"], environment: environment)
        #expect(health.status == 0, "\(health.stderr)")
        #expect(health.stdout.contains("\"status\":\"ok\""))
        #expect(health.stdout.contains("\"time\":\"real\""))
        let exported = try ToolProcess.run(["export"], environment: environment)
        #expect(exported.status == 0)
        #expect(exported.stdout.contains("2C30EA"))
        // 2C30EB sits far from every station: its uplink is lost, and --wait says so at once.
        let started = Date()
        let lost = try ToolProcess.run(["uplink", "2C30EB", "01", "--wait"], seconds: 60, environment: environment)
        #expect(lost.status == 1, "\(lost.stdout) \(lost.stderr)")
        #expect(lost.stderr.contains("the uplink was lost: no base station heard it"))
        #expect(Date().timeIntervalSince(started) < 30)

        let nobody = try ToolProcess.run(
            ["health", "--wait", "300ms"],
            environment: ["SIGFOX_SIM_URL": "http://127.0.0.1:1"]
        )
        #expect(nobody.status == 1)
        #expect(nobody.stderr.contains("no healthy serve at http://127.0.0.1:1"))
    }

    /// The first line of serve's standard output that contains `text`, waiting for it (at most 30 s).
    static func waitForLine(in serve: ServeProcess, containing text: String) throws -> String {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let line = serve.stdout.split(separator: "\n").first(where: { $0.contains(text) }) {
                return String(line)
            }
            usleep(20_000)
        }
        throw ServeTestError("no line with \(text) in: \(serve.stdout)")
    }
}
