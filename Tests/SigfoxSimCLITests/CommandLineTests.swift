import Foundation
import SigfoxTesting
import Testing

/// A run of the built `sigfox-sim` to its end: its status and what it printed (the shared kit's runner).
typealias ToolRun = TestProcess.Finished

extension TestProcess.Finished {
    static var binary: URL { TestProcess.sigfoxSim }
    static var repositoryRoot: URL { TestProcess.repositoryRoot }

    /// Runs the tool, or `executable` with `prefix` before the arguments (a wrapper such as setpriv).
    static func run(_ arguments: [String], executable: URL? = nil, prefix: [String] = []) throws -> ToolRun {
        try TestProcess.run(prefix + arguments, executable: executable)
    }
}

@Suite("sigfox-sim command line", .timeLimit(.minutes(1)))
struct CommandLineTests {
    @Test("--version names the libcurl it links")
    func version() throws {
        let run = try ToolRun.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("sigfox-sim "))
        #expect(run.stdout.contains("libcurl 7.") || run.stdout.contains("libcurl 8."))
    }

    @Test("the quickstart delivers its callbacks for an ordinary user too (the receiver needs no privilege)")
    func ordinaryUser() throws {
        // Root runs it as `nobody` through setpriv; anyone else already is an ordinary user.
        let folder = NSTemporaryDirectory() + "sigfox-ordinary-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder)
        let scenario = folder + "/quickstart.yaml"
        try FileManager.default.copyItem(
            at: ToolRun.repositoryRoot.appendingPathComponent("Scenarios/quickstart.yaml"),
            to: URL(fileURLWithPath: scenario)
        )
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: scenario)
        let command = ["run", scenario]
        let run =
            getuid() == 0
            ? try ToolRun.run(
                command,
                executable: URL(fileURLWithPath: "/usr/bin/setpriv"),
                prefix: ["--reuid=nobody", "--regid=nogroup", "--clear-groups", ToolRun.binary.path]
            )
            : try ToolRun.run(command)
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("delivered 12, failed 0"))
    }

    @Test("decode prints typed JSON in configuration order")
    func decodeJSON() throws {
        let run = try ToolRun.run([
            "decode", "--config", "temp::int:16 hum::uint:8 ok::bool:0 x::uint:8 y::uint:8", "--data", "ff384201",
        ])
        #expect(run.status == 0)
        // ok reads byte 3; x follows a bool, so it continues in byte 3 (SIGFOX.md section 6); y is past the end.
        #expect(run.stdout == "{\"temp\":-200,\"hum\":66,\"ok\":true,\"x\":1,\"y\":null}\n")
    }

    @Test("decode --format table is for people")
    func decodeTable() throws {
        let run = try ToolRun.run([
            "decode", "-c", "str::char:2 t::float:32", "-d", "414241CC0000", "--format", "table",
        ])
        #expect(run.status == 0)
        #expect(run.stdout == "FIELD  TYPE      VALUE\nstr    char:2    AB\nt      float:32  25.5\n")
    }

    @Test(
        "decode: bad configuration or hex is exit code 2 with one line",
        arguments: [
            (["decode", "--config", "t::flaot:32", "--data", "00"], "unknown type 'flaot'"),
            (["decode", "--config", "t::uint:8", "--data", "0g"], "'g' at position 2 is not a hex digit"),
            (["decode", "--config", "t::uint:8"], "Missing expected argument '--data"),
            (["decode", "--config", "t::uint:8", "--data", "00", "--format", "xml"], "format"),
            (
                ["decode", "--config", "temp:int:16", "--data", "0102"],
                "leave the byte index empty: 'temp::int:16'"
            ),
        ]
    )
    func decodeErrors(_ arguments: [String], _ fragment: String) throws {
        let run = try ToolRun.run(arguments)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(fragment), "stderr was: \(run.stderr)")
    }

    @Test("render prints the exact request, the same for both callback forms")
    func render() throws {
        let expected = """
            POST https://example.com/sigfox/2C30EA?seq=1204
            Authorization: Bearer test-token
            X-Device-Type: SIGFOX_DevKit_1
            Content-Type: application/json

            {"device":"2C30EA","time":1763805600,"data":"ff3842","temp":-200,"hum":66,"reception":[{"id":"A9DC","RSSI":-113.0,"SNR":17.28}]}

            """
        for file in ["uplink-api-v2.json", "uplink-readable.yaml"] {
            let run = try ToolRun.run([
                "render", "--callback", "Scenarios/callbacks/\(file)", "--message", "Scenarios/callbacks/message.json",
            ])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stdout == expected)
        }
    }

    @Test("render: a JSON body that breaks is exit code 1 and shows what was rendered")
    func renderInvalidJSON() throws {
        let directory = try temporaryFolder("sigfox-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let callback = directory.appendingPathComponent("cb.yaml")
        try """
        service: DATA/UPLINK
        url: http://h/
        method: POST
        contentType: application/json
        body: '{"d":{device}}'
        """.write(to: callback, atomically: true, encoding: .utf8)
        let run = try ToolRun.run([
            "render", "--callback", callback.path, "--message", "Scenarios/callbacks/message.json", "--format", "json",
        ])
        #expect(run.status == 1)
        #expect(run.stdout == "{\"error\":\"JSON body could not be evaluated\",\"rendered\":\"{\\\"d\\\":2C30EA}\"}\n")
    }

    @Test("render: a bad callback file is exit code 2 naming file, line and field")
    func renderBadFile() throws {
        let directory = try temporaryFolder("sigfox-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let callback = directory.appendingPathComponent("cb.yaml")
        try "service: DATA/UPLINK\nurl: http://h/{lqi}\n".write(to: callback, atomically: true, encoding: .utf8)
        let run = try ToolRun.run([
            "render", "--callback", callback.path, "--message", "Scenarios/callbacks/message.json",
        ])
        #expect(run.status == 2)
        #expect(
            run.stderr.hasPrefix(
                "sigfox-sim: error: \(callback.path):2:6: url: {lqi} at line 1, column 10 is not available for DATA/UPLINK callbacks"
            )
        )
    }
}

@Suite("Numbers out of range are refused, never a crash", .timeLimit(.minutes(1)))
struct OutOfRangeTests {
    @Test(
        "flags: exit 2 with a message, not a crash",
        arguments: [
            (["load", "--target", "http://127.0.0.1:1/", "--rate", "1e300", "--duration", "1s"], "--rate must be"),
            (["load", "--target", "http://127.0.0.1:1/", "--rate", "10", "--duration", "1e17"], "--duration must be"),
            (["load", "--target", "http://127.0.0.1:1/", "--time", "scaled:1e-300"], "--time must be"),
            (["run", "Scenarios/quickstart.yaml", "--time", "scaled:1e-300"], "--time must be"),
            (["uplink", "2C30EA", "01", "--timeout", "99999999999999999h"], "--timeout must be"),
        ]
    )
    func flags(arguments: [String], message: String) throws {
        let run = try ToolRun.run(arguments)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}

@Suite("The newcomer's first steps", .timeLimit(.minutes(1)))
struct NewcomerTests {
    @Test("run --target sends every {receiver} callback to your own server")
    func runTarget() throws {
        let folder = try temporaryFolder("sigfox-target")
        defer { try? FileManager.default.removeItem(at: folder) }
        let receiver = try ReceiverProcess([], folder: folder)
        defer { receiver.stop() }
        let run = try ToolRun.run(["run", "Scenarios/quickstart.yaml", "--target", receiver.baseURL])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("POST \(receiver.baseURL)/sigfox/uplink  delivered 6"))
        // receive prints the answer it gave with each request.
        receiver.child.waitForOutput(seconds: 5) { $0.contains("  => answered 200\n") }
        let log = receiver.log
        #expect(log.contains("POST /sigfox/uplink?device=2C30EA&seq=0 HTTP/1.1"), "\(log)")
        #expect(log.contains("  => answered 200\n"), "\(log)")
        let bad = try ToolRun.run(["run", "Scenarios/quickstart.yaml", "--target", "127.0.0.1:8080"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--target must be an http:// or https:// URL"))
    }

    @Test("run --show-requests prints every request and its answer after the report")
    func showRequests() throws {
        let run = try ToolRun.run(["run", "Scenarios/retries.yaml", "--show-requests"])
        #expect(run.stdout.contains("requests ("))
        #expect(run.stdout.contains("try 1\n  GET http://127.0.0.1:"))
        // The status line as received.
        #expect(run.stdout.contains("→ 500 Internal Server Error"))
        #expect(run.stdout.contains(", next try 2026-"))
        #expect(run.stdout.contains("→ 200 OK"))
    }

    @Test("without a receiver, {receiver} says what to write")
    func noReceiver() throws {
        let folder = try temporaryFolder("sigfox-norecv")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("s.yaml").path
        let text = try String(contentsOfFile: "Scenarios/quickstart.yaml", encoding: .utf8)
            .replacingOccurrences(of: "receiver: embedded\n", with: "")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try ToolRun.run(["run", path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("add 'receiver: embedded' to the scenario, or give your own server with --target"))
    }

    @Test("a mistyped command gets a suggestion; negative durations say what is wrong; load warns on a debug build")
    func smallOnes() throws {
        let typo = try ToolRun.run(["lod"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("unknown command 'lod'; did you mean 'load'?"))
        let negative = try ToolRun.run(["load", "--target", "http://127.0.0.1:1/", "--duration", "-5"])
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--duration must be positive"))
        let debug = try ToolRun.run([
            "load", "--target", "http://127.0.0.1:1/", "--duration", "1s", "--rate", "2", "--no-progress",
        ])
        #expect(debug.stderr.contains("this is a debug build"))
    }

    @Test("a misspelt 'service' points at the field, with the name it likely meant")
    func misspeltService() throws {
        let folder = try temporaryFolder("sevice")
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try String(
            contentsOf: ToolRun.repositoryRoot.appendingPathComponent("Scenarios/quickstart.yaml"),
            encoding: .utf8
        )
        let lines = original.components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains("service: DATA/UPLINK") })
        var broken = lines
        broken[index] = broken[index].replacingOccurrences(of: "service:", with: "sevice:")
        let file = folder.appendingPathComponent("sevice.yaml")
        try broken.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let run = try ToolRun.run(["run", file.path])
        #expect(run.status == 2)
        let column = try #require(broken[index].range(of: "sevice")).lowerBound.utf16Offset(in: broken[index]) + 1
        #expect(
            run.stderr.contains(
                "\(file.path):\(index + 1):\(column): deviceTypes[0].callbacks[0].sevice: unknown field 'sevice'; "
                    + "did you mean 'service'?"
            ),
            "\(run.stderr)"
        )
    }

    @Test("a port in use says which and what to do, without SwiftNIO's internals; receive defaults to 8791")
    func portInUse() throws {
        let folder = try temporaryFolder("port")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try ReceiverProcess([], folder: folder)
        defer { first.stop() }
        let port = try #require(first.baseURL.split(separator: ":").last.map(String.init))
        let second = try ToolRun.run(["receive", "--host", "127.0.0.1", "--port", port, "--duration", "5"])
        #expect(second.status == 2)
        #expect(
            second.stderr.contains(
                "cannot listen on 127.0.0.1:\(port): the port is in use (another program, or another sigfox-sim, "
                    + "listens there); choose another with --port PORT (--port 0 picks a free one)"
            ),
            "\(second.stderr)"
        )
        #expect(!second.stderr.contains("bind(") && !second.stderr.contains("errno"))
        let help = try ToolRun.run(["receive", "--help"])
        #expect(help.stdout.contains("default: 8791"))
    }

    @Test("run --help and render --help give examples and point to the scenario format")
    func helpExamples() throws {
        let run = try ToolRun.run(["run", "--help"])
        #expect(run.stdout.contains("sigfox-sim run Scenarios/quickstart.yaml"))
        #expect(run.stdout.contains("--target http://127.0.0.1:8080"))
        #expect(run.stdout.contains("docs/scenario-format.md"))
        let render = try ToolRun.run(["render", "--help"])
        #expect(render.stdout.contains("sigfox-sim render --callback Scenarios/callbacks/uplink-readable.yaml"))
        // The examples run as written.
        let example = try ToolRun.run([
            "render", "--callback", "Scenarios/callbacks/uplink-readable.yaml", "--message",
            "Scenarios/callbacks/message.json",
        ])
        #expect(example.status == 0, "\(example.stderr)")
    }

    @Test("--update-golden says which files it wrote")
    func updateGoldenNames() throws {
        let folder = try temporaryFolder("golden")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenarios = ToolRun.repositoryRoot.appendingPathComponent("Scenarios")
        try FileManager.default.copyItem(
            at: scenarios.appendingPathComponent("batch.yaml"),
            to: folder.appendingPathComponent("batch.yaml")
        )
        let run = try ToolRun.run(["run", folder.appendingPathComponent("batch.yaml").path, "--update-golden"])
        #expect(run.status == 0, "\(run.stderr)")
        let written = folder.appendingPathComponent("golden/batch.jsonl").path
        #expect(run.stderr.contains("sigfox-sim: --update-golden wrote \(written)"), "\(run.stderr)")
        #expect(run.stdout.contains("(wrote \(written), "))
        #expect(FileManager.default.fileExists(atPath: written))
        let none = try ToolRun.run(["run", "Scenarios/retries.yaml", "--update-golden"])
        #expect(none.stderr.contains("has no golden expectation, so no file was written"))
    }

    @Test("progress lines fit a narrow terminal, and run's clock moves while it waits")
    func narrowTerminal() throws {
        // `script` gives the tool a terminal (its progress line shows only on one) of 50 columns.
        let script = "stty cols 50; '\(ToolRun.binary.path)' run Scenarios/quickstart.yaml --time scaled:150 >/dev/null"
        let onTerminal = try TestProcess.run(
            ["-qec", script, "/dev/null"],
            executable: URL(fileURLWithPath: "/usr/bin/script"),
            timeout: 40
        )
        let text = onTerminal.stdout
        let frames = text.components(separatedBy: "\u{1B}[2K").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        .filter { !$0.isEmpty }
        #expect(frames.count >= 3, "\(text.debugDescription)")
        #expect(frames.allSatisfy { $0.count <= 49 }, "\(frames)")
        #expect(frames.contains { $0.hasSuffix("…") })
        // The clock moves from frame to frame while the loop waits for the next uplink.
        #expect(Set(frames.map { $0.prefix(24) }).count >= 3, "\(frames)")
    }
}
