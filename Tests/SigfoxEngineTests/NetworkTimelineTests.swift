import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Network core: messages and their timeline")
struct NetworkTimelineTests {
    typealias F = NetworkFixtures

    @Test("a 3-station message gives DATA at first reception and DATA_ADVANCED exactly 25 s later")
    func threeStationTimeline() throws {
        var network = try F.network()
        let outcome = network.send(Uplink(device: DeviceID(0x2C30EA), payload: [0xCA, 0xFE]), at: F.start)
        let message = try #require(outcome.message)
        #expect(message.firstReception == F.start + .seconds(3))
        #expect(message.receptions.map(\.nbRep) == [3, 3, 3])
        #expect(network.nextDue == F.start + .seconds(3))

        #expect(network.advance(to: F.start + SimulationDuration(milliseconds: 2999)).isEmpty)
        let data = network.advance(to: F.start + .seconds(3))
        #expect(data.map(\.service) == [.dataUplink, .dataBidir])
        let uplink = try #require(data.first)
        #expect(uplink.due == F.start + .seconds(3))
        #expect(uplink.rendered(.time) == "1700000003")
        #expect(uplink.rendered(.device) == "2C30EA")
        #expect(uplink.rendered(.deviceTypeId) == "5964a10570c85b51ccbaf497")
        #expect(uplink.rendered(.deviceTypeName) == "SIGFOX_DevKit_1")
        #expect(uplink.rendered(.data) == "cafe")
        #expect(uplink.bindings.payload == [0xCA, 0xFE])
        #expect(uplink.rendered(.seqNumber) == "0")
        #expect(uplink.rendered(.ack) == "false")
        #expect(uplink.rendered(.station) == "0001")
        #expect(uplink.rendered(.rssi) == "-96.00")
        #expect(uplink.rendered(.snr) == "21.99")
        #expect(uplink.rendered(.signal) == "21.99")
        #expect(uplink.rendered(.duplicate) == "false")
        #expect(uplink.rendered(.avgSnr) == "21.99")
        #expect(uplink.rendered(.lat) == "45")
        #expect(uplink.rendered(.lng) == "5")
        #expect(uplink.rendered(.longPolling) == "false")
        #expect(data[1].rendered(.longPolling) == "false")
        #expect(
            uplink.rendered(.reception)
                == #"[{"id":"0001","RSSI":-96.0,"SNR":21.99},{"id":"0002","RSSI":-126.0,"SNR":17.24},"#
                + #"{"id":"0003","RSSI":-135.03,"SNR":9.71}]"#
        )
        #expect(uplink.message == message.id)

        #expect(network.nextDue == F.start + .seconds(28))
        #expect(network.advance(to: F.start + SimulationDuration(milliseconds: 27_999)).isEmpty)
        let advanced = try #require(network.advance(to: F.start + .seconds(28)).first)
        #expect(advanced.service == .dataAdvanced)
        #expect(advanced.due == F.start + .seconds(28))
        #expect(advanced.firstReception == F.start + .seconds(3))
        #expect(
            advanced.rendered(.duplicates)
                == #"[{"bsId":"0001","rssi":-96.0,"snr":21.99,"nbRep":3},{"bsId":"0002","rssi":-126.0,"snr":17.24,"#
                + #""nbRep":3},{"bsId":"0003","rssi":-135.03,"snr":9.71,"nbRep":3}]"#
        )
        #expect(advanced.rendered(.lqi) == "Excellent")
        #expect(advanced.rendered(.linkQuality) == "3")
        #expect(advanced.rendered(.operatorName) == "SIGFOX_France")
        #expect(advanced.rendered(.countryCode) == "250")
        #expect(advanced.rendered(.fixedLat) == "0.0")
        #expect(advanced.rendered(.fixedLng) == "0.0")
        #expect(advanced.rendered(.computedLocation) == #"{"status":0}"#)
        #expect(advanced.rendered(.time) == "1700000003")
        #expect(advanced.rendered(.data) == "cafe")
        #expect(advanced.rendered(.seqNumber) == "0")
        #expect(network.nextDue == nil)
        #expect(network.counters.triggers == 3)
        #expect(network.counters.triggers(for: .dataAdvanced) == 1)
    }

    @Test("geolocation contract: computedLocation near the best station, with a radius; fixed location shown")
    func computedLocation() throws {
        let type = try F.deviceType()
        let device = try Device(
            id: DeviceID(0xB92A4),
            deviceType: type.id,
            position: F.device,
            contract: DeviceContract(geolocation: true),
            fixedLocation: GeoPosition(latitude: 43.6, longitude: 1.44)
        )
        var network = try F.network(type: type, devices: [device])
        _ = network.send(Uplink(device: device.id, payload: []), at: F.start)
        let advanced = try #require(F.drain(&network).last)
        let location = advanced.rendered(.computedLocation)
        #expect(location.hasPrefix(#"{"lat":45.00"#))
        #expect(location.hasSuffix(#","source":2,"status":1}"#))
        #expect(location.contains(#""lng":5.0,"radius":"#))
        #expect(advanced.rendered(.fixedLat) == "43.6")
        #expect(advanced.rendered(.fixedLng) == "1.44")
        #expect(advanced.rendered(.data) == "")
    }

    @Test("the same seed gives byte-equal triggers; another seed other timings")
    func determinism() throws {
        func run(seed: UInt64) throws -> (String, [Int64]) {
            let type = try F.deviceType()
            let devices = try (0..<20).map { index in
                try Device(
                    id: DeviceID(UInt32(0x1000 + index)),
                    deviceType: type.id,
                    position: GeoPosition(latitude: 45 + Double(index) * 0.01, longitude: 5)
                )
            }
            var network = try F.network(type: type, devices: devices, configuration: .init(), seed: seed)
            for round in 0..<10 {
                for device in devices {
                    let time = F.start + .seconds(Int64(round * 600))
                    _ = network.send(Uplink(device: device.id, payload: [UInt8(round)]), at: time)
                }
            }
            let triggers = F.drain(&network)
            return (triggers.map(\.networkTranscript).joined(separator: "\n"), triggers.map(\.due.milliseconds))
        }
        let first = try run(seed: 7)
        let again = try run(seed: 7)
        let other = try run(seed: 8)
        #expect(first.0 == again.0)
        #expect(!first.0.isEmpty)
        #expect(first.1 != other.1)
    }

    @Test("sequence numbers wrap from 4095 to 0")
    func sequenceWraps() throws {
        let type = try F.deviceType()
        let device = try Device(id: DeviceID(1), deviceType: type.id, position: F.device, sequenceNumber: 4094)
        var network = try F.network(type: type, devices: [device])
        for minute in 0..<3 {
            _ = network.send(Uplink(device: device.id, payload: []), at: F.start + .minutes(Int64(minute)))
        }
        let numbers = F.drain(&network).filter { $0.service == .dataUplink }.map { $0.rendered(.seqNumber) }
        #expect(numbers == ["4094", "4095", "0"])
        #expect(network.nextSequenceNumber(of: device.id) == 1)
    }

    @Test("a payload over 12 bytes is refused without using a sequence number")
    func payloadTooLong() throws {
        var network = try F.network()
        let id = DeviceID(0x2C30EA)
        let outcome = network.send(Uplink(device: id, payload: Array(repeating: 0, count: 13)), at: F.start)
        #expect(outcome == .refused(.payloadTooLong(device: id, bytes: 13)))
        #expect(
            network.send(Uplink(device: DeviceID(9), payload: []), at: F.start) == .refused(.unknownDevice(DeviceID(9)))
        )
        #expect(network.counters.refused == 2)
        #expect(network.counters.uplinks == 0)
        #expect(network.nextSequenceNumber(of: id) == 0)
        #expect(network.send(Uplink(device: id, payload: Array(repeating: 0, count: 12)), at: F.start).message != nil)
    }

    @Test("a message no station hears is lost and counted")
    func lostMessage() throws {
        let type = try F.deviceType()
        let far = try Device(id: DeviceID(2), deviceType: type.id, position: GeoPosition(latitude: -30, longitude: 100))
        var network = try F.network(type: type, devices: [far])
        #expect(network.send(Uplink(device: far.id, payload: [1]), at: F.start) == .lost(device: far.id, seqNumber: 0))
        #expect(network.counters.lost == 1)
        #expect(network.counters.uplinks == 1)
        #expect(network.counters.messages == 0)
        #expect(network.nextDue == nil)
        #expect(network.nextSequenceNumber(of: far.id) == 1)
    }

    @Test("a station that is down hears nothing")
    func stationDownHearsNothing() throws {
        var network = try F.network()
        network.setStation(BaseStationID(1), up: false, at: F.start)
        #expect(network.isStationUp(BaseStationID(1)) == false)
        let message = try #require(network.send(Uplink(device: DeviceID(0x2C30EA), payload: []), at: F.start).message)
        #expect(message.receptions.map(\.station) == [BaseStationID(2), BaseStationID(3)])
        #expect(message.linkQuality == .average)
    }
}
