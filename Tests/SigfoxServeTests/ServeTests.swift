import Foundation
import SigfoxCloud
import SigfoxModel
import SigfoxScenario
import SigfoxTesting
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("sigfox-sim serve", .serialized, .timeLimit(.minutes(3)))
struct ServeTests {
    @Test("the default service: health, an uplink, its DATA try, the message with its receptions")
    func defaultService() throws {
        let serve = try ServeProcess(["--time", "scaled:20"])
        defer { serve.stop() }
        #expect(try serve.get("/health").status == 200)
        #expect(serve.stdout.contains("try:  curl -X POST http://127.0.0.1:\(serve.port)/sim/devices/2C30EA/uplinks"))
        let answer = try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"ff3842\"}")
        #expect(answer.status == 201, "\(answer.body)")
        let receipt = try JSONParser.parse(answer.body)
        #expect(receipt["seqNumber"]?.scalarText == "0")
        #expect(receipt["callbacks"]?.items.compactMap(\.scalarText) == ["uplink", "advanced"])
        let attempts = try serve.waitFor("/sim/attempts") { $0.listed.count >= 2 }.listed
        #expect(attempts.count == 2)
        #expect(attempts.allSatisfy { $0["outcome"]?.scalarText == "delivered" })
        #expect(Set(attempts.compactMap { $0["service"]?.scalarText }) == ["DATA/UPLINK", "SERVICE/DATA_ADVANCED"])
        let body = try #require(attempts.last?["request"]?["body"]?.scalarText)
        #expect(body.contains("\"data\":\"ff3842\""))
        let messages = try serve.json("/sim/messages?device=2C30EA").listed
        #expect(messages.count == 1)
        #expect(messages[0]["data"]?.scalarText == "ff3842")
        #expect(messages[0]["receptions"]?.items.isEmpty == false)
        #expect(messages[0]["receptions"]?.items.first?["station"] != nil)
        #expect(serve.stop() == 0)
        #expect(serve.stdout.contains("sigfox-sim serve: stopped"))
    }

    @Test("the event stream delivers the message and its try as they happen")
    func eventStream() throws {
        let serve = try ServeProcess(["--time", "scaled:20"])
        defer { serve.stop() }
        let seen = Mutex<[(String, String)]>([])
        try serve.client.events("/sim/events", timeoutSeconds: 20) {
            let answer = try serve.post("/sim/devices/2C30EB/uplinks", "{\"payload\":\"01\"}")
            #expect(answer.status == 201)
        } onEvent: { type, data in
            seen.withLock { $0.append((type, data)) }
            return !(type == "attempt" && data.contains("\"outcome\":\"delivered\"") && data.contains("DATA/UPLINK"))
        }
        let events = seen.withLock { $0 }
        #expect(events.first?.0 == "message")
        #expect(events.first?.1.contains("\"device\":\"2C30EB\"") == true)
        #expect(events.contains { $0.0 == "attempt" })
        // What the stream said is in the store.
        #expect(try serve.json("/sim/attempts?device=2C30EB").listed.count >= 1)
    }

    @Test(
        "bad input gets a 4xx naming the field",
        arguments: [
            ("POST", "/sim/devices/2C30EA/uplinks", "{\"payload\":\"zz\"}", 400, "payload"),
            ("POST", "/sim/devices/2C30EA/uplinks", "{\"payload\":\"00112233445566778899aabbcc\"}", 400, "payload"),
            ("POST", "/sim/devices/2C30EA/uplinks", "{\"paylod\":\"00\"}", 400, "paylod"),
            ("POST", "/sim/devices/2C30EA/uplinks", "{\"payload\":\"00\",\"ack\":\"yes\"}", 400, "ack"),
            ("POST", "/sim/devices/2C30EA/uplinks", "{\"payload\":\"00\",\"frames\":2}", 400, "frames"),
            ("POST", "/sim/devices/2C30EA/uplinks", "{\"encode\":{\"temp\":1.5}}", 400, "encode.temp"),
            ("POST", "/sim/devices/2C30EA/uplinks", "{\"encode\":{\"nope\":1}}", 400, "encode.nope"),
            ("POST", "/sim/devices/2C30EA/uplinks", "{}", 400, "payload"),
            ("POST", "/sim/devices/2C30EA/uplinks", "[1,2]", 400, ""),
            ("POST", "/sim/devices/2C30EA/uplinks", "{\"payload\":", 400, ""),
            ("POST", "/sim/devices/ABCDEF/uplinks", "{\"payload\":\"00\"}", 404, "id"),
            ("POST", "/sim/devices/xyz/uplinks", "{\"payload\":\"00\"}", 400, "id"),
            ("POST", "/sim/devices/2C30EA/status", "{\"temp\":\"hot\"}", 400, "temp"),
            ("POST", "/sim/devices/2C30EA/status", "{\"temp\":1e300}", 400, "temp"),
            ("POST", "/sim/base-stations/ZZZZZ/down", nil, 400, "id"),
            ("POST", "/sim/base-stations/FFFF/down", nil, 404, "id"),
            ("GET", "/sim/messages?limit=0", nil, 400, "limit"),
            ("GET", "/sim/messages?limit=abc", nil, 400, "limit"),
            ("GET", "/sim/attempts?outcome=great", nil, 400, "outcome"),
            ("GET", "/sim/attempts?bogus=1", nil, 400, "bogus"),
            ("GET", "/sim/messages?device=nothex", nil, 400, "device"),
            ("GET", "/sim/messages?since=-5", nil, 400, "since"),
            ("GET", "/sim/events?bogus=1", nil, 400, "bogus"),
            ("GET", "/sim/nothing", nil, 404, ""),
            (
                "POST", "/sim/device-types",
                "{\"name\":\"X\",\"callbacks\":[{\"service\":\"DATA/UPLINK\",\"url\":\"http://h/{nope}\"}]}", 400,
                "callbacks[0]",
            ),
            ("POST", "/sim/device-types", "{\"name\":\"X\",\"keepAlive\":5}", 400, ""),
            (
                "POST", "/sim/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/callbacks",
                "{\"service\":\"DATA/UPLNK\",\"url\":\"http://h/\"}", 400, "service"
            ),
            (
                "POST", "/sim/device-types/000000000000000000000bad/callbacks",
                "{\"service\":\"DATA/UPLINK\",\"url\":\"http://h/\"}", 400, "deviceType"
            ),
            ("POST", "/sim/devices", "{\"id\":\"123\",\"deviceType\":\"Nope\",\"lat\":1,\"lng\":1}", 400, "deviceType"),
            (
                "POST", "/sim/devices", "{\"id\":\"2C30EA\",\"deviceType\":\"SIGFOX_DevKit_1\",\"lat\":1,\"lng\":1}",
                400, ""
            ),
            ("DELETE", "/sim/devices/777", nil, 404, "id"),
        ] as [(String, String, String?, Int, String)]
    )
    func badInput(method: String, path: String, body: String?, status: Int, field: String) throws {
        let serve = try Self.shared()
        let answer = try serve.client.request(method, path, body: body)
        #expect(answer.status == status, "\(method) \(path): \(answer.body)")
        let node = try JSONParser.parse(answer.body)
        #expect(node["message"]?.scalarText?.isEmpty == false, "\(answer.body)")
        if !field.isEmpty {
            #expect(node["field"]?.scalarText?.hasPrefix(field) == true, "\(method) \(path): \(answer.body)")
        }
        #expect(try serve.get("/health").status == 200)
    }

    @Test("mutated bodies never make the server fail or lose what it recorded")
    func fuzzBodies() throws {
        let serve = try Self.shared()
        let before = try serve.json("/sim/messages?limit=1000").listed.count
        let seeds = [
            "{\"payload\":\"ff3842\",\"ack\":false}", "{\"encode\":{\"temp\":21,\"hum\":40}}",
            "{\"temp\":21.5,\"batt\":3.6}",
            "{\"id\":\"ABC\",\"deviceType\":\"SIGFOX_DevKit_1\",\"lat\":43.6,\"lng\":1.44}",
            "{\"name\":\"F\",\"callbacks\":[{\"service\":\"DATA/UPLINK\",\"url\":\"{receiver}/x\",\"method\":\"POST\"}]}",
        ]
        let paths = [
            "/sim/devices/2C30EA/uplinks", "/sim/devices/2C30EA/uplinks", "/sim/devices/2C30EA/status", "/sim/devices",
            "/sim/device-types",
        ]
        var random = SystemRandomNumberGenerator()
        var accepted = 0
        for round in 0..<300 {
            let index = round % seeds.count
            var bytes = Array(seeds[index].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(Array("{}[]\",:9e-".utf8).randomElement(using: &random)!, at: position)
                default: bytes.insert(contentsOf: bytes[position...].prefix(8), at: position)
                }
                if bytes.isEmpty { bytes = [UInt8(ascii: "{")] }
            }
            let answer = try serve.client.request("POST", paths[index], body: String(decoding: bytes, as: UTF8.self))
            #expect(answer.status < 500, "\(String(decoding: bytes, as: UTF8.self)) → \(answer.status) \(answer.body)")
            if answer.status == 201, index < 2 { accepted += 1 }
        }
        #expect(try serve.get("/health").status == 200)
        // Listed once received, a moment after their send.
        let after = try serve.waitFor("/sim/messages?limit=1000") { $0.listed.count >= before + accepted }
        #expect(after.listed.count >= before + accepted)
    }

    @Test("configuration changes take effect for the next message; export loads as a scenario; reset undoes them")
    func configurationChanges() throws {
        let serve = try ServeProcess(["--time", "scaled:20"])
        defer { serve.stop() }
        let type = try serve.post(
            "/sim/device-types",
            """
            {"name": "Meter", "payloadConfig": "count::uint:16",
             "callbacks": [{"id": "meter", "service": "DATA/UPLINK", "url": "{receiver}/meter?c={customData#count}",
                            "method": "GET"}]}
            """
        )
        #expect(type.status == 201, "\(type.body)")
        let device = try serve.post(
            "/sim/devices",
            "{\"id\":\"ABC123\",\"deviceType\":\"Meter\",\"lat\":43.6,\"lng\":1.44}"
        )
        #expect(device.status == 201, "\(device.body)")
        let uplink = try serve.post("/sim/devices/ABC123/uplinks", "{\"encode\":{\"count\":513}}")
        #expect(uplink.status == 201, "\(uplink.body)")
        let attempts = try serve.waitFor("/sim/attempts?callback=meter") { !$0.listed.isEmpty }.listed
        #expect(attempts.first?["request"]?["url"]?.scalarText?.hasSuffix("/meter?c=513") == true)
        // A callback added to the default type fires on the next uplink.
        let callback = try serve.post(
            "/sim/device-types/SIGFOX_DevKit_1/callbacks",
            "{\"id\":\"extra\",\"service\":\"DATA/UPLINK\",\"url\":\"{receiver}/extra\",\"method\":\"GET\"}"
        )
        #expect(callback.status == 201, "\(callback.body)")
        _ = try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"01\"}")
        try serve.waitFor("/sim/attempts?callback=extra") { !$0.listed.isEmpty }
        // The export is a scenario that loads, with what was added.
        let exported = try serve.get("/sim/scenario")
        let scenario = try Scenario.parse(exported.body, file: "exported.json")
        #expect(scenario.devices.contains { $0.id.description == "ABC123" })
        #expect(scenario.deviceTypes.contains { $0.type.name == "Meter" })
        // A deleted device's uplinks are refused: there is no such device (404).
        #expect(try serve.client.request("DELETE", "/sim/devices/ABC123").status == 204)
        #expect(try serve.post("/sim/devices/ABC123/uplinks", "{\"payload\":\"01\"}").status == 404)
        // Reset: the initial configuration, no records.
        #expect(try serve.post("/sim/reset").status == 200)
        #expect(try serve.json("/sim/messages").listed.isEmpty)
        #expect(try serve.json("/sim/attempts").listed.isEmpty)
        #expect(try serve.json("/sim/device-types").listed.count == 1)
        #expect(try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"01\"}").status == 201)
    }

    @Test("BIDIR through serve: the downlink goes out and ACKNOWLEDGE fires, both on the event stream")
    func bidirDownlink() throws {
        let serve = try ServeProcess(["Scenarios/bidir-downlink.yaml", "--time", "scaled:20"])
        defer { serve.stop() }
        let seen = Mutex<[String: [String]]>([:])
        try serve.client.events("/sim/events?types=downlink,acknowledge", timeoutSeconds: 30) {
        } onEvent: { type, data in
            seen.withLock { $0[type, default: []].append(data) }
            return seen.withLock { $0["downlink"] == nil || $0["acknowledge"] == nil }
        }
        let events = seen.withLock { $0 }
        let downlink = try JSONParser.parse(try #require(events["downlink"]?.first))
        #expect(downlink["data"]?.scalarText?.count == 16)
        #expect(events["acknowledge"]?.contains { $0.contains("\"infoMessage\":\"Acked\"") } == true)
        try serve.waitFor("/sim/attempts?callback=acknowledge") { !$0.listed.isEmpty }
        // The message's page says what became of its downlink request.
        let messages = try serve.json("/sim/messages?device=2C30EA").listed
        let id = try #require(messages.first { $0["ack"]?.scalarText == "true" }?["id"]?.scalarText)
        let page = try serve.get("/ui/messages/\(id)").body
        #expect(page.contains("<dt>Downlink</dt>"))
        #expect(page.contains("<dt>Acknowledge</dt><dd>0 Acked</dd>"))
    }

    @Test("uplink --wait exits 0 when every callback was delivered, 1 when one failed for good")
    func uplinkCommand() throws {
        let good = try ServeProcess(["--time", "scaled:20"])
        defer { good.stop() }
        let delivered = try ToolProcess.run([
            "uplink", "2C30EA", "ff3842", "--wait", "--server", "http://127.0.0.1:\(good.port)",
        ])
        #expect(delivered.status == 0, "\(delivered.stdout) \(delivered.stderr)")
        #expect(delivered.stdout.contains("uplink (DATA/UPLINK) try 1: ✓ delivered"))
        #expect(delivered.stdout.contains("advanced (SERVICE/DATA_ADVANCED) try 1: ✓ delivered"))
        let failing = try ServeProcess([try scenarioFile(oneDeviceScenario(status: 500)), "--time", "scaled:300"])
        defer { failing.stop() }
        let failed = try ToolProcess.run([
            "uplink", "2C30EA", "01", "--wait", "--server", "http://127.0.0.1:\(failing.port)",
        ])
        #expect(failed.status == 1, "\(failed.stdout) \(failed.stderr)")
        #expect(failed.stdout.contains("try 1: ↻ 500"))
        #expect(failed.stdout.contains("try 4: ✗ failed"))
        #expect(failed.stderr.contains("1 of 1 callbacks not delivered"))
        let unknown = try ToolProcess.run(["uplink", "99", "01", "--server", "http://127.0.0.1:\(good.port)"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown device 99"))
        let noServer = try ToolProcess.run(["uplink", "2C30EA", "01", "--server", "http://127.0.0.1:1"])
        #expect(noServer.status == 2)
        #expect(noServer.stderr.contains("is `sigfox-sim serve` running there?"))
    }

    @Test("/metrics parses with the Prometheus text parser and counts what happened")
    func metrics() throws {
        let serve = try ServeProcess(["--time", "scaled:20"])
        defer { serve.stop() }
        _ = try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"01\"}")
        try serve.waitFor("/sim/attempts") { $0.listed.count >= 2 }
        let text = try serve.get("/metrics").body
        let parsed = try ToolProcess.python(
            """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.stdin.read()):
                for sample in family.samples:
                    labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                    print(f"{sample.name}|{labels}|{sample.value}")
            """,
            input: text
        )
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let samples = Dictionary(
            parsed.stdout.split(separator: "\n").map { line -> (String, Double) in
                let parts = line.split(separator: "|", omittingEmptySubsequences: false)
                return ("\(parts[0])|\(parts[1])", Double(parts[2]) ?? -1)
            },
            uniquingKeysWith: { a, _ in a }
        )
        #expect(samples["sigfox_sim_uplinks_total|"] == 1)
        #expect(samples["sigfox_sim_messages_total|"] == 1)
        #expect(samples["sigfox_sim_tries_total|outcome=delivered,service=DATA/UPLINK"] == 1)
        #expect(samples["sigfox_sim_tries_total|outcome=delivered,service=SERVICE/DATA_ADVANCED"] == 1)
        #expect(samples["sigfox_sim_try_latency_seconds_count|"] == 2)
        #expect(samples["sigfox_sim_deliveries_pending|"] != nil)
        #expect(samples["sigfox_sim_tries_in_flight|"] != nil)
    }

    @Test("a port in use is exit 2 naming the port; a bad --time is exit 2")
    func portInUse() throws {
        let serve = try Self.shared()
        let taken = try ToolProcess.run(["serve", "--port", "\(serve.port)"], seconds: 30)
        #expect(taken.status == 2, "\(taken.stderr)")
        #expect(taken.stderr.contains("cannot listen on 127.0.0.1:\(serve.port): the port is in use"))
        let bad = try ToolProcess.run(["serve", "--time", "virtual"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--time must be real or scaled:N"))
    }

    // MARK: Shared service for the error paths

    private static let sharedServe = Mutex<ServeProcess?>(nil)

    /// One service for the tests that only read or are refused (a process per case would cost seconds).
    static func shared() throws -> ServeProcess {
        try sharedServe.withLock { serve in
            if let serve { return serve }
            let started = try ServeProcess(["--time", "scaled:20"])
            serve = started
            return started
        }
    }
}

/// A program run to its end: the shared kit's runner (``TestProcess``), with the tool as the default
/// program and `environment` added to this process's own.
typealias ToolProcess = TestProcess.Finished

extension TestProcess.Finished {
    static func run(
        _ arguments: [String],
        seconds: Double = 120,
        environment: [String: String] = [:]
    ) throws -> ToolProcess {
        try launch(ServeProcess.binary, arguments, input: nil, seconds: seconds, environment: environment)
    }

    /// Runs Debian's python3 (where the packages scripts/test installs live) with `script`.
    static func python(_ script: String, input: String) throws -> ToolProcess {
        try launch(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script], input: input, seconds: 60)
    }

    static func launch(
        _ executable: URL,
        _ arguments: [String],
        input: String?,
        seconds: Double,
        environment: [String: String] = [:]
    ) throws -> ToolProcess {
        try TestProcess.run(
            arguments,
            executable: executable,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            input: input,
            timeout: seconds
        )
    }
}
