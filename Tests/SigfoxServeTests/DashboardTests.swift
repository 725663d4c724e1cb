import Foundation
import SigfoxCloud
import SigfoxModel
import Testing

@Suite("sigfox-sim serve: the web dashboard", .serialized, .timeLimit(.minutes(3)))
struct DashboardTests {
    static let script = ServeProcess.repositoryRoot.appendingPathComponent("Tests/Fixtures/dashboard_browser.py").path

    @Test(
        "in Chromium: an uplink from the form, live; a failure's retry time; search and filters; resend linked both ways; copy as curl; 800 px; reset"
    )
    func inTheBrowser() throws {
        let serve = try ServeProcess(["Tests/Fixtures/dashboard.yaml"])
        defer { serve.stop() }
        // A second callback that never connects: a 24-hex id and a long error, to stretch the tables.
        let backup = try serve.post(
            "/sim/device-types/SIGFOX_DevKit_1/callbacks",
            #"{"service":"DATA/UPLINK","url":"http://127.0.0.1:1/backup/sigfox/uplink/{device}?seq={seqNumber}&data={data}","method":"POST","contentType":"application/json","body":"{\"d\":\"{device}\"}"}"#
        )
        #expect(backup.status == 201, "\(backup.body)")
        let picture = NSTemporaryDirectory() + "dashboard-flow-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: picture) }
        let run = try ToolProcess.python(file: Self.script, ["flow", "http://127.0.0.1:\(serve.port)", picture])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr.suffix(3000))")
        #expect(run.stdout.contains("every step held"))
    }

    @Test("a 1280x800 screenshot of the messages page (the README's; SIGFOX_SIM_UPDATE_SCREENSHOT=1 rewrites it)")
    func screenshot() throws {
        let serve = try ServeProcess(["--time", "scaled:20"])
        defer { serve.stop() }
        _ = try serve.post(
            "/sim/device-types/SIGFOX_DevKit_1/callbacks",
            #"{"id":"backup","service":"DATA/UPLINK","url":"http://127.0.0.1:1/backup","method":"POST","contentType":"application/json","body":"{\"d\":\"{device}\"}"}"#
        )
        for (device, payload) in [
            ("2C30EA", "00d728"), ("2C30EB", "ff3842"), ("2C30EC", "010a32"), ("2C30EA", "00e02d"),
        ] {
            _ = try serve.post("/sim/devices/\(device)/uplinks", #"{"payload":"\#(payload)"}"#)
        }
        try serve.waitFor("/sim/attempts?limit=1000") { $0.listed.count >= 12 }
        let update = ProcessInfo.processInfo.environment["SIGFOX_SIM_UPDATE_SCREENSHOT"] == "1"
        let picture =
            update
            ? ServeProcess.repositoryRoot.appendingPathComponent("Benchmarks/dashboard.png").path
            : NSTemporaryDirectory() + "dashboard-\(UUID().uuidString).png"
        defer { if !update { try? FileManager.default.removeItem(atPath: picture) } }
        let run = try ToolProcess.python(file: Self.script, ["screenshot", "http://127.0.0.1:\(serve.port)", picture])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr.suffix(3000))")
        let header = try #require(FileHandle(forReadingAtPath: picture)?.readData(ofLength: 24))
        #expect(header.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let width = header[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = header[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280 && height == 800)
    }
}

@Suite("sigfox-sim load: the HTML report in the browser", .serialized, .timeLimit(.minutes(3)))
struct LoadReportBrowserTests {
    @Test("the report fits a 1280 px window: nothing scrolls sideways, its thresholds lead")
    func fits1280() throws {
        let folder = NSTemporaryDirectory() + "sigfox-load-html-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/load.html"
        let load = try ToolProcess.run([
            "load", "--scenario", "Scenarios/retries.yaml", "--rate", "50", "--duration", "2.5", "--time", "scaled:60",
            "--threshold", "p99<10s", "--threshold", "errors<1%", "--html", page, "--no-progress",
        ])
        #expect(load.status == 1, "\(load.stdout)\(load.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let thresholds = try #require(html.range(of: "Thresholds FAILED: 1 of 2 did not hold"))
        let share = try #require(html.range(of: "% of the "))
        #expect(thresholds.lowerBound < share.lowerBound)
        let run = try ToolProcess.python(file: DashboardTests.script, ["fit", page, "1280"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr.suffix(3000))")
    }
}

extension ToolProcess {
    /// Runs a Python file with Debian's python3 (where selenium is installed).
    static func python(file: String, _ arguments: [String]) throws -> ToolProcess {
        try launch(URL(fileURLWithPath: "/usr/bin/python3"), [file] + arguments, input: nil, seconds: 150)
    }
}
