import Foundation
import SigfoxCloud
import SigfoxModel
import SigfoxScenario
import Testing

@Suite("sigfox-sim serve: event callbacks and the device lifecycle", .serialized, .timeLimit(.minutes(3)))
struct ServeEventTests {
    @Test("a reset device is rejected out of sequence until disengaged through the API v2; contract end and renewal")
    func lifecycle() throws {
        let serve = try ServeProcess([try scenarioFile(oneDeviceScenario()), "--time", "scaled:20"])
        defer { serve.stop() }
        let v2 = V2Client(serve: serve)
        for (id, type) in [
            ("oos", "OUT_OF_SEQUENCE"), ("gap", "INVALID_SEQ_NUMBER"), ("off", "OFF_CONTRACT"),
            ("renewed", "TOKEN_RENEWAL"),
        ] {
            let added = try serve.post(
                "/sim/device-types/T/events",
                #"{"id":"\#(id)","eventType":"\#(type)","url":"{receiver}/event/\#(id)?seq={deviceMessageSeqnumber}&last={deviceLastSeqnumber}&state={subscriptionState}","method":"GET"}"#
            )
            #expect(added.status == 201, "\(added.body)")
        }
        // A wrong event callback is refused with its field.
        let wrong = try serve.post("/sim/device-types/T/events", #"{"eventType":"LATE","url":"{receiver}/x"}"#)
        #expect(wrong.status == 400 && wrong.body.contains("\"field\":\"eventType\""), "\(wrong.body)")

        for _ in 0..<3 { #expect(try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#).status == 201) }
        let reset = try serve.post("/sim/devices/2C30EA/lifecycle", #"{"sequence":"reset"}"#)
        #expect(reset.status == 200 && reset.body.contains("\"set\":0"), "\(reset.body)")
        let rejected = try JSONParser.parse(try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"02"}"#).body)
        #expect(rejected["rejected"]?.scalarText == "out of message sequence")
        let event = try serve.waitFor("/sim/attempts?callback=oos") { !$0.listed.isEmpty }.listed[0]
        #expect(event["request"]?["url"]?.scalarText?.hasSuffix("/event/oos?seq=0&last=2&state=null") == true)

        try v2.send("POST", "/v2/devices/2C30EA/disengage", expect: 204)
        try v2.send("POST", "/v2/devices/FFFFFF/disengage", expect: 404)
        try v2.send("PUT", "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/disengage", expect: 204)
        let acceptedBody = try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"03"}"#).body
        #expect(acceptedBody.contains(#""rejected":null"#), "\(acceptedBody)")
        #expect(try JSONParser.parse(acceptedBody)["seqNumber"]?.scalarText == "1")

        #expect(try serve.post("/sim/devices/2C30EA/lifecycle", #"{"contractEnd":true}"#).status == 200)
        // OFF_CONTRACT comes with the first message after the token's end, not at the end itself.
        let off = try JSONParser.parse(try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"04"}"#).body)
        #expect(off["rejected"]?.scalarText == "off contract")
        let offEvent = try serve.waitFor("/sim/attempts?callback=off") { !$0.listed.isEmpty }.listed[0]
        #expect(offEvent["request"]?["url"]?.scalarText?.hasSuffix("state=INACTIVE") == true)
        #expect(try serve.post("/sim/devices/2C30EA/lifecycle", #"{"renewal":{"until":"+30d"}}"#).status == 200)
        // TOKEN_RENEWAL comes with the next message, which is taken.
        let taken = try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"05"}"#).body
        #expect(taken.contains(#""rejected":null"#), "\(taken)")
        let renewed = try serve.waitFor("/sim/attempts?callback=renewed") { !$0.listed.isEmpty }.listed[0]
        #expect(renewed["request"]?["url"]?.scalarText?.hasSuffix("state=ACTIVATED") == true)

        let bad = try serve.post("/sim/devices/2C30EA/lifecycle", #"{"sequence":"+9999"}"#)
        #expect(bad.status == 400 && bad.body.contains("\"field\":\"sequence\""), "\(bad.body)")
        #expect(try serve.post("/sim/devices/FFFFFF/lifecycle", #"{"disengage":true}"#).status == 404)
        // The export keeps the event callbacks, and loads as a scenario.
        let scenario = try Scenario.parse(try serve.get("/sim/scenario").body, file: "exported.json")
        let definitions = try scenario.deviceTypes[0].definitions(receiverURL: "http://127.0.0.1:9")
        #expect(definitions.filter { $0.service == .event }.count == 4)
    }
}

@Suite("sigfox-sim serve: network settings exposed", .serialized, .timeLimit(.minutes(3)))
struct ServeNetworkSettingsTests {
    static let scenario = """
        name: exposed
        network: { lqi: upper, frameLossProbability: 0 }
        baseStations: [{ id: 1D44, lat: 43.61, lng: 1.45 }]
        deviceTypes:
          - id: 5f1d3a2b4c6e8f0a1b2c3d4e
            name: T
            zone: RC2
            callbacks:
              - { id: bidir, service: DATA/BIDIR, url: "{receiver}/bidir/{device}", method: POST, contentType: application/json, body: '{"device":"{device}"}' }
              - { id: ack, service: ACKNOWLEDGE, url: "{receiver}/ack?code={infoCode}&message={infoMessage}" }
              - { id: adv, service: DATA_ADVANCED, url: "{receiver}/adv?lqi={lqi}&lat={fixedLat}&lng={fixedLng}" }
        devices:
          - { id: 2C30EA, deviceType: T, lat: 43.600, lng: 1.440, fixedLat: 43.6, fixedLng: 1.44 }
        receiver:
          embedded: { bidir: "fixed:0102030405060708" }
        """

    @Test("lqi upper, zone, fixed position from the scenario; downlink failure injected through /sim/network")
    func exposed() throws {
        let serve = try ServeProcess([try scenarioFile(Self.scenario), "--time", "scaled:20"])
        defer { serve.stop() }
        let failure = try serve.post("/sim/network", #"{"downlinkFailure":true}"#)
        #expect(failure.status == 200 && failure.body.contains(#""downlinkFailure":true"#), "\(failure.body)")
        #expect(try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01","ack":true}"#).status == 201)
        let advanced = try serve.waitFor("/sim/attempts?callback=adv") { !$0.listed.isEmpty }.listed[0]
        let url = advanced["request"]?["url"]?.scalarText ?? ""
        #expect(url.hasSuffix("&lat=43.6&lng=1.44"), "\(url)")
        #expect(["LIMIT", "AVERAGE", "GOOD", "EXCELLENT"].contains { url.contains("lqi=\($0)&") }, "\(url)")
        let ack = try serve.waitFor("/sim/attempts?callback=ack") { !$0.listed.isEmpty }.listed[0]
        #expect(ack["request"]?["url"]?.scalarText?.hasSuffix("code=4&message=NETWORK_ERROR") == true)
        let bad = try serve.post("/sim/network", #"{"failNextDownlink":"FFFFFF"}"#)
        #expect(bad.status == 400 && bad.body.contains(#""field":"failNextDownlink""#), "\(bad.body)")
        let unknown = try serve.post("/sim/network", #"{"downlinkFail":true}"#)
        #expect(unknown.status == 400, "\(unknown.body)")
        let next = try serve.post("/sim/network", #"{"downlinkFailure":false,"failNextDownlink":"2C30EA"}"#)
        #expect(next.body.contains(#""downlinkFailure":false,"failNextDownlink":"2C30EA""#), "\(next.body)")
    }
}

@Suite("sigfox-sim serve: a device's standing survives a restart", .serialized, .timeLimit(.minutes(3)))
struct ServeLifecycleRestartTests {
    @Test("off contract and out of sequence are kept by --data; a reset forgets them")
    func restart() throws {
        let data = NSTemporaryDirectory() + "sigfox-serve-lifecycle-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let scenario = try scenarioFile(oneDeviceScenario())
        let first = try ServeProcess([scenario, "--data", data, "--time", "scaled:20"])
        #expect(try first.post("/sim/devices/2C30EA/lifecycle", #"{"contractEnd":true}"#).status == 200)
        _ = try first.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#)
        #expect(first.stop() == 0)

        let second = try ServeProcess([scenario, "--data", data, "--time", "scaled:20"])
        let off = try JSONParser.parse(try second.post("/sim/devices/2C30EA/uplinks", #"{"payload":"02"}"#).body)
        #expect(off["rejected"]?.scalarText == "off contract")
        #expect(try second.post("/sim/reset").status == 200)
        let again = try second.post("/sim/devices/2C30EA/uplinks", #"{"payload":"03"}"#).body
        #expect(again.contains(#""rejected":null"#), "\(again)")
        #expect(second.stop() == 0)

        let third = try ServeProcess([scenario, "--data", data, "--time", "scaled:20"])
        defer { third.stop() }
        let after = try third.post("/sim/devices/2C30EA/uplinks", #"{"payload":"04"}"#).body
        #expect(after.contains(#""rejected":null"#), "\(after)")
    }
}
