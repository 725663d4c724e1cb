import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxServices
import SigfoxSimulation
import SigfoxTesting
import Testing

/// Network settings a scenario exposes (issue 18): infoMessage spelling, the daily limit and its policy,
/// {lqi} in upper case, the downlink confirmation odds; and an empty header on the wire.
@Suite("Scenario network settings", .timeLimit(.minutes(2)))
struct NetworkSettingsTests {
    static func run(_ text: String, target: String? = nil) async throws -> RunResult {
        let scenario = try Scenario.parse(text)
        return try await offPool { () -> Result<RunResult, ScenarioRunError> in
            Result { () throws(ScenarioRunError) in
                try ScenarioRunner(scenario: scenario, options: RunOptions(target: target)).run()
            }
        }.get()
    }

    static func bidir(network: String) -> String {
        """
        name: ack
        seed: 3
        network: { frameLossProbability: 0\(network) }
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes:
          - name: T
            callbacks:
              - { service: DATA/BIDIR, url: "{receiver}/bidir/{device}", method: POST, body: "{data}" }
              - { service: ACKNOWLEDGE, url: "{receiver}/ack?m={infoMessage}&a={downlinkAck}" }
              - { service: DATA_ADVANCED, url: "{receiver}/adv?lqi={lqi}" }
        devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
        traffic: [{ at: +10s, device: 2C30EA, payload: "01", ack: true }]
        receiver: { embedded: { bidir: "fixed:0102030405060708" } }
        expect:
          - acknowledge: { device: 2C30EA, infoMessage: ACKED, count: 1 }
        """
    }

    func url(_ result: RunResult, _ service: CallbackService) -> String? {
        for attempt in result.attempts where attempt.callback.service == service {
            if case .http(let request)? = attempt.request { return request.url }
        }
        return nil
    }

    @Test("infoMessage is Acked as recorded by default, ACKED with network.infoMessage: names; both match ACKED")
    func infoMessageSpelling() async throws {
        let recorded = try await Self.run(Self.bidir(network: ""))
        #expect(recorded.passed, "\(recorded.text)")
        #expect(recorded.acknowledgements.map(\.infoMessage) == ["Acked"])
        #expect(url(recorded, .acknowledge)?.contains("m=Acked&a=true") == true)
        let names = try await Self.run(Self.bidir(network: ", infoMessage: names, acknowledgeDelay: 40s"))
        #expect(names.passed && names.acknowledgements.map(\.infoMessage) == ["ACKED"])
        // ACKNOWLEDGE 35 s after the uplink at +10 s by default (the first frame is sent then), 40 s when set.
        let start = try Scenario.parse(Self.bidir(network: "")).start
        #expect(recorded.acknowledgements.map(\.time) == [start + .seconds(45)])
        #expect(names.acknowledgements.map(\.time) == [start + .seconds(50)])
    }

    @Test("network.downlinkFailure: the downlink fails in the network, ACKNOWLEDGE NETWORK_ERROR, no downlink")
    func downlinkFailure() async throws {
        let text = Self.bidir(network: ", downlinkFailure: true").replacingOccurrences(
            of: "infoMessage: ACKED",
            with: "infoMessage: NETWORK_ERROR"
        )
        let result = try await Self.run(text)
        #expect(result.passed, "\(result.text)")
        #expect(result.downlinks.isEmpty && result.network.downlinksEmitted == 0)
    }

    @Test("network.lqi: upper writes {lqi} in capitals; downlinkAckProbability 0 makes {downlinkAck} false")
    func lqiAndConfirmation() async throws {
        let result = try await Self.run(Self.bidir(network: ", lqi: upper, downlinkAckProbability: 0"))
        let lqi = url(result, .dataAdvanced).flatMap { $0.split(separator: "=").last }.map(String.init)
        #expect(["LIMIT", "AVERAGE", "GOOD", "EXCELLENT"].contains(lqi ?? ""), "\(String(describing: lqi))")
        #expect(url(result, .acknowledge)?.hasSuffix("a=false") == true)
    }

    @Test("past 140 uplinks in a UTC day messages are flagged and counted; overLimitPolicy: drop discards them")
    func overLimit() async throws {
        func scenario(_ policy: String) -> String {
            """
            name: limit
            network: { frameLossProbability: 0\(policy) }
            baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
            deviceTypes:
              - name: T
                callbacks: [{ service: DATA/UPLINK, url: "{receiver}/up" }]
            devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
            traffic: [{ every: 5m, devices: all, count: 150, payload: "01" }]
            receiver: embedded
            expect:
              - network: { uplinks: 150, overLimit: 10 }
            """
        }
        let flagged = try await Self.run(scenario(""))
        #expect(flagged.passed, "\(flagged.text)")
        #expect(flagged.text.contains("10 over the daily limit") && flagged.json.contains("\"overLimit\":10"))
        #expect(flagged.ledger.delivered == 150)
        // The journal line of each try says it, after `devices`; the other lines have no such field.
        let lines = flagged.attempts.sorted { $0.scheduledAt < $1.scheduledAt }.map(\.jsonLine)
        #expect(lines.filter { $0.contains(#""devices":["2C30EA"],"overLimit":true,"#) }.count == 10)
        #expect(lines.prefix(140).allSatisfy { !$0.contains("overLimit") })
        // Retries, kept compact while they wait, still say it.
        let failing = try await Self.run(
            scenario("").replacing("receiver: embedded", with: "receiver: { embedded: { status: 500 } }")
                .replacing("- network: { uplinks: 150, overLimit: 10 }", with: "- { failed: 150 }")
        )
        #expect(failing.passed, "\(failing.text)")
        let retried = failing.attempts.filter { $0.attempt == 4 }.map(\.jsonLine)
        #expect(retried.count == 150 && retried.filter { $0.contains(#""overLimit":true"#) }.count == 10)
        let dropped = try await Self.run(scenario(", overLimitPolicy: drop"))
        #expect(dropped.passed && dropped.ledger.delivered == 140, "\(dropped.text)")
        #expect(throws: ConfigError.self) { try Scenario.parse(scenario(", overLimitPolicy: keep")) }
    }

    @Test(
        "REPEATER as Sigfox's page documents it: message counts as range codes, unwantedDevices the count up to 15"
    )
    func repeaterCodes() {
        let codes = [0, 1, 4, 5, 9, 10, 49, 50, 99, 100, 149, 450, 499, 500, 799, 800, 999, 1000, 50_000]
            .map(RepeaterStatus.rangeCode)
        #expect(codes == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 12, 12, 13, 13, 14, 14, 15, 15])
        // "between 0 and 15 ... If 15, means that the number is >14" (https://support.sigfox.com/docs/repeater).
        #expect([0, 3, 14, 15, 23, 900].map(RepeaterStatus.unwantedDevicesCode) == [0, 3, 14, 15, 15, 15])
        #expect(
            VariableValue.decimal2(3.45).renderedText == "3.45" && VariableValue.decimal2(3.6).renderedText == "3.60"
        )
        let base = """
            baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
            deviceTypes: [{ name: R }]
            devices: [{ id: 7E0001, deviceType: R, lat: 43.6, lng: 1.44 }]
            traffic:

            """
        for (item, path) in [
            ("  - { at: +1m, device: 7E0001, repeater: { unwantedMsgs: 3 } }", "traffic[0].repeater.unwantedMsgs"),
            ("  - { at: +1m, device: 7E0001, repeater: { wrongMsg: -1 } }", "traffic[0].repeater.wrongMsg"),
            ("  - { at: +1m, device: 7E0001, repeater: { batt: 3600 } }", "traffic[0].repeater.batt"),
            ("  - { at: +1m, device: 7E0001, payload: \"01\", repeater: {} }", "traffic[0].repeater"),
        ] {
            do {
                _ = try Scenario.parse(base + item)
                Issue.record("accepted \(item)")
            } catch {
                #expect(error.path == path, "\(error)")
            }
        }
    }

    @Test("Scenarios/repeater.yaml: 23 unwanted devices are sent as 15, the battery as volts with two decimals")
    func repeaterBodies() async throws {
        let result = try await runScenario(scenariosFolder.appendingPathComponent("repeater.yaml").path)
        let bodies = result.attempts.map(\.jsonLine)
        #expect(bodies.count == 2)
        #expect(bodies.first?.contains(#"\"unwantedDevices\":3,\"unwanted\":3,"#) == true)
        #expect(bodies.first?.contains(#"\"batt\":3.60}"#) == true, "\(bodies)")
        #expect(bodies.last?.contains(#"\"unwantedDevices\":15,\"unwanted\":13,"#) == true)
        #expect(bodies.last?.contains(#"\"batt\":3.45}"#) == true, "\(bodies)")
    }

    @Test("a device's fixedLat/fixedLng reach DATA_ADVANCED; a device type's zone is read; mistakes name the field")
    func fixedPlaceAndZone() async throws {
        let text = """
            name: fixed
            network: { frameLossProbability: 0 }
            baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
            deviceTypes:
              - name: T
                zone: rc2
                callbacks: [{ service: DATA_ADVANCED, url: "{receiver}/adv?lat={fixedLat}&lng={fixedLng}" }]
            devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44, fixedLat: 43.61234, fixedLng: 1.45678 }]
            traffic: [{ at: +1s, device: 2C30EA, payload: "01" }]
            receiver: embedded
            """
        #expect(try Scenario.parse(text).deviceTypes[0].type.zone == .rc2)
        let result = try await Self.run(text)
        #expect(url(result, .dataAdvanced)?.hasSuffix("/adv?lat=43.61234&lng=1.45678") == true, "\(result.text)")
        for (change, path) in [
            ("zone: rc2", "zone: RC9", "deviceTypes[0].zone"),
            ("fixedLng: 1.45678", "fixedLng: 200", "devices[0].fixedLng"),
            ("fixedLat: 43.61234, ", "", "devices[0].fixedLat"),
        ].map({ (($0.0, $0.1), $0.2) }) {
            do {
                _ = try Scenario.parse(text.replacingOccurrences(of: change.0, with: change.1))
                Issue.record("accepted \(change.1)")
            } catch {
                #expect(error.path == path, "\(error)")
            }
        }
    }

    @Test("--time real ends when nothing more can happen: no 25 s wait without a DATA_ADVANCED callback")
    func realTimeEnds() async throws {
        func scenario(_ callbacks: String) throws -> Scenario {
            try Scenario.parse(
                """
                name: real
                time: real
                network: { frameLossProbability: 0, networkDelay: 1s }
                baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
                deviceTypes:
                  - name: T
                    callbacks: [\(callbacks)]
                devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
                traffic: [{ at: +1s, device: 2C30EA, payload: "01" }]
                receiver: embedded
                """
            )
        }
        // What the run's network still has to do once the uplink's DATA trigger fired: nothing without a
        // DATA_ADVANCED callback, the DATA_ADVANCED trigger 25 s after the first reception with one.
        func afterData(_ scenario: Scenario) throws -> SimulationTime? {
            var traffic = try ScenarioBuilder(ScenarioRunner(scenario: scenario).scenario).traffic()
            _ = traffic.advance(to: scenario.start + .seconds(10))
            return traffic.nextDue
        }
        let plain = try scenario(#"{ service: DATA/UPLINK, url: "{receiver}/up" }"#)
        #expect(try afterData(plain) == nil)
        let advanced = try scenario(
            #"{ service: DATA/UPLINK, url: "{receiver}/up" }, { service: DATA_ADVANCED, url: "{receiver}/adv" }"#
        )
        #expect(try afterData(advanced) != nil)
        // And the run itself, in real time, delivers and ends.
        let result = try await Self.run(
            """
            name: real
            time: real
            network: { frameLossProbability: 0, networkDelay: 1s }
            baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
            deviceTypes: [{ name: T, callbacks: [{ service: DATA/UPLINK, url: "{receiver}/up" }] }]
            devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
            traffic: [{ at: +1s, device: 2C30EA, payload: "01" }]
            receiver: embedded
            """
        )
        #expect(result.ledger.delivered == 1)
    }

    @Test("a header that renders empty reaches the receiver as an empty header, not dropped by libcurl")
    func emptyHeaderOnTheWire() async throws {
        let receiver = try await EmbeddedReceiver.start()
        let result = try await Self.run(
            """
            name: header
            network: { frameLossProbability: 0 }
            baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
            deviceTypes:
              - name: T
                callbacks: [{ service: DATA/UPLINK, url: "{receiver}/up", headers: { X-Empty: "", X-Seq: "{seqNumber}" } }]
            devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
            traffic: [{ at: +1s, device: 2C30EA, payload: "01" }]
            """,
            target: receiver.baseURL
        )
        let requests = await receiver.waitForRequests(count: 1, timeout: .seconds(5))
        try await receiver.shutdown()
        #expect(result.ledger.delivered == 1)
        let header = requests.first?.headers.first { $0.name.lowercased() == "x-empty" }
        #expect(header != nil && header?.value == "", "\(requests.first?.headers ?? [])")
    }
}
