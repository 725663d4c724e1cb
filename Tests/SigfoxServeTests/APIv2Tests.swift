import Foundation
import SigfoxCloud
import SigfoxModel
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("sigfox-sim serve: the Sigfox API v2", .serialized, .timeLimit(.minutes(5)))
struct APIv2Tests {
    static let auth = "Basic " + Data("sigfox-sim:sigfox-sim".utf8).base64EncodedString()

    @Test("end to end: device type, callback, device, uplinks, messages with receptions, failed tries not delivered")
    func endToEnd() throws {
        let serve = try ServeProcess(["--time", "scaled:20"])
        defer { serve.stop() }
        let v2 = V2Client(serve: serve)
        let type = try v2.send(
            "POST",
            "/v2/device-types/",
            #"{"name":"Meter","groupId":"g","contracts":[{"id":"c"}],"payloadType":3,"payloadConfig":"count::uint:16","keepAlive":0,"downlinkMode":2}"#,
            expect: 201
        )["id"]?.scalarText
        let typeID = try #require(type)
        // One callback that a receiver answers, one to a port nobody listens on.
        let good = try v2.send(
            "POST",
            "/v2/device-types/\(typeID)/callbacks",
            #"{"channel":"URL","callbackType":0,"callbackSubtype":2,"enabled":true,"url":"\#(serve.receiverURL)/meter?c={customData#count}","httpMethod":"GET"}"#,
            expect: 201
        )["id"]?.scalarText
        let bad = try v2.send(
            "POST",
            "/v2/device-types/\(typeID)/callbacks",
            #"{"channel":"URL","callbackType":0,"callbackSubtype":2,"enabled":true,"url":"http://127.0.0.1:1/down","httpMethod":"POST","bodyTemplate":"{\"d\":\"{device}\"}","contentType":"application/json"}"#,
            expect: 201
        )["id"]?.scalarText
        _ = try v2.send(
            "POST",
            "/v2/devices/",
            #"{"id":"ABC1","name":"meter 1","deviceTypeId":"\#(typeID)","pac":"0123456789ABCDEF","lat":43.6,"lng":1.44}"#,
            expect: 201
        )
        #expect(try v2.send("GET", "/v2/devices/ABC1")["deviceType"]?["id"]?.scalarText == typeID)
        for count in [7, 8] {
            #expect(try serve.post("/sim/devices/ABC1/uplinks", #"{"encode":{"count":\#(count)}}"#).status == 201)
        }
        try serve.waitFor("/sim/attempts?device=ABC1") { $0.listed.count >= 4 }
        let messages = try v2.send("GET", "/v2/devices/ABC1/messages").listed
        #expect(messages.count == 2)
        // Newest first by time (its first reception): two uplinks sent at once may be heard in either order.
        #expect(Set(messages.compactMap { $0["data"]?.scalarText }) == ["0007", "0008"])
        let times = messages.compactMap { $0["time"]?.scalarText.flatMap { Int64($0) } }
        #expect(times == times.sorted(by: >))
        #expect(messages.first?["device"]?["id"]?.scalarText == "ABC1")
        #expect(messages.first?["rinfos"]?.items.first?["baseStation"]?["id"] != nil)
        #expect(messages.first?["rinfos"]?.items.first?["rssi"] != nil)
        #expect(try v2.send("GET", "/v2/device-types/\(typeID)/messages?limit=1").listed.count == 1)
        let device = try v2.send("GET", "/v2/devices/ABC1")
        #expect(device["sequenceNumber"]?.scalarText == "1")
        #expect(device["lastCom"] != nil)
        #expect(try v2.send("GET", "/v2/devices/ABC1/messages/metric")["lastDay"]?.scalarText == "2")
        // The failed tries, with the request as rendered.
        let failed = try v2.send("GET", "/v2/devices/ABC1/callbacks-not-delivered").listed
        #expect(failed.count == 2)
        #expect(failed.first?["status"]?.scalarText == "600")
        #expect(failed.first?["callback"]?["url"]?.scalarText == "http://127.0.0.1:1/down")
        #expect(failed.first?["callback"]?["body"]?.scalarText == #"{"d":"ABC1"}"#)
        #expect(try v2.send("GET", "/v2/device-types/\(typeID)/callbacks-not-delivered").listed.count == 2)
        let last = try v2.send(
            "GET",
            "/v2/device-types/\(typeID)/callbacks/\(try #require(bad))/callbacks-not-delivered"
        )
        #expect(last["deviceId"]?.scalarText == "ABC1")
        // dead follows "its last use failed".
        let callbacks = try v2.send("GET", "/v2/device-types/\(typeID)/callbacks").listed
        #expect(callbacks.first { $0["id"]?.scalarText == bad }?["dead"]?.scalarText == "true")
        #expect(callbacks.first { $0["id"]?.scalarText == good }?["dead"]?.scalarText == "false")
        // Disabled: the next uplink does not fire it. Deleted device: uplinks refused.
        _ = try v2.send("PUT", "/v2/device-types/\(typeID)/callbacks/\(bad!)/enable?enabled=false", expect: 204)
        #expect(
            try serve.post("/sim/devices/ABC1/uplinks", #"{"payload":"0009"}"#).body.contains(
                "\"callbacks\":[\"\(good!)\"]"
            )
        )
        _ = try v2.send("DELETE", "/v2/devices/ABC1", expect: 204)
        #expect(try serve.post("/sim/devices/ABC1/uplinks", #"{"payload":"01"}"#).status == 404)
    }

    @Test("a message is listed once the cloud has received it (its first reception), never with a time to come")
    func listedWhenReceived() throws {
        // Real time: the first reception comes 2.5 to 4.5 s after the send, far longer than these requests.
        let serve = try ServeProcess(["--time", "real"])
        defer { serve.stop() }
        let v2 = V2Client(serve: serve)
        let answer = try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"ff3842"}"#)
        #expect(answer.status == 201, "\(answer.body)")
        let receipt = try JSONParser.parse(answer.body)
        let sentAt = try #require(receipt["sentAt"]?.scalarText.flatMap(Int64.init))
        let received = try #require(receipt["time"]?.scalarText.flatMap(Int64.init))
        #expect(received - sentAt >= 2500)
        // Sent, not yet received: in neither list, nor in the device's last communication.
        #expect(try serve.json("/sim/messages?device=2C30EA").listed.isEmpty)
        #expect(try v2.send("GET", "/v2/devices/2C30EA/messages").listed.isEmpty)
        #expect(try v2.send("GET", "/v2/devices/2C30EA/messages/metric")["lastDay"]?.scalarText == "0")
        // Received: in both, with the time it was received, which has come.
        let listed = try serve.waitFor("/sim/messages?device=2C30EA", seconds: 15) { !$0.listed.isEmpty }.listed
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(listed.count == 1 && listed.first?["time"]?.scalarText == String(received))
        #expect(received <= now)
        let messages = try v2.send("GET", "/v2/devices/2C30EA/messages").listed
        #expect(messages.count == 1 && messages.first?["time"]?.scalarText == String(received))
        #expect(try v2.send("GET", "/v2/devices/2C30EA/messages/metric")["lastDay"]?.scalarText == "1")
    }

    @Test("callbacks: update, downlink selection (one per type), delete; device type update and delete")
    func callbackLifecycle() throws {
        let serve = try ServeProcess(["Scenarios/bidir-downlink.yaml", "--time", "scaled:20"])
        defer { serve.stop() }
        let v2 = V2Client(serve: serve)
        let type = "0000000000000000000000b1"
        let second = try v2.send(
            "POST",
            "/v2/device-types/\(type)/callbacks",
            #"{"channel":"URL","callbackType":0,"callbackSubtype":3,"enabled":true,"url":"\#(serve.receiverURL)/second","httpMethod":"GET"}"#,
            expect: 201
        )["id"]?.scalarText
        let id = try #require(second)
        _ = try v2.send("PUT", "/v2/device-types/\(type)/callbacks/\(id)/downlink", expect: 204)
        var listed = try v2.send("GET", "/v2/device-types/\(type)/callbacks").listed
        #expect(listed.filter { $0["downlinkHook"]?.scalarText == "true" }.compactMap { $0["id"]?.scalarText } == [id])
        _ = try v2.send("PUT", "/v2/device-types/\(type)/callbacks/bidir/downlink", expect: 204)
        listed = try v2.send("GET", "/v2/device-types/\(type)/callbacks").listed
        #expect(
            listed.filter { $0["downlinkHook"]?.scalarText == "true" }.compactMap { $0["id"]?.scalarText } == ["bidir"]
        )
        // An ACKNOWLEDGE callback cannot be the downlink callback.
        _ = try v2.send("PUT", "/v2/device-types/\(type)/callbacks/acknowledge/downlink", expect: 400)
        _ = try v2.send(
            "PUT",
            "/v2/device-types/\(type)/callbacks/\(id)",
            #"{"url":"\#(serve.receiverURL)/changed"}"#,
            expect: 204
        )
        listed = try v2.send("GET", "/v2/device-types/\(type)/callbacks").listed
        #expect(listed.first { $0["id"]?.scalarText == id }?["url"]?.scalarText?.hasSuffix("/changed") == true)
        // The readable form takes API updates too (httpMethod replaces method).
        _ = try v2.send("PUT", "/v2/device-types/\(type)/callbacks/bidir", #"{"httpMethod":"PUT"}"#, expect: 204)
        _ = try v2.send("DELETE", "/v2/device-types/\(type)/callbacks/\(id)", expect: 204)
        _ = try v2.send("DELETE", "/v2/device-types/\(type)/callbacks/\(id)", expect: 404)
        _ = try v2.send("PUT", "/v2/device-types/\(type)", #"{"name":"Thermostat 2","keepAlive":3600}"#, expect: 204)
        let read = try v2.send("GET", "/v2/device-types/\(type)")
        #expect(read["name"]?.scalarText == "Thermostat 2")
        #expect(read["keepAlive"]?.scalarText == "3600")
        // A type with devices is not deleted; an empty one is.
        _ = try v2.send("DELETE", "/v2/device-types/\(type)", expect: 400)
        let empty = try v2.send("POST", "/v2/device-types/", #"{"name":"Empty"}"#, expect: 201)["id"]?.scalarText
        _ = try v2.send("DELETE", "/v2/device-types/\(try #require(empty))", expect: 204)
    }

    @Test("export writes the running configuration as a scenario run plays; render --format api-v2 round-trips")
    func exportAndRender() throws {
        let serve = try ServeProcess([])
        defer { serve.stop() }
        let v2 = V2Client(serve: serve)
        let type = try v2.send(
            "POST",
            "/v2/device-types/",
            #"{"name":"Exported","payloadConfig":"n::uint:8"}"#,
            expect: 201
        )
        let typeID = try #require(type["id"]?.scalarText)
        _ = try v2.send(
            "POST",
            "/v2/device-types/\(typeID)/callbacks",
            #"{"channel":"URL","callbackType":0,"callbackSubtype":2,"enabled":true,"url":"http://127.0.0.1:1/x?n={customData#n}","httpMethod":"GET"}"#,
            expect: 201
        )
        let file = NSTemporaryDirectory() + "sigfox-export-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let export = try ToolProcess.run(["export", "--server", "http://127.0.0.1:\(serve.port)", "--output", file])
        #expect(export.status == 0, "\(export.stderr)")
        let run = try ToolProcess.run(["run", file])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\"name\":\"Exported\""))
        // The exported callbacks, as API v2 objects, load again (the round trip to the real cloud's form).
        let callbacks = try ToolProcess.run([
            "render", "--callback", "Scenarios/callbacks/uplink-readable.yaml", "--format", "api-v2",
        ])
        #expect(callbacks.status == 0)
        let object = try JSONParser.parse(callbacks.stdout)
        #expect(object["callbackType"]?.scalarText == "0")
        #expect(object["bodyTemplate"] != nil)
        let created = try serve.client.request(
            "POST",
            "/v2/device-types/\(typeID)/callbacks",
            body: callbacks.stdout,
            headers: [("Authorization", Self.auth)]
        )
        #expect(created.status == 201, "\(created.body)")
        let noServer = try ToolProcess.run(["export", "--server", "http://127.0.0.1:1"])
        #expect(noServer.status == 2)
    }

    @Test("other credentials with --api-login and --api-password")
    func credentials() throws {
        let serve = try ServeProcess(["--api-login", "me", "--api-password", "secret"])
        defer { serve.stop() }
        // A password the user gave is not printed (issue 31: only the built-in default is).
        #expect(serve.stdout.contains("login me, password as given"))
        #expect(!serve.stdout.contains("secret"))
        let good = "Basic " + Data("me:secret".utf8).base64EncodedString()
        #expect(try serve.client.request("GET", "/v2/devices/", headers: [("Authorization", good)]).status == 200)
        #expect(try serve.client.request("GET", "/v2/devices/", headers: [("Authorization", Self.auth)]).status == 401)
    }

    @Test("schemathesis: every operation of /openapi.json, no server error, every answer matches its schema")
    func schemathesis() throws {
        let schemathesis = ServeProcess.repositoryRoot.appendingPathComponent(
            ".build-venv/schemathesis/bin/schemathesis"
        )
        try #require(
            FileManager.default.isExecutableFile(atPath: schemathesis.path),
            "schemathesis is not installed: run scripts/test, which installs it in .build-venv/schemathesis"
        )
        let serve = try ServeProcess(["--time", "scaled:20"])
        defer { serve.stop() }
        for _ in 0..<3 { _ = try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#) }
        let base = "http://127.0.0.1:\(serve.port)"
        let run = try ToolProcess.launch(
            schemathesis,
            [
                "--config-file", "Tests/Fixtures/schemathesis.toml", "run", base + "/openapi.json", "--url", base,
                "-a", "sigfox-sim:sigfox-sim", "--exclude-path", "/sim/events", "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "-n", "25", "--seed", "1", "--request-timeout", "20", "--no-shrink", "--no-color",
            ],
            input: nil,
            seconds: 600
        )
        #expect(run.status == 0, "\(run.stdout.suffix(6000))\n\(run.stderr.suffix(2000))")
        #expect(run.stdout.contains("passed"))
        // Every operation at least once: all 88 of the API v2 and sigfox-sim's own, but the event stream.
        let document = try JSONParser.parse(try serve.get("/openapi.json").body)
        let methods: Set = ["get", "put", "post", "delete", "patch", "head", "options"]
        let described = (document["paths"]?.entries ?? []).flatMap { path in
            (path.node.entries ?? []).filter { methods.contains($0.key) }.map { _ in path.key }
        }
        #expect(described.filter { $0.hasPrefix("/v2/") }.count == 88)
        // schemathesis counts every operation but the document's own (GET /openapi.json); the event stream is
        // left out above; every other one is tested.
        let summary = Comment(rawValue: String(run.stdout.suffix(3000)))
        let total = Self.firstNumber(after: "selected / ", in: run.stdout)
        let selected = Self.firstNumber(after: "Selected: ", in: run.stdout)
        let tested = Self.firstNumber(after: "Tested: ", in: run.stdout)
        #expect(total == described.count - 1, summary)
        #expect(selected == described.count - 2, summary)
        #expect(tested == selected, summary)
        #expect(
            try serve.get("/health").status == 200,
            "serve did not survive schemathesis: \(serve.stderr.suffix(3000))"
        )
    }
    /// The whole number right after `label` in `text` (schemathesis's summary: `Selected: 120/121`).
    static func firstNumber(after label: String, in text: String) -> Int? {
        guard let range = text.range(of: label) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}

/// Requests to `/v2` with the default credentials; each answer's status is checked and its JSON returned.
struct V2Client {
    let serve: ServeProcess

    @discardableResult
    func send(_ method: String, _ path: String, _ body: String? = nil, expect status: Int = 200) throws -> ConfigNode {
        let answer = try serve.client.request(method, path, body: body, headers: [("Authorization", APIv2Tests.auth)])
        #expect(answer.status == status, "\(method) \(path): \(answer.body)")
        return answer.body.isEmpty ? ConfigNode(.null) : try JSONParser.parse(answer.body)
    }

}
