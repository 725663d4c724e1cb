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
        let off = try JSONParser.parse(try serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"04"}"#).body)
        #expect(off["rejected"]?.scalarText == "off contract")
        try serve.waitFor("/sim/attempts?callback=off") { !$0.listed.isEmpty }
        #expect(try serve.post("/sim/devices/2C30EA/lifecycle", #"{"renewal":{"until":"+30d"}}"#).status == 200)
        let renewed = try serve.waitFor("/sim/attempts?callback=renewed") { !$0.listed.isEmpty }.listed[0]
        #expect(renewed["request"]?["url"]?.scalarText?.hasSuffix("state=ACTIVE") == true)

        let bad = try serve.post("/sim/devices/2C30EA/lifecycle", #"{"sequence":"+9999"}"#)
        #expect(bad.status == 400 && bad.body.contains("\"field\":\"sequence\""), "\(bad.body)")
        #expect(try serve.post("/sim/devices/FFFFFF/lifecycle", #"{"disengage":true}"#).status == 404)
        // The export keeps the event callbacks, and loads as a scenario.
        let scenario = try Scenario.parse(try serve.get("/sim/scenario").body, file: "exported.json")
        let definitions = try scenario.deviceTypes[0].definitions(receiverURL: "http://127.0.0.1:9")
        #expect(definitions.filter { $0.service == .event }.count == 4)
    }
}
