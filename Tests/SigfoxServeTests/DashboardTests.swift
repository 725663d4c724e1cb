import Foundation
import SigfoxCloud
import SigfoxModel
import Testing

@Suite("sigfox-sim serve: the web dashboard", .serialized, .timeLimit(.minutes(3)))
struct DashboardTests {
    static let script = ServeProcess.repositoryRoot.appendingPathComponent("Tests/Fixtures/dashboard_browser.py").path

    @Test("the pages are plain HTML: they read without JavaScript")
    func withoutJavaScript() throws {
        let serve = try ServeProcess(["--time", "scaled:20"])
        defer { serve.stop() }
        _ = try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"00d728"}"#)
        try serve.waitFor("/sim/attempts") { $0.listed.count >= 2 }
        let page = try serve.get("/")
        #expect(page.status == 200)
        #expect(page.headers.contains { $0.0.lowercased() == "content-type" && $0.1.hasPrefix("text/html") })
        #expect(page.body.contains("<td><code>00d728</code></td>"))
        #expect(page.body.contains("temp=215 hum=40"))
        #expect(page.body.contains("✓ delivered"))
        let message = try #require(try serve.json("/sim/messages").listed.first?["id"]?.scalarText)
        let detail = try serve.get("/ui/messages/\(message)")
        #expect(detail.body.contains("Request, exactly as sent"))
        #expect(detail.body.contains("POST http://127.0.0.1:"))
        // The answer as received: status line and headers (serve keeps them), then the body.
        #expect(detail.body.contains("<pre class=\"response\">HTTP/1.1 200 OK"))
        #expect(
            try serve.json("/sim/attempts").listed.first?["responseHeaders"]?.scalarText?.hasPrefix("HTTP/1.1 200")
                == true
        )
        for path in [
            "/ui/not-delivered", "/ui/device-types", "/ui/devices", "/ui/assets/dashboard.css",
            "/ui/assets/dashboard.js",
        ] {
            #expect(try serve.get(path).status == 200, "\(path)")
        }
        #expect(try serve.get("/ui/messages/999999").status == 404)
        // Nothing from another host: no CDN, no external script or style.
        #expect(!page.body.contains("https://"))
    }

    @Test("in Chromium: an uplink from the form, its delivered try live; a failure's retry time; resend; 800 px")
    func inTheBrowser() throws {
        let serve = try ServeProcess(["Tests/Fixtures/dashboard.yaml"])
        defer { serve.stop() }
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

extension ToolProcess {
    /// Runs a Python file with Debian's python3 (where selenium is installed).
    static func python(file: String, _ arguments: [String]) throws -> ToolProcess {
        try launch(URL(fileURLWithPath: "/usr/bin/python3"), [file] + arguments, input: nil, seconds: 150)
    }
}
