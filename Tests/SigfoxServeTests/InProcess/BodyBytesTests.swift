import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Testing

@testable import SigfoxCloud

/// The bodies that became types encode to the bytes the hand-written JSON had (the dashboard's JavaScript,
/// the golden files and clients read them): key order, `43.0` coordinates, two-decimal status values,
/// absent optional fields, `null` where it was written.
@Suite("typed bodies keep their bytes")
struct BodyBytesTests {
    static let message = KeptMessage(
        id: 7,
        kind: "status",
        device: "2C30EA",
        deviceType: "5f1d3a2b4c6e8f0a1b2c3d4e",
        seqNumber: 12,
        time: 1_700_000_000_000,
        sentAt: 1_699_999_998_000,
        data: "c0ffee",
        ack: true,
        frames: 3,
        lqi: "Good",
        linkQuality: 2,
        overLimit: false,
        uplinkOfDay: 1,
        temp: 21.5,
        batt: 3,
        receptions:
            #"[{"station":"0A1B","rssi":-120.5,"snr":12.25,"nbRep":2,"firstHeard":1700000000000},{"station":"\"x/","rssi":-99,"snr":7,"nbRep":1,"firstHeard":1700000000100}]"#,
        dataFired: true,
        advancedFired: false,
        downlinkData: "0011223344556677",
        downlinkStation: "0A1B",
        acknowledge: nil
    )

    @Test("a message as the control API lists it and the event stream sends it")
    func messageBody() {
        #expect(
            MessageBody(Self.message).apiJSON
                == #"{"id":7,"kind":"status","device":"2C30EA","deviceType":"5f1d3a2b4c6e8f0a1b2c3d4e","seqNumber":12,"#
                + #""time":1700000000000,"sentAt":1699999998000,"data":"c0ffee","ack":true,"frames":3,"lqi":"Good","#
                + #""linkQuality":2,"overLimit":false,"temp":21.50,"batt":3.00,"receptions":"# + Self.message.receptions
                + "}"
        )
        var uplink = Self.message
        uplink.temp = nil
        uplink.batt = nil
        #expect(!MessageBody(uplink).apiJSON.contains("temp"))
    }

    @Test("the API v2's deviceMessage as the live API sends it: RSSI and positions as strings, freq, operator")
    func deviceMessage() {
        let station = BaseStation(
            id: BaseStationID(0x0A1B),
            position: GeoPosition(latitude: 43, longitude: 1.25),
            operatorName: "SIGFOX_Spain",
            countryCode: "724"
        )
        let lookup = V2MessageLookup(
            stations: ["0A1B": station],
            devices: [:],
            rollovers: [7: 1],
            prediction: nil,
            names: ["2C30EA": "Tracker"]
        )
        let body = APIv2.deviceMessage(Self.message, lookup).apiJSON
        #expect(
            body
                == #"{"device":{"id":"2C30EA","name":"Tracker"},"time":1700000000000,"data":"c0ffee","#
                + #""rolloverCounter":1,"ackRequired":true,"lqi":2,"seqNumber":12,"nbFrames":3,"#
                + #""operator":"SIGFOX_Spain","country":"ESP","computedLocation":[],"rinfos":["#
                + #"{"baseStation":{"id":"0A1B","name":"0A1B","resourceType":0},"rssi":"-120.50","#
                + #""lat":"43.0","lng":"1.25","snr":12.25,"freq":868164700.0,"rep":2},"#
                + #"{"baseStation":{"id":"\"x/","name":"\"x/","resourceType":0},"rssi":"-99.00","snr":7,"#
                + #""freq":868164700.0,"rep":1}],"satInfos":[],"#
                + #""downlinkAnswerStatus":{"baseStation":{"id":"0A1B","name":"0A1B","resourceType":0},"#
                + #""data":"0011223344556677"}}"#
        )
        var anonymous = lookup
        anonymous.names = nil
        anonymous.stations = [:]
        let plain = APIv2.deviceMessage(Self.message, anonymous).apiJSON
        #expect(plain.hasPrefix(#"{"device":{"id":"2C30EA"},"#))
        #expect(plain.contains(#""operator":"SIGFOX_France","country":"FRA","#))
    }

    @Test("the API v2's device and deviceType, seen and not seen, with and without their optional fields")
    func deviceAndType() {
        let seen = V2Device(
            id: "2C30EA",
            name: "Tracker",
            deviceType: V2Reference(id: "5f1d", name: "T"),
            pac: "00",
            prototype: false,
            location: V2Location(latitude: 43, longitude: -0.5),
            sequenceNumber: 12,
            lastCom: 1_700_000_000_000,
            lqi: 2,
            comState: 1,
            start: 1_600_000_000_000
        )
        let common =
            #"{"id":"2C30EA","name":"Tracker","deviceType":{"id":"5f1d","name":"T"},"pac":"00","prototype":false,"#
            + #""location":{"lat":43.0,"lng":-0.5},"#
            + #""group":{"id":"000000000000000000000001","name":"sigfox-sim","type":2,"level":0},"#
            + #""satelliteCapable":false,"repeater":false,"messageModulo":4096,"automaticRenewal":true,"#
            + #""activable":true,"state":0,"creationTime":1600000000000,"token":{"state":0,"detailMessage":"Valid"},"#
        let edits =
            #","contract":{"id":"000000000000000000000002","name":"sigfox-sim default"},"#
            + #""modemCertificate":{"id":"000000000000000000000005","key":"M_0000_0000_01"},"#
            + #""productCertificate":{"id":"000000000000000000000006","key":"P_0000_0000_01"},"#
            + #""createdBy":"000000000000000000000001","lastEditionTime":1600000000000,"#
            + #""lastEditedBy":"000000000000000000000001","automaticRenewalStatus":0}"#
        #expect(seen.apiJSON == common + #""sequenceNumber":12,"lastCom":1700000000000,"lqi":2,"comState":1"# + edits)
        var unseen = seen
        unseen.sequenceNumber = nil
        unseen.lastCom = nil
        unseen.lqi = 4
        unseen.comState = 5
        #expect(unseen.apiJSON == common + #""lqi":4,"comState":5"# + edits)

        let type = V2DeviceType(
            id: "5f1d",
            name: "T",
            description: nil,
            keepAlive: 0,
            downlinkMode: 1,
            downlinkDataString: nil,
            payloadType: 2,
            payloadConfig: nil
        )
        let group = #""group":{"id":"000000000000000000000001","name":"sigfox-sim","type":2,"level":0},"#
        #expect(
            type.apiJSON
                == #"{"id":"5f1d","name":"T","keepAlive":0,"downlinkMode":1,"payloadType":2,"# + group
                + #""automaticRenewal":true}"#
        )
        var custom = type
        custom.description = "a \"type\""
        custom.downlinkDataString = "{tapId}"
        custom.payloadType = 3
        custom.payloadConfig = "t::uint:8"
        #expect(
            custom.apiJSON
                == #"{"id":"5f1d","name":"T","description":"a \"type\"","keepAlive":0,"downlinkMode":1,"#
                + #""downlinkDataString":"{tapId}","payloadType":3,"payloadConfig":"t::uint:8","# + group
                + #""automaticRenewal":true}"#
        )
    }

    @Test("a listing: data, then paging only when there is more")
    func listing() {
        #expect(
            Listing(data: [V2Reference(id: "a", name: "b")], paging: nil).apiJSON
                == #"{"data":[{"id":"a","name":"b"}]}"#
        )
        #expect(
            Listing(data: [Int](), paging: Paging(next: "http://h/v2/devices?offset=100")).apiJSON
                == #"{"data":[],"paging":{"next":"http://h/v2/devices?offset=100"}}"#
        )
    }

    @Test("the events: lifecycle changes, the kept lifecycles with their nulls, acknowledge, resend")
    func events() {
        #expect(
            LiveTraffic.lifecycleJSON(.sequence(device: DeviceID(hex: "2C30EA")!, .skip(3)))
                == #"{"change":"sequence","skip":3,"device":"2C30EA"}"#
        )
        #expect(
            LiveTraffic.lifecycleJSON(.disengage(device: DeviceID(hex: "2C30EA")!))
                == #"{"change":"disengage","device":"2C30EA"}"#
        )
        let lifecycle = DeviceLifecycle(
            outOfSequence: true,
            offContract: false,
            tokenEnd: SimulationTime(milliseconds: 5),
            renewalFrom: nil,
            renewalUntil: nil
        )
        let kept = LiveTraffic.lifecyclesJSON([DeviceID(hex: "2C30EA")!: lifecycle, DeviceID(hex: "1")!: lifecycle])
        let one = #"{"outOfSequence":true,"offContract":false,"tokenEnd":5,"renewalFrom":null,"renewalUntil":null}"#
        #expect(kept == #"{"1":"# + one + #","2C30EA":"# + one + "}")
        #expect(LiveTraffic.lifecycles(fromJSON: kept)[DeviceID(hex: "2C30EA")!] == lifecycle)
        #expect(
            AcknowledgeEvent(device: "1", messageTime: 2, time: 3, infoCode: EncodedJSON("null"), infoMessage: "ok")
                .apiJSON == #"{"device":"1","messageTime":2,"time":3,"infoCode":null,"infoMessage":"ok"}"#
        )
        #expect(
            ResendEvent(try: 4, resentAs: 9, delivery: 9, callback: "up").apiJSON
                == #"{"try":4,"resentAs":9,"delivery":9,"callback":"up"}"#
        )
    }

    @Test("the error bodies of both APIs")
    func errors() {
        var error = APIError(
            status: 400,
            message: "bad \"x\"",
            field: "body:name",
            location: SourceLocation(line: 2, column: 5)
        )
        #expect(error.json == #"{"message":"bad \"x\"","field":"body:name","line":2,"column":5}"#)
        error = error.inAPIv2()
        #expect(
            error.json
                == #"{"message":"bad request","errors":[{"type":"body","field":"name","#
                + #""message":"bad \"x\" (line 2, column 5)"}]}"#
        )
        #expect(APIError(status: 404, message: "no").inAPIv2().json == #"{"message":"no"}"#)
        #expect(APIError(status: 404, message: "no").json == #"{"message":"no"}"#)
    }
}
