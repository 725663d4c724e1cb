import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Testing

@Suite("Traffic kinds: status messages, silences, station outages")
struct TrafficKindsTests {
    static let fleet = """
        start: 2026-01-01T00:00:00Z
        network: { frameLossProbability: 0 }
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }, { id: A9DC, lat: 43.61, lng: 1.45 }]
        deviceTypes: [{ name: T, keepAlive: 1800 }]
        devices:
          - { id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }
          - { id: 2C30EB, deviceType: T, lat: 43.6, lng: 1.44 }
        traffic:
        """

    @Test("status messages carry their readings; periodic ones step and stay in range")
    func status() throws {
        let scenario = try Scenario.parse(
            Self.fleet + """

                  - { at: +1m, device: 2C30EA, status: { temp: -4.25, batt: 3.3 } }
                  - { at: +2m, device: 2C30EB, status: {} }
                  - every: 30m
                    devices: [2C30EB]
                    count: 3
                    from: +1h
                    status: { temp: { from: 20, step: 0.5 }, batt: { min: 3.0, max: 3.6 } }
                """
        )
        let start = SimulationTime(seconds: 1_767_225_600)
        #expect(scenario.traffic.count == 5 && scenario.uplinks.isEmpty)
        #expect(
            scenario.traffic[0]
                == ScheduledEvent(
                    time: start + .minutes(1),
                    kind: .status(device: DeviceID(0x2C30EA), temperature: -4.25, battery: 3.3)
                )
        )
        #expect(scenario.traffic[1].kind == .status(device: DeviceID(0x2C30EB), temperature: 20, battery: 3.6))
        let periodic = scenario.traffic[2...].map(\.kind)
        var temperatures = [Double]()
        for case .status(_, let temperature, let battery) in periodic {
            temperatures.append(temperature)
            #expect((3.0...3.6).contains(battery))
        }
        #expect(temperatures == [20, 20.5, 21])
        #expect(scenario.traffic.map(\.time) == [1, 2, 60, 90, 120].map { start + .minutes($0) })
    }

    @Test("a silence removes its devices' uplinks and status messages in its span, nothing else")
    func silence() throws {
        let scenario = try Scenario.parse(
            Self.fleet + """

                  - { every: 10m, devices: all, count: 6, payload: "01" }
                  - { every: 10m, devices: [2C30EA], count: 6, from: +5m, status: {} }
                  - { silence: 2C30EA, from: +20m, to: +40m }
                  - { silence: [2C30EB], from: +50m }
                """
        )
        let start = SimulationTime(seconds: 1_767_225_600)
        func minutes(_ device: UInt32) -> [Int64] {
            scenario.traffic.filter { $0.device == DeviceID(device) }.map { ($0.time - start).milliseconds / 60_000 }
        }
        #expect(minutes(0x2C30EA) == [0, 5, 10, 15, 40, 45, 50, 55])
        #expect(minutes(0x2C30EB) == [0, 10, 20, 30, 40])
    }

    @Test("an outage puts the station down and up again; the run fires ERROR/WARN for the devices it heard")
    func outage() async throws {
        let scenario = try Scenario.parse(
            Self.fleet + """

                  - { at: +1m, device: 2C30EA, payload: "01" }
                  - { station: 1D44, down: +10m, up: +20m }
                  - { station: A9DC, down: +30m }
                """
        )
        let start = SimulationTime(seconds: 1_767_225_600)
        #expect(
            Array(scenario.traffic.map(\.kind).dropFirst()) == [
                .station(BaseStationID(0x1D44), up: false), .station(BaseStationID(0x1D44), up: true),
                .station(BaseStationID(0xA9DC), up: false),
            ]
        )
        #expect(Array(scenario.traffic.map(\.time).dropFirst()) == [10, 20, 30].map { start + .minutes($0) })
        var traffic = try ScenarioBuilder(scenario).traffic()
        var warnings = [CallbackTrigger]()
        while let due = traffic.nextDue, due <= start + .minutes(31) {
            warnings += traffic.advance(to: due).filter { $0.bindings[.severity]?.renderedText == "WARN" }
        }
        // Both stations heard 2C30EA's one message; 2C30EB sent nothing, so it is not warned.
        #expect(warnings.map(\.device) == [DeviceID(0x2C30EA), DeviceID(0x2C30EA)])
        #expect(warnings.map(\.due) == [start + .minutes(10), start + .minutes(30)])
        #expect(traffic.network.isStationUp(BaseStationID(0x1D44)) == true)
        #expect(traffic.network.isStationUp(BaseStationID(0xA9DC)) == false)
    }

    @Test("durations may combine units")
    func durations() {
        #expect(ScenarioTime.duration("1h25m") == .minutes(85))
        #expect(ScenarioTime.duration("1m30s") == .seconds(90))
        #expect(ScenarioTime.duration("1.5s") == SimulationDuration(milliseconds: 1500))
        #expect(ScenarioTime.duration("5ms") == SimulationDuration(milliseconds: 5))
        #expect(ScenarioTime.duration("1h25") == nil && ScenarioTime.duration("") == nil)
        #expect(ScenarioTime.duration("10x") == nil)
    }

    @Test(
        "a traffic mistake names the file, line, column and field",
        arguments: [
            (
                "  - { station: FFFF, down: +1m }",
                "bad.yaml:9:16: traffic[0].station: no base station 'FFFF' in baseStations"
            ),
            ("  - { station: 1D44, down: +2m, up: +1m }", "bad.yaml:9:37: traffic[0].up: must be after down"),
            ("  - { station: 1D44 }", "bad.yaml:9:5: traffic[0]: missing 'down' (when it stops)"),
            ("  - { silence: 9999, from: +1m }", "bad.yaml:9:16: traffic[0].silence: no device '9999' in devices"),
            ("  - { silence: all, from: +2m, to: +1m }", "bad.yaml:9:36: traffic[0].to: must be after from"),
            (
                "  - { at: +1m, device: 2C30EA, status: { temp: warm } }",
                "bad.yaml:9:48: traffic[0].status.temp: expected a number, found 'warm'"
            ),
            (
                "  - { at: +1m, device: 2C30EA, status: { tmp: 1 } }",
                "bad.yaml:9:42: traffic[0].status.tmp: unknown field 'tmp'; did you mean 'temp'?"
            ),
            (
                "  - { at: +1m, device: 2C30EA, payload: \"01\", status: {} }",
                "bad.yaml:9:55: traffic[0].status: a status message has no payload or ack"
            ),
            (
                "  - { at: +1m, device: 2C30EA, payload: '01', seqNumber: 4 }",
                "bad.yaml:9:58: traffic[0].seqNumber: seqNumber belongs to a recorded uplink: give its receptions too"
            ),
            (
                "  - { at: +1m, device: 2C30EA, payload: '01', receptions: [{ station: 0B2F, rssi: -120 }] }",
                "bad.yaml:9:71: traffic[0].receptions[0].station: no base station '0B2F' in baseStations"
            ),
            (
                "  - { at: +1m, device: 2C30EA, payload: '01', receptions: [{ station: 1D44 }] }",
                "bad.yaml:9:60: traffic[0].receptions[0]: missing 'rssi' (the recorded RSSI in dBm)"
            ),
            (
                "  - { at: +1m, device: 2C30EA, payload: '01', lqi: 5, receptions: [{ station: 1D44, rssi: -120 }] }",
                "bad.yaml:9:52: traffic[0].lqi: expected the API v2 lqi"
            ),
            (
                "  - { at: +1m, device: 2C30EA, payload: '01', receptions: [{ station: 1D44, rssi: -120, rep: 4 }] }",
                "bad.yaml:9:94: traffic[0].receptions[0].rep: expected 1, 2 or 3"
            ),
            (
                "  - { at: +1m, device: 2C30EA, payload: '01', frames: 2 }",
                "bad.yaml:9:55: traffic[0].frames: an uplink sends 1 or 3 frames"
            ),
            (
                "  - { station: 1D44, down: +1m, device: 2C30EA }",
                "bad.yaml:9:33: traffic[0].device: unknown field 'device'; expected one of: station, down, up"
            ),
        ]
    )
    func errors(item: String, message: String) {
        do {
            _ = try Scenario.parse(Self.fleet + "\n" + item + "\n", file: "bad.yaml")
            Issue.record("accepted: \(item)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test("network delay and DATA_ADVANCED delay can be set; a bad one is refused with its place")
    func networkTimings() throws {
        let scenario = try Scenario.parse("network: { networkDelay: 3s, dataAdvancedDelay: 30s }\n")
        #expect(scenario.network.networkDelay == 3000...3000 && scenario.network.dataAdvancedDelay == .seconds(30))
        let range = try Scenario.parse("network: { networkDelay: 1s..2.5s }\n")
        #expect(range.network.networkDelay == 1000...2500)
        #expect {
            _ = try Scenario.parse("network: { networkDelay: 3s..1s }\n", file: "bad.yaml")
        } throws: { error in
            "\(error)".hasPrefix("bad.yaml:1:26: network.networkDelay: expected a duration (3s) or a range")
        }
    }
}
