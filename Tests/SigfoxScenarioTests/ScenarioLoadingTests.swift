import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Testing

@Suite("Scenario files: every field, generated items, errors with their place")
struct ScenarioLoadingTests {
    static let full = """
        name: everything
        seed: 99
        start: 2026-03-01T10:00:00Z
        time: scaled:20
        network:
          frameLossProbability: 0
          rssiNoise: 1.5
        baseStations:
          - { id: 1D44, lat: 43.61, lng: 1.45, operatorName: SIGFOX_Spain, countryCode: "724" }
          - count: 4
            firstId: A000
            area: { lat: 40.0, lng: -3.7, sizeKm: 20 }
        deviceTypes:
          - id: 5F1D3A2B4C6E8F0A1B2C3D4E
            name: Meter
            payloadConfig: temp::int:16
            keepAlive: 3600
            downlinkMode: DIRECT
            downlinkDataString: "{time}{tapId}{rssi}"
            callbacks:
              - { service: DATA/UPLINK, url: "{receiver}/up", body: "{customData#temp}", method: POST }
              - callbackType: 1
                callbackSubtype: 6
                channel: URL
                url: "{receiver}/adv"
                httpMethod: GET
                enabled: true
                sendSni: false
          - name: Generated
        devices:
          - { id: 2C30EA, deviceType: Meter, lat: 43.6, lng: 1.44, downlink: false, geolocation: true, seqNumber: 4095 }
          - { count: 3, firstId: 100, deviceType: Generated, area: { lat: 40.0, lng: -3.7, sizeKm: 5 }, frames: 1 }
        traffic:
          - { at: +10s, device: 2C30EA, payload: ff38, ack: true }
          - { at: "2026-03-01T10:05:00Z", device: "101", payload: "01" }
          - { at: 1772359500, device: "102" }
          - { every: 10m, devices: ["100", "101"], count: 3, jitter: 30s, payload: counter }
          - { every: 1, devices: all, count: 1, payload: "random:4", from: +1h }
        receiver:
          embedded:
            status: 200
            delay: 10ms
            sequences:
              /flaky: 500,500,200
        expect:
          - { service: DATA/UPLINK, delivered: 3, retries: 0, tries: 3, failed: 0, cancelled: 0 }
          - { callback: x, path: /up, delivered: 1 }
          - ledgerBalances: true
          - noPending: true
          - downlink: { device: 2C30EA, data: "0102030405060708" }
          - acknowledge: { device: 2C30EA, infoMessage: NO_DOWNLINK_CONTRACT, count: 1 }
          - acknowledge: { infoMessage: ACKED }
        """

    @Test("every field of the format is read")
    func everyField() throws {
        let scenario = try Scenario.parse(Self.full)
        #expect(scenario.name == "everything" && scenario.seed == 99)
        #expect(scenario.start == SimulationTime(seconds: 1_772_359_200))
        #expect(scenario.time == .scaled(20))
        #expect(scenario.network.frameLossProbability == 0 && scenario.network.rssiNoise == 1.5)
        #expect(scenario.baseStations.count == 5)
        #expect(
            scenario.baseStations[0].operatorName == "SIGFOX_Spain" && scenario.baseStations[0].countryCode == "724"
        )
        #expect(scenario.baseStations[1...].map(\.id.description) == ["A000", "A001", "A002", "A003"])
        let meter = scenario.deviceTypes[0].type
        #expect(meter.id.description == "5f1d3a2b4c6e8f0a1b2c3d4e" && meter.keepAlive == 3600)
        #expect(meter.downlinkMode == .direct && meter.payloadConfig == "temp::int:16")
        #expect(scenario.deviceTypes[0].callbacks.count == 2)
        #expect(scenario.deviceTypes[1].type.id.description == "000000000000000000000002")
        let definitions = try scenario.deviceTypes[0].definitions(receiverURL: "http://127.0.0.1:8080")
        #expect(definitions.map(\.service) == [.dataUplink, .dataAdvanced])
        #expect(definitions[0].url?.source == "http://127.0.0.1:8080/up")
        #expect(scenario.devices.count == 4)
        #expect(scenario.devices[0].contract == DeviceContract(downlink: false, geolocation: true))
        #expect(scenario.devices[0].sequenceNumber == 4095)
        #expect(scenario.devices[1...].map(\.id.description) == ["100", "101", "102"])
        #expect(scenario.devices[1...].allSatisfy { $0.framesPerMessage == 1 })
        // 3 single uplinks, 2 devices × 3 periodic, 4 devices × 1 random.
        #expect(scenario.uplinks.count == 13)
        #expect(scenario.uplinks.map(\.time) == scenario.uplinks.map(\.time).sorted())
        #expect(scenario.uplinks[0].time >= scenario.start)
        let first = try #require(scenario.uplinks.first { $0.uplink.ack })
        #expect(first.time == scenario.start + .seconds(10) && first.uplink.payload == [0xFF, 0x38])
        let counters = scenario.uplinks.filter { $0.uplink.device == DeviceID(0x100) && $0.uplink.payload.count == 2 }
        #expect(counters.map(\.uplink.payload) == [[0, 0], [0, 1], [0, 2]])
        #expect(scenario.uplinks.filter { $0.uplink.payload.count == 4 }.count == 4)
        #expect(scenario.uplinks.contains { $0.time == SimulationTime(seconds: 1_772_359_500) })
        #expect(scenario.receiver?.paths["/flaky"]?.count == 3)
        #expect(scenario.receiver?.defaultResponse.delay == .milliseconds(10))
        #expect(scenario.expectations.count == 7)
        #expect(scenario.expectations[2].kind == .ledgerBalances)
        #expect(
            scenario.expectations[4].kind == .downlink(device: DeviceID(0x2C30EA), data: [1, 2, 3, 4, 5, 6, 7, 8])
        )
    }

    @Test("generated stations and devices are placed by the seed, inside their area")
    func generatedPlacement() throws {
        let one = try Scenario.parse(Self.full)
        let two = try Scenario.parse(Self.full)
        #expect(one.baseStations == two.baseStations && one.devices == two.devices && one.uplinks == two.uplinks)
        let other = try Scenario.parse(Self.full.replacingOccurrences(of: "seed: 99", with: "seed: 100"))
        #expect(other.baseStations != one.baseStations)
        for station in one.baseStations.dropFirst() {
            #expect(abs(station.position.latitude - 40.0) <= 0.1 && abs(station.position.longitude + 3.7) <= 0.13)
        }
    }

    @Test("times and durations")
    func times() {
        #expect(ScenarioTime.iso8601("2026-01-01T00:00:00Z") == SimulationTime(seconds: 1_767_225_600))
        #expect(ScenarioTime.iso8601("2024-02-29T12:34:56.789Z") == SimulationTime(milliseconds: 1_709_210_096_789))
        #expect(ScenarioTime.iso8601("2026-01-01T00:00:00+01:00") == nil)
        #expect(ScenarioTime.format(SimulationTime(milliseconds: 1_709_210_096_789)) == "2024-02-29T12:34:56.789Z")
        #expect(ScenarioTime.duration("250ms") == SimulationDuration(milliseconds: 250))
        #expect(ScenarioTime.duration("2m") == .minutes(2) && ScenarioTime.duration("1h") == .minutes(60))
        #expect(ScenarioTime.duration("ten") == nil)
        let start = SimulationTime(seconds: 100)
        #expect(ScenarioTime.time("+10s", start: start) == SimulationTime(seconds: 110))
        #expect(ScenarioTime.time("1700000000", start: start) == SimulationTime(seconds: 1_700_000_000))
        #expect(ScenarioTime.mode("scaled:0") == nil && ScenarioTime.mode("real") == .real)
    }

    @Test(
        "a malformed scenario is refused with file, line, column and what was expected",
        arguments: [
            ("name: x\nseeed: 3\n", "bad.yaml:2:1: seeed: unknown field 'seeed'; did you mean 'seed'?"),
            (
                "time: fast\n",
                "bad.yaml:1:7: time: expected virtual, real or scaled:N (N from 0.001 to 1000000), found 'fast'"
            ),
            (
                "start: yesterday\n",
                "bad.yaml:1:8: start: expected an ISO-8601 UTC time such as 2026-01-01T00:00:00Z or epoch seconds, "
                    + "found 'yesterday'"
            ),
            (
                "deviceTypes:\n  - name: T\n    callbacks:\n      - { service: DATA/UPLINK, url: \"{receiver}/x\", methd: GET }\n",
                "bad.yaml:4:54: deviceTypes[0].callbacks[0].methd: unknown field 'methd'; did you mean 'method'?"
            ),
            (
                "deviceTypes:\n  - name: T\ndevices:\n  - { id: 1, deviceType: Q, lat: 1, lng: 2 }\n",
                "bad.yaml:4:26: devices[0].deviceType: no device type 'Q'; defined: T (000000000000000000000001)"
            ),
            (
                "deviceTypes:\n  - name: T\ndevices:\n  - { id: 1, deviceType: T, lat: 1, lng: 2 }\ntraffic:\n"
                    + "  - { at: soon, device: 1 }\n",
                "bad.yaml:6:11: traffic[0].at: expected +DURATION (+10s, +2m), ISO-8601 UTC or epoch seconds, "
                    + "found 'soon'"
            ),
            (
                "receiver:\n  embedded:\n    sequences: [\"flaky=500\"]\n",
                "bad.yaml:3:16: receiver.embedded.sequences: --sequence 'flaky=500': "
            ),
            (
                "expect:\n  - service: DATA/UPLINK\n    deliverd: 3\n",
                "bad.yaml:3:5: expect[0].deliverd: unknown field 'deliverd'; did you mean 'delivered'?"
            ),
            ("expect:\n  - service: DATA/UPLINK\n", "bad.yaml:2:5: expect[0]: an expectation needs one of"),
            ("baseStations:\n  - { id: 1D44, lat: 95, lng: 0 }\n", "bad.yaml:2:22: baseStations[0].lat: latitude"),
            (
                "deviceTypes:\n  - name: T\ndevices:\n  - { count: 1000000000, deviceType: T, area: { lat: 1, lng: 1 } }\n",
                "bad.yaml:4:14: devices[0].count: 1000000000 devices: a scenario holds at most 1000000 devices"
            ),
            (
                "deviceTypes:\n  - name: T\ndevices:\n  - { id: 1, deviceType: T, lat: 1, lng: 2 }\ntraffic:\n"
                    + "  - { every: 1ms, devices: all, count: 1000000000 }\n",
                "bad.yaml:6:40: traffic[0].count: this item plans 1000000000 uplinks (1 device × count 1000000000); "
                    + "a scenario holds at most 5000000 traffic events"
            ),
            ("start: 99999999999999999999\n", "bad.yaml:1:8: start: expected an ISO-8601 UTC time"),
            ("name: a\nseed: 1\nname: b\n", "bad.yaml:3:1: name: field written twice"),
            ("baseStations: [{ id: 1D44, lat: 1, lat: 2, lng: 3 }]\n", "bad.yaml:1:36: lat: field written twice"),
            (
                "network: { networkDelay: 99999999999999h }\n",
                "bad.yaml:1:26: network.networkDelay: expected a duration"
            ),
            (
                "network: { dataAdvancedDelay: 99999999999999999h }\n",
                "bad.yaml:1:31: network.dataAdvancedDelay: expected a duration"
            ),
            (
                "deviceTypes:\n  - name: T\ndevices:\n  - { id: 1, deviceType: T, lat: 1, lng: 2 }\ntraffic:\n"
                    + "  - { at: +99999999999999999h, device: 1 }\n",
                "bad.yaml:6:11: traffic[0].at: expected +DURATION"
            ),
            (
                "deviceTypes:\n  - name: T\ndevices:\n  - { id: 1, deviceType: T, lat: 1, lng: 2 }\ntraffic:\n"
                    + "  - { every: 1m, devices: all, count: 2, jitter: 9999999999999999999s }\n",
                "bad.yaml:6:50: traffic[0].jitter: expected a duration"
            ),
            (
                "deviceTypes:\n  - name: T\ndevices:\n  - { id: 1, deviceType: T, lat: 1, lng: 2 }\ntraffic:\n"
                    + "  - { every: 999999h, devices: all, count: 1000 }\n",
                "bad.yaml:6:44: traffic[0].count: 1000 periods of 999999h span more than 100 years"
            ),
        ]
    )
    func malformed(text: String, message: String) throws {
        do {
            _ = try Scenario.parse(text, file: "bad.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test("a file that is not UTF-8 says where the first bad byte is")
    func notUTF8() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Array("name: ok\nstart: ".utf8) + [0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try Scenario.load(path: path)
        } throws: { error in
            "\(error)".contains("\(path):2:8: the file is not UTF-8 text: byte 0xff at byte offset 16")
        }
    }

    @Test("a file that does not exist names itself")
    func missingFile() {
        #expect(throws: ConfigError.self) { try Scenario.load(path: "/nonexistent/scenario.yaml") }
    }
}
