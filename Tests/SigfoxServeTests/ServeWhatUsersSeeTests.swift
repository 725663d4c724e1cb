import Foundation
import SigfoxCloud
import SigfoxModel
import SigfoxScenario
import Synchronization
import Testing

@Suite("sigfox-sim serve: what the user sees", .serialized, .timeLimit(.minutes(3)))
struct ServeWhatUsersSeeTests {
    /// One station near Toulouse, a device beside it and one in Paris, out of every station's reach.
    static let farDevice = """
        name: far
        baseStations:
          - { id: 1D44, lat: 43.61, lng: 1.45 }
        deviceTypes:
          - id: 5f1d3a2b4c6e8f0a1b2c3d4e
            name: Meter
            callbacks:
              - { service: DATA/UPLINK, url: "{receiver}/up", method: POST, contentType: application/json, body: '{"device":"{device}","data":"{data}","n":1}' }
        devices:
          - { id: 2C30EA, deviceType: Meter, lat: 43.600, lng: 1.440 }
          - { id: 2C30EB, deviceType: Meter, lat: 48.85, lng: 2.35 }
        receiver:
          embedded: { status: 204 }
        """

    @Test("no silent loss: the banner names the device out of reach; a lost uplink's answer and event say why")
    func silentLoss() throws {
        let serve = try ServeProcess([try scenarioFile(Self.farDevice)])
        defer { serve.stop() }
        #expect(
            serve.stdout.contains(
                ".yaml:11:5: devices[1]: device 2C30EB is out of every base station's reach: the nearest, 1D44, is "
            ) && serve.stdout.contains("\n  warning: /"),
            "\(serve.stdout)"
        )
        let lost = Mutex<String?>(nil)
        try serve.client.events("/sim/events?types=lost", timeoutSeconds: 20) {
            let answer = try serve.post("/sim/devices/2C30EB/uplinks", #"{"payload":"01"}"#)
            #expect(answer.status == 201)
            let receipt = try JSONParser.parse(answer.body)
            #expect(receipt["lost"]?.scalarText == "true" && receipt["reason"]?.scalarText == "out of reach")
            #expect(receipt["explanation"]?.scalarText?.hasPrefix("out of every base station's reach") == true)
        } onEvent: { _, data in
            lost.withLock { $0 = data }
            return false
        }
        #expect(lost.withLock { $0 }?.contains(#""reason":"out of reach""#) == true)
        // A device added where no station hears it is said at once.
        let added = try serve.post(
            "/sim/devices",
            #"{"id":"ABC1","deviceType":"Meter","lat":50.0,"lng":5.0}"#
        )
        #expect(added.status == 201 && added.body.contains("\"warning\":\"device ABC1 is out of every base station"))
        // `uplink` says why, and says "1 station" when one heard it.
        let far = try ToolProcess.run(["uplink", "2C30EB", "02", "--server", "http://127.0.0.1:\(serve.port)"])
        #expect(far.status == 0 && far.stdout.contains("no station heard it, lost: out of every base station's reach"))
        let near = try ToolProcess.run(["uplink", "2C30EA", "03", "--server", "http://127.0.0.1:\(serve.port)"])
        #expect(near.stdout.contains("heard by 1 station ("), "\(near.stdout)")
    }

    @Test("the request exactly as libcurl sent it, the status line as received (204 No Content), 404 and 400s")
    func exactRequest() throws {
        let serve = try ServeProcess([try scenarioFile(Self.farDevice)])
        defer { serve.stop() }
        _ = try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"0a0b"}"#)
        let attempt = try serve.waitFor("/sim/attempts") { !$0.listed.isEmpty }.listed[0]
        let sent = try #require(attempt["requestHeaders"]?.scalarText)
        #expect(sent.hasPrefix("POST /up HTTP/1.1\r\nHost: 127.0.0.1:"), "\(sent)")
        let body = try #require(attempt["request"]?["body"]?.scalarText)
        #expect(
            sent.contains("\r\nAccept: */*\r\n") && sent.contains("\r\nContent-Length: \(body.utf8.count)\r\n"),
            "\(sent)"
        )
        #expect(attempt["status"]?.scalarText == "204" && attempt["message"]?.scalarText == "No Content")
        #expect(attempt["responseHeaders"]?.scalarText?.hasPrefix("HTTP/1.1 204 No Content\r\n") == true)
        // The unnamed callback has the one name run gives it too.
        #expect(attempt["callback"]?.scalarText == "5f1d3a2b4c6e8f0a00000000")
        #expect(serve.stdout.contains("204 No Content"))
        // An unknown device is 404, not 400; an unknown event type is 400 naming the known ones.
        for (path, body) in [("/sim/devices/FFFF/uplinks", #"{"payload":"01"}"#), ("/sim/devices/FFFF/status", "{}")] {
            let answer = try serve.client.request("POST", path, body: body)
            #expect(answer.status == 404, "\(path): \(answer.body)")
        }
        #expect(try serve.client.request("DELETE", "/sim/devices/FFFF").status == 404)
        let types = try serve.get("/sim/events?types=attempt,atempt")
        #expect(types.status == 400 && types.body.contains("unknown event type 'atempt'; did you mean 'attempt'?"))
        #expect(types.body.contains("The types are message, attempt, downlink"))
    }

    @Test("an e-mail as it went: the message handed to SMTP, headers and text, on the message's page")
    func emailAsSent() throws {
        let serve = try ServeProcess(["Scenarios/email.yaml", "--time", "scaled:20"])
        defer { serve.stop() }
        let mail = try serve.waitFor("/sim/attempts?callback=ops-mail") { !$0.listed.isEmpty }.listed[0]
        let sent = try #require(mail["requestHeaders"]?.scalarText)
        #expect(sent.contains("\r\nTo: ops@example.com\r\nSubject: Device 2C30EA sent ff38\r\nMessage-ID: <"))
        #expect(sent.hasPrefix("Date: ") && sent.contains("\r\n\r\nDevice 2C30EA (seq 0) at "))
        let message = try #require(try serve.json("/sim/messages").listed.first)
        let page = try serve.get("/ui/messages/\(message["id"]!.scalarText!)").body
        #expect(page.contains("From: sigfox-sim &lt;sigfox-sim@example.com&gt;\nTo: ops@example.com\n"))
    }

    @Test("a resend traces back: resentFrom on the new delivery's tries, resentAs on the try resent, both events")
    func resendLinks() throws {
        let serve = try ServeProcess(["Tests/Fixtures/dashboard.yaml", "--time", "scaled:20"])
        defer { serve.stop() }
        _ = try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#)
        try serve.waitFor("/sim/attempts") { $0.listed.count == 1 }
        _ = try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"02"}"#)
        let failed = try serve.waitFor("/sim/attempts?outcome=retry") { !$0.listed.isEmpty }.listed[0]
        let id = try #require(failed["id"]?.scalarText)
        let events = Mutex<[(String, String)]>([])
        try serve.client.events("/sim/events?types=resend,attempt", timeoutSeconds: 20) {
            let answer = try serve.post("/sim/attempts/\(id)/resend")
            #expect(answer.status == 201 && answer.body.contains("\"resentFrom\":\(id)"), "\(answer.body)")
        } onEvent: { type, data in
            events.withLock { $0.append((type, data)) }
            return !(type == "attempt" && data.contains("\"resentFrom\":\(id)"))
        }
        let seen = events.withLock { $0 }
        let resend = try #require(seen.first { $0.0 == "resend" }?.1)
        #expect(resend.contains("\"try\":\(id),\"resentAs\":"))
        let all = try serve.json("/sim/attempts").listed
        let original = try #require(all.first { $0["id"]?.scalarText == id })
        let delivery = try #require(original["resentAs"]?.items.first?.scalarText)
        let resent = try #require(all.first { $0["resentFrom"]?.scalarText == id })
        #expect(resent["delivery"]?.scalarText == delivery && resent["outcome"]?.scalarText == "delivered")
        // On the pages: both ends link to each other, the not-delivered row says it was resent.
        let message = try #require(try serve.json("/sim/messages").listed.first { $0["data"]?.scalarText == "02" })
        let page = try serve.get("/ui/messages/\(message["id"]!.scalarText!)").body
        #expect(page.contains("data-resent-as=\"\(delivery)\"") && page.contains("data-resent-from=\"\(id)\""))
        #expect(page.contains("<span id=\"delivery-\(delivery)\"></span>") && page.contains("id=\"try-\(id)\""))
        let list = try serve.get("/ui/not-delivered").body
        #expect(list.contains("↺ resent as delivery \(delivery): ✓ delivered"))
        #expect(list.contains("deliveries given up after 4 tries") || list.contains("deliveries, next try due"))
    }

    @Test("export: YAML for a .yaml file; --messages adds the traffic, and run replays the session")
    func exportSession() throws {
        let serve = try ServeProcess(["--time", "scaled:20"])
        defer { serve.stop() }
        for device in ["2C30EA", "2C30EB"] {
            #expect(try serve.post("/sim/devices/\(device)/uplinks", #"{"payload":"00d728"}"#).status == 201)
        }
        // DATA at once, DATA_ADVANCED 25/20 s later.
        try serve.waitFor("/sim/attempts") { $0.listed.count >= 4 }
        let folder = NSTemporaryDirectory() + "sigfox-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = "http://127.0.0.1:\(serve.port)"
        let plain = try ToolProcess.run(["export", "--server", server, "--output", folder + "/config.yaml"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let yaml = try String(contentsOfFile: folder + "/config.yaml", encoding: .utf8)
        #expect(yaml.hasPrefix("# Exported from sigfox-sim serve") && yaml.contains("\nbaseStations:\n  - id: 1D44"))
        let session = try ToolProcess.run([
            "export", "--server", server, "--messages", "--output", folder + "/session.yaml",
        ])
        #expect(session.status == 0, "\(session.stderr)")
        let text = try String(contentsOfFile: folder + "/session.yaml", encoding: .utf8)
        #expect(text.contains("\ntraffic:\n  - at: ") && text.contains("    receptions:\n"))
        #expect(text.contains("  - callback: uplink\n    delivered: 2"))
        let run = try ToolProcess.run(["run", folder + "/session.yaml", "--no-progress"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("✓ callback advanced: delivered 2") && run.stdout.contains("PASSED: 4/4"))
    }

    @Test("the dashboard without JavaScript: filters, the request as sent, curl, type names, simulated time")
    func dashboardPages() throws {
        let serve = try ServeProcess(["Tests/Fixtures/dashboard.yaml", "--time", "scaled:20"])
        defer { serve.stop() }
        for payload in ["0102", "0304"] {
            _ = try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"\#(payload)"}"#)
            try serve.waitFor("/sim/attempts") { answer in
                answer.listed.contains { $0["request"]?["body"]?.scalarText?.contains(payload) == true }
            }
        }
        // Search by payload, filter by outcome (the second try failed: 200, then 500).
        let search = try serve.get("/?q=0304").body
        #expect(search.contains("<code>0304</code>") && !search.contains("<code>0102</code>"))
        let failed = try serve.get("/?outcome=retry&callback=hook").body
        #expect(failed.contains("<code>0304</code>") && !failed.contains("<code>0102</code>"))
        let none = try serve.get("/?device=2C30EB").body
        #expect(none.contains("No message matches"))
        #expect(try serve.get("/").body.contains("data-reset"))
        // The message: the header block as sent, the body byte for byte (key order kept), curl, formatted.
        let message = try #require(try serve.json("/sim/messages").listed.first { $0["data"]?.scalarText == "0102" })
        let page = try serve.get("/ui/messages/\(message["id"]!.scalarText!)").body
        #expect(page.contains("<pre class=\"request\">POST /hook HTTP/1.1\nHost: 127.0.0.1:"))
        #expect(page.contains("Accept: */*\nContent-Type: application/json\nContent-Length: "))
        #expect(
            page.contains("{&quot;device&quot;:&quot;2C30EA&quot;,&quot;seq&quot;:0,&quot;data&quot;:&quot;0102&quot;")
        )
        #expect(page.contains("<pre class=\"request-formatted\">"))
        #expect(page.contains("data-copy=\"curl -X POST &apos;http://127.0.0.1:"))
        #expect(page.contains("--data-raw &apos;{&quot;device&quot;"))
        #expect(page.contains("<dt>Device type</dt><dd>SIGFOX_DevKit_1</dd>"))
        #expect(page.contains("<pre class=\"response\">HTTP/1.1 200 OK\n") && page.contains("\nDate: "))
        #expect(page.contains("is the receiver's clock; on the simulation clock (scaled:20) this try was sent at"))
        #expect(try serve.get("/ui/not-delivered").body.contains(">SIGFOX_DevKit_1</option>"))
    }
}
