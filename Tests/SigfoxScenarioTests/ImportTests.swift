import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Testing

/// `Tests/Fixtures/api-v2/`: answers of the Sigfox API v2.
let apiFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/api-v2")

/// The value of a node without its places in the file, to compare trees read from different texts.
func stripped(_ node: ConfigNode) -> ConfigNode {
    let origin = SourceLocation(line: 1, column: 1)
    switch node.value {
    case .object(let entries):
        return ConfigNode(
            .object(entries.map { ConfigEntry(key: $0.key, keyLocation: origin, node: stripped($0.node)) }),
            at: origin
        )
    case .array(let items): return ConfigNode(.array(items.map(stripped)), at: origin)
    default: return ConfigNode(node.value, at: origin)
    }
}

@Suite("import: Sigfox API v2 JSON into scenarios", .timeLimit(.minutes(1)))
struct ImportTests {
    static var callbacksFile: String { apiFixtures.appendingPathComponent("callbacks.json").path }
    static var messagesFile: String { apiFixtures.appendingPathComponent("messages.json").path }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("imported callbacks are the API v2 objects as they came, in a scenario that loads")
    func callbacksKeptAsWritten() throws {
        let imported = try CallbackImport.load(path: Self.callbacksFile, toReceiver: false)
        #expect(imported.nodes.count == 4 && imported.rewrittenURLs == 0)
        let yaml = ScenarioImport(callbacks: imported, messages: nil, command: "sigfox-sim import callbacks x").yaml
        #expect(yaml.hasPrefix("# Imported by `sigfox-sim import callbacks x`.\n# Callbacks: "))
        let scenario = try Scenario.parse(yaml)
        let type = try #require(scenario.deviceTypes.first)
        #expect(type.callbacks.map { stripped($0.node) } == imported.nodes.map(stripped))
        #expect(try type.definitions(receiverURL: "http://x") == imported.definitions)
        #expect(scenario.receiver == nil)
        #expect(scenario.devices.count == 1 && scenario.uplinks.count == 1)
        // A BIDIR callback is enabled, so the example uplink asks for a downlink.
        #expect(scenario.uplinks.first?.uplink.ack == true)
    }

    @Test("the GCP tutorial's five callbacks, listed with an empty urlPattern beside each url, import whole")
    func emptyURLPattern() throws {
        let path = apiFixtures.appendingPathComponent("gcp-tutorial-callbacks.json").path
        let imported = try CallbackImport.load(path: path, toReceiver: true)
        #expect(imported.skipped.isEmpty, "\(imported.skipped)")
        #expect(imported.definitions.count == 5 && imported.rewrittenURLs == 5)
        #expect(imported.definitions.allSatisfy { $0.url?.source.hasPrefix("http://127.0.0.1:9/callback_") == true })
        // Each empty urlPattern is named once, with the file and its line.
        let ignored = imported.warnings.filter { $0.path.hasSuffix(".urlPattern") }
        #expect(ignored.count == 5 && ignored.allSatisfy { $0.file == path && $0.location != nil })
        let yaml = ScenarioImport(callbacks: imported, messages: nil, command: "sigfox-sim import callbacks x").yaml
        let scenario = try Scenario.parse(yaml)
        #expect(try scenario.deviceTypes[0].definitions(receiverURL: "http://x").count == 5)
    }

    @Test("a bare list gives the same scenario as the paged answer")
    func bareList() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOfFile: Self.callbacksFile, encoding: .utf8)
        // The `data` array, cut out of the file as written.
        let open = try #require(text.range(of: "\"data\": [")).upperBound
        let close = try #require(text.range(of: "\n  ],", options: .backwards)).lowerBound
        let arrayText = "[" + text[open..<close] + "\n]\n"
        let bare = folder.appendingPathComponent("bare.json")
        try arrayText.write(to: bare, atomically: true, encoding: .utf8)
        let paged = try CallbackImport.load(path: Self.callbacksFile, toReceiver: true)
        let list = try CallbackImport.load(path: bare.path, toReceiver: true)
        #expect(list.nodes.map(stripped) == paged.nodes.map(stripped))
        #expect(list.definitions == paged.definitions)
    }

    @Test("--receiver sends every URL to {receiver} and the scenario runs green on the embedded receiver")
    func callbacksToReceiverRun() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let imported = try CallbackImport.load(path: Self.callbacksFile, toReceiver: true)
        #expect(imported.rewrittenURLs == 3)
        let urls = imported.nodes.compactMap { $0["url"]?.scalarText }
        #expect(
            urls == [
                "{receiver}/sigfox/uplink?device={device}&seq={seqNumber}", "{receiver}/sigfox/bidir",
                "{receiver}/sigfox/advanced?device={device}&lqi={lqi}&operator={operatorName}",
            ]
        )
        let file = folder.appendingPathComponent("callbacks.yaml")
        try ScenarioImport(callbacks: imported, messages: nil, command: "test").yaml.write(
            to: file,
            atomically: true,
            encoding: .utf8
        )
        let result = try await runScenario(file.path)
        #expect(result.passed, "\(result.text)")
        #expect(result.ledger.delivered == 3)
    }

    @Test("messages become devices, stations and recorded uplinks at their recorded times")
    func messages() throws {
        let imported = try MessageImport.load(path: Self.messagesFile)
        #expect(imported.messages.map(\.seqNumber) == [102, 11, 103, 12, 104])
        let yaml = ScenarioImport(callbacks: nil, messages: imported, command: "test").yaml
        let scenario = try Scenario.parse(yaml)
        #expect(scenario.start.milliseconds == 1_772_438_400_000)
        let recorded = scenario.traffic.compactMap { event -> (Int64, RecordedUplink)? in
            guard case .recorded(let uplink) = event.kind else { return nil }
            return (event.time.milliseconds, uplink)
        }
        #expect(recorded.map(\.0) == imported.messages.map(\.time))
        #expect(recorded.map { Hex.lowercase($0.1.payload) } == ["00e635", "", "00e836", "ff3842", "00e637"])
        #expect(recorded.map(\.1.ack) == [false, false, false, true, false])
        #expect(recorded.map(\.1.seqNumber) == [102, 11, 103, 12, 104])
        #expect(recorded.map(\.1.frames) == [3, 1, 3, 1, 3])
        #expect(recorded.map(\.1.linkQuality?.rawValue) == [3, 1, 3, 2, 3])
        #expect(
            recorded[4].1.receptions == [
                .init(station: BaseStationID(0x1D44), rssi: -118, snr: 22.31, repetitions: 3),
                .init(station: BaseStationID(0xA9DC), rssi: -126.5, snr: 14.02, repetitions: 2),
                .init(station: BaseStationID(0x0B2F), rssi: -131, snr: 9.5, repetitions: 1),
            ]
        )
        #expect(
            recorded[4].1.location
                == .located(
                    .init(position: GeoPosition(latitude: 43.6012, longitude: 1.4418), radius: 1500, source: 2)
                )
        )
        #expect(scenario.devices.map(\.contract.geolocation) == [true, false])
        #expect(scenario.devices.map(\.id.description) == ["2C30EA", "1FD48BE"])
        #expect(scenario.devices.map(\.sequenceNumber) == [102, 11])
        #expect(scenario.devices.map(\.framesPerMessage) == [3, 1])
        // computedLocation is where the device stands; 1D44's position came with the receptions.
        #expect(abs(scenario.devices[0].position.latitude - 43.6012) < 1e-4)
        #expect(scenario.baseStations.map(\.id.description) == ["1D44", "A9DC", "0B2F"])
        #expect(abs(scenario.baseStations[0].position.longitude - 1.45) < 1e-9)
        #expect(yaml.contains("# position estimated from a median RSSI of -125.5 dBm"))
    }

    @Test("messages and callbacks together run green, one uplink per recorded message")
    func messagesWithCallbacksRun() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("replay.yaml")
        let scenario = ScenarioImport(
            callbacks: try CallbackImport.load(path: Self.callbacksFile, toReceiver: true),
            messages: try MessageImport.load(path: Self.messagesFile),
            command: "test",
            deviceTypeID: DeviceTypeID("65f0c2a1e4b0a1b2c3d4e500"),
            deviceTypeName: "Meter"
        )
        try scenario.yaml.write(to: file, atomically: true, encoding: .utf8)
        let result = try await runScenario(file.path)
        #expect(result.passed, "\(result.text)")
        #expect(result.expectations.count == 5)
        #expect(result.network.messages == 5 && result.network.lost == 0)
        let uplinks = result.attempts.filter { $0.callback.service == .dataUplink }
        #expect(
            uplinks.compactMap { $0.messages.first?.device.description } == [
                "2C30EA", "1FD48BE", "2C30EA", "1FD48BE", "2C30EA",
            ]
        )
        #expect(
            uplinks.map { $0.messages.first?.deviceType.description }
                == Array(repeating: "65f0c2a1e4b0a1b2c3d4e500", count: 5)
        )
    }

    @Test(
        "malformed API answers are errors with file, line, column and field",
        arguments: [
            (
                "{\"data\": [{\"device\": {\"id\": \"2C30EA\"}, \"time\": 1, \"data\": \"zz\"}]}",
                "m.json:1:59: data[0].data: expected the payload as hex"
            ),
            (
                "[{\"device\": {\"id\": \"XYZ\"}, \"time\": 1}]",
                "m.json:1:20: [0].device.id: expected a device id of up to 8 hex digits, found 'XYZ'"
            ),
            ("[{\"device\": {}, \"time\": 1}]", "m.json:1:13: [0].device.id: missing 'id'"),
            ("[{\"device\": {\"id\": \"1\"}}]", "[0].time: expected 'time'"),
            (
                "[{\"device\": {\"id\": \"1\"}, \"time\": \"noon\"}]",
                "m.json:1:34: [0].time: expected a number, found 'noon'"
            ),
            (
                "[{\"device\": {\"id\": \"1\"}, \"time\": 1, \"seqNumber\": 5000}]",
                "[0].seqNumber: expected a sequence number in 0...4095"
            ),
            (
                "[{\"device\": {\"id\": \"1\"}, \"time\": 1, \"rinfos\": [{\"baseStation\": {\"id\": \"123456789\"}}]}]",
                "[0].rinfos[0].baseStation.id: expected a base station id"
            ),
            (
                "[{\"device\": {\"id\": \"1\"}, \"time\": 1, \"rinfos\": [{\"baseStation\": {\"id\": \"1D44\"}, \"rssi\": \"loud\"}]}]",
                "[0].rinfos[0].rssi: expected a number, found 'loud'"
            ),
            ("{\"data\": {}}", "m.json:1:10: data: expected the list of messages, found an object"),
            (
                "{\"data\": [\n  {\"device\": {\"id\": \"1\"}, \"time\": 1},\n  12\n]}",
                "m.json:3:3: data[1]: expected an object, found a number"
            ),
            ("{\"data\": []}", "the listing holds no message"),
            ("{\"device\": {\"id\": \"1\"}, \"time\": 1,", "m.json:1:35: invalid JSON"),
        ]
    )
    func malformedMessages(text: String, expected: String) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("m.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try MessageImport.load(path: file.path)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(file.path), "\(error.description)")
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test(
        "malformed callback listings are errors with file, line, column and field",
        arguments: [
            (
                "{\"data\": [{\"channel\": \"URL\", \"callbackType\": 0, \"callbackSubtype\": 2, \"url\": \"http://h/\", \"httpMethod\": \"DELETE\"}]}",
                "c.json:1:"
            ),
            (
                "{\"data\": [{\"channel\": \"URL\", \"callbackType\": 9, \"url\": \"http://h/\"}]}",
                "data[0].callbackType: no callback service has callbackType 9"
            ),
            ("{\"items\": []}", "c.json:1:1: expected a Sigfox API v2 listing {\"data\": [...]}"),
            ("\"callbacks\"", "expected a Sigfox API v2 listing {\"data\": [...]} or a list, found a string"),
            ("[]", "the listing holds no callback"),
        ]
    )
    func malformedCallbacks(text: String, expected: String) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("c.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try CallbackImport.load(path: file.path, toReceiver: true)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    static let awkwardStrings = [
        "true", "False", "null", "~", "yes", "0102", "1e3", "-1", "- a", "#c", "a # b", "a: b", "a:b", "[x]", "{ }",
        "", " ", "  leading", "trailing  ", "tab\there", "line1\nline2", "ends\n", "ends twice\n\n", "\nstarts",
        "  \n  indented", "x\n   \ny", "line\r\nwindows", "unicode é ✓ 🚀", "ctl \u{01}\u{7F}\u{85}\u{FEFF}",
        "quote \" back \\ slash", "'single'", "@at", "%pct", "*star", "&amp", "!bang", "|pipe", ">fold", "`tick`",
        "{\n  \"device\": \"{device}\"\n}", "\ttabbed\nsecond",
    ]

    @Test("every string, key and value survives the YAML the import writes")
    func yamlRoundTrip() throws {
        var entries = [
            ("channel", ConfigNode(.string("URL"))), ("callbackType", ConfigNode(.number("0"))),
            ("callbackSubtype", ConfigNode(.number("2"))), ("url", ConfigNode(.string("http://h/"))),
            ("enabled", ConfigNode(.bool(true))), ("dead", ConfigNode(.null)),
            (
                "nested",
                ConfigNode(.array([ConfigNode(.array([])), ConfigNode(.object([])), ConfigNode(.number("-1.5e3"))]))
            ),
        ]
        for (index, text) in Self.awkwardStrings.enumerated() {
            entries.append(("note\(index)", ConfigNode(.string(text))))
            entries.append((text.isEmpty ? "empty" : text, ConfigNode(.number("\(index)"))))
        }
        let origin = SourceLocation(line: 1, column: 1)
        let callback = ConfigNode(.object(entries.map { ConfigEntry(key: $0.0, keyLocation: origin, node: $0.1) }))
        let imported = try CallbackImport(root: ConfigNode(.array([callback])), file: "x.json", toReceiver: false)
        let yaml = ScenarioImport(callbacks: imported, messages: nil, command: "test").yaml
        let scenario = try Scenario.parse(yaml)
        let written = try #require(scenario.deviceTypes.first?.callbacks.first?.node)
        let back = try #require(stripped(written).entries)
        let expected = try #require(stripped(callback).entries)
        #expect(back.count == expected.count)
        for (left, right) in zip(back, expected) {
            #expect(left == right, "\(right.key)")
        }
    }
}

@Suite("import messages: a recording replays as it was", .timeLimit(.minutes(1)))
struct RecordedReplayTests {
    static let recording = """
        {"data": [{
          "device": {"id": "2C30EA"}, "time": 1772441100000, "data": "00e637", "seqNumber": 104, "nbFrames": 3,
          "computedLocation": [{"lat": 43.60123456789012, "lng": 1.4418, "radius": 1500, "sourceCode": 2}],
          "lqi": 3, "ackRequired": false,
          "rinfos": [
            {"baseStation": {"id": "1D44"}, "rssi": "-118.00", "snr": "22.31", "rep": 3, "lat": "43.61", "lng": "1.45"},
            {"baseStation": {"id": "A9DC"}, "rssi": "-126.50", "snr": "14.02", "rep": 2},
            {"baseStation": {"id": "0B2F"}, "rssi": "-131.00", "snr": "9.50", "rep": 1}
          ]
        }, {
          "device": {"id": "2C30EA"}, "time": 1772441700000, "data": "01", "seqNumber": 0, "nbFrames": 1,
          "rinfos": [{"baseStation": {"id": "1D44"}, "rssi": -100.0, "snr": 40.0, "rep": 1}]
        }]}
        """
    static let callbacks = """
        {"data": [
          {"id": "up", "channel": "URL", "callbackType": 0, "callbackSubtype": 2, "enabled": true,
           "url": "https://iot.example.com/up", "httpMethod": "POST", "contentType": "application/json",
           "bodyTemplate": "{\\"device\\":\\"{device}\\",\\"time\\":{time},\\"seq\\":{seqNumber},\\"station\\":\\"{station}\\",\\"rssi\\":{rssi},\\"snr\\":{snr},\\"reception\\":{reception}}"},
          {"id": "up-mail", "channel": "EMAIL", "callbackType": 0, "callbackSubtype": 2, "enabled": true,
           "recipient": "ops@example.com", "subject": "{device}", "message": "{data}"},
          {"id": "advanced", "channel": "URL", "callbackType": 1, "callbackSubtype": 6, "enabled": true,
           "url": "https://iot.example.com/advanced", "httpMethod": "POST", "contentType": "application/json",
           "bodyTemplate": "{\\"time\\":{time},\\"seq\\":{seqNumber},\\"lqi\\":\\"{lqi}\\",\\"linkQuality\\":{linkQuality},\\"duplicates\\":{duplicates},\\"computedLocation\\":{computedLocation}}"}
        ]}
        """

    @Test("each message reaches the callbacks at its recorded time with the recorded stations, byte for byte")
    func byteForByte() async throws {
        let folder = try ImportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let messagesFile = folder.appendingPathComponent("messages.json")
        let callbacksFile = folder.appendingPathComponent("callbacks.json")
        try Self.recording.write(to: messagesFile, atomically: true, encoding: .utf8)
        try Self.callbacks.write(to: callbacksFile, atomically: true, encoding: .utf8)
        let yaml = ScenarioImport(
            callbacks: try CallbackImport.load(path: callbacksFile.path, toReceiver: true),
            messages: try MessageImport.load(path: messagesFile.path),
            command: "test"
        ).yaml
        // The restarted device (104, then 0 ten minutes later) was accepted by the real cloud: a disengage
        // comes before it. Expectations for the URL callbacks, although DATA/UPLINK has an e-mail too.
        #expect(yaml.contains("disengage: true }  # the recording goes on at seqNumber 0"))
        #expect(yaml.contains("- { service: DATA/UPLINK, channel: URL, delivered: 2 }"))
        #expect(yaml.contains("- { service: SERVICE/DATA_ADVANCED, channel: URL, delivered: 2 }"))
        let file = folder.appendingPathComponent("replay.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let result = try await runScenario(file.path)
        #expect(result.passed, "\(result.text)")
        func bodies(_ id: String) -> [String] {
            result.attempts.filter { $0.callback.id == id }.compactMap { attempt in
                guard case .http(let request)? = attempt.request else { return nil }
                return request.body
            }
        }
        let firstUp: String =
            #"{"device":"2C30EA","time":1772441100,"seq":104,"station":"1D44","rssi":-118.00,"snr":22.31,"#
            + #""reception":[{"id":"1D44","RSSI":-118.0,"SNR":22.31},{"id":"A9DC","RSSI":-126.5,"SNR":14.02},"#
            + #"{"id":"0B2F","RSSI":-131.0,"SNR":9.5}]}"#
        let secondUp: String =
            #"{"device":"2C30EA","time":1772441700,"seq":0,"station":"1D44","rssi":-100.00,"snr":40.00,"#
            + #""reception":[{"id":"1D44","RSSI":-100.0,"SNR":40.0}]}"#
        #expect(bodies("up") == [firstUp, secondUp])
        var advanced: String = #"{"time":1772441100,"seq":104,"lqi":"Excellent","linkQuality":3,"#
        advanced += #""duplicates":[{"bsId":"1D44","rssi":-118.0,"snr":22.31,"nbRep":3},"#
        advanced +=
            #"{"bsId":"A9DC","rssi":-126.5,"snr":14.02,"nbRep":2},{"bsId":"0B2F","rssi":-131.0,"snr":9.5,"nbRep":1}],"#
        advanced += #""computedLocation":{"lat":43.60123456789012,"lng":1.4418,"radius":1500,"source":2,"status":1}}"#
        #expect(bodies("advanced").first == advanced)
        #expect(result.network.sequenceWarnings == 0 && result.network.rejectedOutOfSequence == 0)
    }
}
