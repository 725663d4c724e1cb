import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Testing

/// `import messages` of a real history (issue 29, item 1): messages listed without the network-metadata option
/// (`"rinfos": []`, with `satInfos`, `operator`, `country`, `rolloverCounter`, as WIRE.md records the live API),
/// mixed with the Swagger's own example message (station `1E6AB`, five hex digits).
@Suite("import messages: a history without network metadata replays as recorded", .timeLimit(.minutes(1)))
struct ImportWithoutMetadataTests {
    static var messagesFile: String { apiFixtures.appendingPathComponent("messages-without-metadata.json").path }

    static let callbacks = """
        {"data": [
          {"id": "up", "channel": "URL", "callbackType": 0, "callbackSubtype": 2, "enabled": true,
           "url": "https://iot.example.com/up", "httpMethod": "POST", "contentType": "application/json",
           "bodyTemplate": "{\\"device\\":\\"{device}\\",\\"time\\":{time},\\"seq\\":{seqNumber},\\"station\\":\\"{station}\\",\\"rssi\\":{rssi},\\"snr\\":{snr},\\"reception\\":{reception}}"},
          {"id": "advanced", "channel": "URL", "callbackType": 1, "callbackSubtype": 6, "enabled": true,
           "url": "https://iot.example.com/advanced", "httpMethod": "POST", "contentType": "application/json",
           "bodyTemplate": "{\\"device\\":\\"{device}\\",\\"time\\":{time},\\"seq\\":{seqNumber},\\"lqi\\":\\"{lqi}\\",\\"linkQuality\\":{linkQuality},\\"operator\\":\\"{operatorName}\\",\\"country\\":{countryCode},\\"duplicates\\":{duplicates},\\"computedLocation\\":{computedLocation}}"}
        ]}
        """

    @Test("every message is a recorded uplink: its seqNumber, time, lqi, frames, operator, country, no reception")
    func recordedFields() throws {
        let imported = try MessageImport.load(path: Self.messagesFile)
        #expect(imported.messages.map(\.seqNumber) == [2, 239, 240, 241])
        #expect(imported.messages.map(\.lqi) == [2, 3, 2, 3])
        #expect(imported.messages.map(\.operatorName) == [nil, "SIGFOX_France", "SIGFOX_France", "SIGFOX_France"])
        // The wire's ISO alpha-3 becomes the numeric code `{countryCode}` writes.
        #expect(imported.messages.map(\.countryCode) == [nil, "250", "250", "250"])
        #expect(imported.messages[0].receptions.map(\.station.description) == ["1E6AB"])
        let yaml = ScenarioImport(callbacks: nil, messages: imported, command: "test").yaml
        let scenario = try Scenario.parse(yaml)
        let recorded = scenario.traffic.compactMap { event -> (SimulationTime, RecordedUplink)? in
            guard case .recorded(let uplink) = event.kind else { return nil }
            return (event.time, uplink)
        }
        #expect(recorded.count == 4, "\(yaml)")
        #expect(recorded.map(\.0.milliseconds) == imported.messages.map(\.time))
        #expect(recorded.map(\.1.seqNumber) == [2, 239, 240, 241])
        #expect(recorded.map(\.1.linkQuality) == [.good, .excellent, .good, .excellent])
        #expect(recorded.map(\.1.frames) == [3, 3, 3, 3])
        #expect(recorded.map(\.1.receptions.count) == [1, 0, 0, 0])
        #expect(recorded.dropFirst().allSatisfy { $0.1.location == RecordedUplink.RecordedLocation.none })
        #expect(recorded.dropFirst().allSatisfy { $0.1.operatorName == "SIGFOX_France" && $0.1.countryCode == "250" })
        #expect(scenario.baseStations.map(\.id.description) == ["1E6AB"])
        // 3068E sent nothing with per-station data: its contract has no network-metadata option.
        let device = try #require(scenario.devices.first { $0.id == DeviceID(hex: "3068E") })
        #expect(!device.contract.networkMetadata && !device.contract.geolocation)
        #expect(scenario.devices.first { $0.id == DeviceID(1) }?.contract.geolocation == true)
    }

    @Test("the callbacks get what the real cloud sent: recorded values, and null where no metadata was recorded")
    func replayedBodies() async throws {
        let folder = try ImportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let callbacksFile = folder.appendingPathComponent("callbacks.json")
        try Self.callbacks.write(to: callbacksFile, atomically: true, encoding: .utf8)
        let yaml = ScenarioImport(
            callbacks: try CallbackImport.load(path: callbacksFile.path, toReceiver: true),
            messages: try MessageImport.load(path: Self.messagesFile),
            command: "test"
        ).yaml
        #expect(yaml.contains("- { service: DATA/UPLINK, channel: URL, delivered: 4 }"))
        let file = folder.appendingPathComponent("replay.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let result = try await runScenario(file.path)
        #expect(result.passed, "\(result.text)")
        // Nothing lost, nothing invented: four messages, as recorded.
        #expect(result.network.messages == 4 && result.network.lost == 0)
        #expect(result.network.sequenceWarnings == 0)
        func bodies(_ id: String) -> [String] {
            result.attempts.filter { $0.callback.id == id }.compactMap { attempt in
                guard case .http(let request)? = attempt.request else { return nil }
                return request.body
            }
        }
        #expect(
            bodies("up") == [
                #"{"device":"1","time":1487065942,"seq":2,"station":"1E6AB","rssi":-128.53,"snr":14.30,"#
                    + #""reception":[{"id":"1E6AB","RSSI":-128.53,"SNR":14.3}]}"#,
                #"{"device":"3068E","time":1634043866,"seq":239,"station":"null","rssi":null,"snr":null,"#
                    + #""reception":null}"#,
                #"{"device":"3068E","time":1634044766,"seq":240,"station":"null","rssi":null,"snr":null,"#
                    + #""reception":null}"#,
                #"{"device":"3068E","time":1634045666,"seq":241,"station":"null","rssi":null,"snr":null,"#
                    + #""reception":null}"#,
            ]
        )
        let advanced = bodies("advanced")
        #expect(advanced.count == 4)
        #expect(
            advanced.first
                == #"{"device":"1","time":1487065942,"seq":2,"lqi":"Good","linkQuality":2,"operator":"SIGFOX_France","#
                + #""country":250,"duplicates":[{"bsId":"1E6AB","rssi":-128.53,"snr":14.3,"nbRep":2}],"#
                + #""computedLocation":{"lat":43.45,"lng":6.54,"radius":400,"source":2,"status":1}}"#
        )
        #expect(
            advanced.last
                == #"{"device":"3068E","time":1634045666,"seq":241,"lqi":"Excellent","linkQuality":3,"#
                + #""operator":"SIGFOX_France","country":250,"duplicates":null,"computedLocation":{"status":0}}"#
        )
    }

    @Test("a recorded uplink item without receptions or location, and its mistakes, name file, line and field")
    func scenarioItems() throws {
        let base = """
            baseStations: [{ id: 1E6AB, lat: 43.6, lng: 1.44 }]
            deviceTypes: [{ name: T }]
            devices: [{ id: 3068E, deviceType: T, lat: 43.6, lng: 1.44 }]
            traffic:

            """
        let scenario = try Scenario.parse(
            base
                + "  - { at: +1m, device: 3068E, payload: \"01\", seqNumber: 7, lqi: 4, operator: SIGFOX_France, "
                + "country: FRA, receptions: [], computedLocation: [] }"
        )
        guard case .recorded(let uplink) = try #require(scenario.traffic.first).kind else {
            Issue.record("not a recorded uplink")
            return
        }
        #expect(uplink.receptions.isEmpty && uplink.linkQuality == .notAvailable && uplink.countryCode == "250")
        for (item, path) in [
            ("  - { at: +1m, device: 3068E, payload: \"01\", country: XYZ, receptions: [] }", "traffic[0].country"),
            ("  - { at: +1m, device: 3068E, payload: \"01\", operator: X }", "traffic[0].operator"),
            ("  - { at: +1m, device: 3068E, payload: \"01\", lqi: 5, receptions: [] }", "traffic[0].lqi"),
            (
                "  - { at: +1m, device: 3068E, payload: \"01\", receptions: [], computedLocation: [1] }",
                "traffic[0].computedLocation"
            ),
        ] {
            do {
                _ = try Scenario.parse(base + item)
                Issue.record("accepted \(item)")
            } catch {
                #expect(error.path == path && error.location?.line == 5, "\(error)")
            }
        }
    }
}
