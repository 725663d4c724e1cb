import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Testing

@Suite("Scenario files: event callbacks and lifecycle traffic (SIGFOX.md section 8)")
struct EventScenarioTests {
    static func fleet(events: String = "", callbacks: String = "") -> String {
        """
        start: 2026-01-01T00:00:00Z
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes:
          - name: T
            callbacks: [\(callbacks)]
            events: [\(events)]
        devices:
          - { id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }
        traffic:
        """
    }

    static let badTokenEnd: String = fleet().replacingOccurrences(
        of: "lng: 1.44 }\ntraffic",
        with: "lng: 1.44, tokenEnd: soon }\ntraffic"
    )

    @Test("lifecycle items load as their events, in the order written")
    func items() throws {
        let scenario = try Scenario.parse(
            Self.fleet() + """

                  - { at: +1m, device: 2C30EA, sequence: +40 }
                  - { at: +2m, device: 2C30EA, sequence: reset }
                  - { at: +3m, device: 2C30EA, sequence: 7 }
                  - { at: +4m, device: 2C30EA, disengage: true }
                  - { at: +5m, deviceType: T, disengage: true }
                  - { at: +6m, device: 2C30EA, contractEnd: true }
                  - { at: +7m, device: 2C30EA, renewal: { until: +30d, contractId: c1 } }
                """
        )
        let start = SimulationTime(seconds: 1_767_225_600)
        let device = DeviceID(0x2C30EA)
        #expect(
            scenario.traffic.map(\.kind) == [
                .sequence(device: device, .skip(40)), .sequence(device: device, .set(0)),
                .sequence(device: device, .set(7)), .disengage(device: device),
                .disengageType(scenario.deviceTypes[0].type.id), .contractEnd(device: device, ContractDetails()),
                .renewal(device: device, until: start + .seconds(30 * 86_400), ContractDetails(contractId: "c1")),
            ]
        )
        #expect(scenario.traffic.map(\.time) == (1...7).map { start + .minutes(Int64($0)) })
    }

    @Test(
        "a wrong event callback or lifecycle item is refused with its place",
        arguments: [
            (
                fleet(events: "{ url: 'http://x/e' }"),
                "bad.yaml:6:14: deviceTypes[0].events[0].eventType: an EVENT callback needs an eventType: INVALID_SEQ_NUMBER, OUT_OF_SEQUENCE, OFF_CONTRACT, TOKEN_RENEWAL"
            ),
            (
                fleet(events: "{ eventType: LATE, url: 'http://x/e' }"),
                "bad.yaml:6:27: deviceTypes[0].events[0].eventType: 'LATE' is not an event type"
            ),
            (
                fleet(events: "{ eventType: OFF_CONTRACT, url: 'http://x/e', linePattern: '{device}' }"),
                "bad.yaml:6:14: deviceTypes[0].events[0].channel: an EVENT callback is URL or EMAIL, not BATCH_URL"
            ),
            (
                fleet(events: "{ eventType: OFF_CONTRACT, url: 'http://x/e?d={data}' }"),
                "bad.yaml:6:46: deviceTypes[0].events[0].url: {data} at line 1, column 14 is not available for EVENT callbacks"
            ),
            (
                fleet(callbacks: "{ service: EVENT, eventType: OFF_CONTRACT, url: 'http://x/e' }"),
                "bad.yaml:5:17: deviceTypes[0].callbacks[0]: event callbacks are configured apart"
            ),
            (
                fleet(events: "{ service: DATA/UPLINK, url: 'http://x/e' }"),
                "bad.yaml:6:25: deviceTypes[0].events[0].service: the events list holds EVENT callbacks only"
            ),
            (
                fleet(callbacks: "{ service: DATA/UPLINK, eventType: OFF_CONTRACT, url: 'http://x/e' }"),
                "bad.yaml:5:52: deviceTypes[0].callbacks[0].eventType: eventType belongs to EVENT callbacks, not DATA/UPLINK"
            ),
            (
                fleet() + "\n  - { at: +1m, device: 2C30EA, sequence: +5000 }\n",
                "bad.yaml:10:42: traffic[0].sequence: expected +N (skip N numbers, 1 to 4095)"
            ),
            (
                fleet() + "\n  - { at: +1m, sequence: +5 }\n",
                "bad.yaml:10:5: traffic[0]: missing 'device'"
            ),
            (
                fleet() + "\n  - { at: +1m, device: 2C30EA, contractEnd: true, payload: '01' }\n",
                "bad.yaml:10:60: traffic[0].payload: a contractEnd item sends nothing"
            ),
            (
                fleet() + "\n  - { at: +1m, device: 2C30EA, renewal: { until: +0s } }\n",
                "bad.yaml:10:50: traffic[0].renewal.until: must be after the item's at"
            ),
            (
                badTokenEnd,
                "bad.yaml:8:66: devices[0].tokenEnd: expected +DURATION (+30d), ISO-8601 UTC or epoch seconds"
            ),
            (
                fleet() + "\n  - { at: +1m, deviceType: X, disengage: true }\n",
                "bad.yaml:10:28: traffic[0].deviceType: no device type 'X'"
            ),
        ]
    )
    func errors(text: String, message: String) {
        do {
            _ = try Scenario.parse(text, file: "bad.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test("event callbacks render the event's variables; those it has no value for render null")
    func rendering() throws {
        let scenario = try Scenario.parse(
            Self.fleet(
                events: """
                    { eventType: "Out of message sequence", url: "http://127.0.0.1:9/e?d={sourceId}&s={severity}&c={contractId}&n={deviceMessageSeqnumber}&l={deviceLastSeqnumber}&t={eventType}" }
                    """
            ) + """

                  - { at: +1m, device: 2C30EA, payload: "01" }
                  - { at: +2m, device: 2C30EA, sequence: 1000 }
                  - { at: +3m, device: 2C30EA, payload: "02" }
                """
        )
        let definitions = try scenario.deviceTypes[0].definitions(receiverURL: "http://127.0.0.1:9")
        #expect(definitions.map(\.service) == [.event])
        #expect(definitions[0].eventType == .outOfSequence)
        var network = try ScenarioBuilder(scenario).traffic().network
        for event in scenario.traffic { event.apply(to: &network) }
        var triggers = [CallbackTrigger]()
        while let due = network.nextDue { triggers += network.advance(to: due) }
        let event = try #require(triggers.first { $0.service == .event })
        let rendered = try definitions[0].render(event.bindings)
        guard case .http(let request) = rendered else {
            Issue.record("expected an HTTP request")
            return
        }
        #expect(request.url == "http://127.0.0.1:9/e?d=2C30EA&s=ERROR&c=null&n=1000&l=0&t=OUT_OF_SEQUENCE")
    }
}
