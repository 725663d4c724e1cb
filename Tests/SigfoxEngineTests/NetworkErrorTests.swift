import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Network core: ERROR callbacks (keep-alive and station down)")
struct NetworkErrorTests {
    typealias F = NetworkFixtures

    @Test("a silent device gives exactly one ERROR per keep-alive breach")
    func keepAlive() throws {
        var network = try F.network(type: try F.deviceType(keepAlive: 1800))
        let id = DeviceID(0x2C30EA)
        _ = network.send(Uplink(device: id, payload: []), at: F.start)
        // A second message 1000 s later moves the deadline.
        _ = network.send(Uplink(device: id, payload: []), at: F.start + .seconds(1000))
        let firstSilence = network.advance(to: F.start + .seconds(100_000)).filter { $0.service == .error }
        #expect(firstSilence.count == 1)
        let error = try #require(firstSilence.first)
        #expect(error.due == F.start + .seconds(1003 + 1800))
        #expect(error.rendered(.severity) == "ERROR")
        #expect(error.rendered(.info) == "No message received since 2023-11-14 22:30:03")
        #expect(error.rendered(.device) == "2C30EA")
        #expect(error.rendered(.time) == String(1_700_000_000 + 1003 + 1800))
        #expect(error.rendered(.deviceTypeName) == "SIGFOX_DevKit_1")
        #expect(network.nextDue == nil)

        // Silent for much longer: still only that one. Then a message and a new silence: one more.
        #expect(network.advance(to: F.start + .seconds(1_000_000)).isEmpty)
        _ = network.send(Uplink(device: id, payload: []), at: F.start + .seconds(1_000_000))
        let secondSilence = F.drain(&network).filter { $0.service == .error }
        #expect(secondSilence.map(\.due) == [F.start + .seconds(1_000_003 + 1800)])
        #expect(secondSilence.first?.rendered(.info) == "No message received since 2023-11-26 12:00:03")
        #expect(network.counters.triggers(for: .error) == 2)
    }

    @Test("keep-alive off: no ERROR")
    func keepAliveOff() throws {
        var network = try F.network()
        _ = network.send(Uplink(device: DeviceID(0x2C30EA), payload: []), at: F.start)
        #expect(F.drain(&network).allSatisfy { $0.service != .error })
    }

    @Test("keep-alive must be 0 or 1800 s to 10 years", arguments: [1, 1799, -5, 315_360_001, Int64.max])
    func keepAliveValidation(seconds: Int64) {
        #expect(throws: NetworkSetupError.self) { try F.deviceType(keepAlive: seconds) }
    }

    /// Device A near station 1, device C near stations 1 and 3, device B near station 2 only.
    private func warningNetwork() throws -> NetworkCore {
        let type = try F.deviceType()
        let a = GeoPosition(latitude: 45, longitude: 5)
        let b = GeoPosition(latitude: 40, longitude: 5)
        let c = GeoPosition(latitude: 50, longitude: 5)
        let devices = try [
            Device(id: DeviceID(0xA), deviceType: type.id, position: a),
            Device(id: DeviceID(0xB), deviceType: type.id, position: b),
            Device(id: DeviceID(0xC), deviceType: type.id, position: c),
        ]
        let stations = [
            BaseStation(id: BaseStationID(1), position: F.north(of: a, by: 1000)),
            BaseStation(id: BaseStationID(2), position: F.north(of: b, by: 1000)),
            BaseStation(id: BaseStationID(3), position: F.north(of: c, by: 1000)),
            BaseStation(id: BaseStationID(4), position: F.north(of: c, by: 2000)),
        ]
        return try F.network(type: type, devices: devices, stations: stations)
    }

    @Test("a station going down warns the devices it heard in their last 5 messages, and only them")
    func stationDown() throws {
        var network = try warningNetwork()
        network.setStation(BaseStationID(4), up: false, at: F.start)
        for id in [DeviceID(0xA), DeviceID(0xB), DeviceID(0xC)] {
            _ = network.send(Uplink(device: id, payload: []), at: F.start)
        }
        _ = F.drain(&network)
        network.setStation(BaseStationID(4), up: true, at: F.start + .minutes(1))
        #expect(network.setStation(BaseStationID(1), up: false, at: F.start + .minutes(2)) == 1)
        let warnings = network.advance(to: F.start + .minutes(2))
        #expect(warnings.map(\.device) == [DeviceID(0xA)])
        let warning = try #require(warnings.first)
        #expect(warning.service == .error)
        #expect(warning.rendered(.severity) == "WARN")
        #expect(
            warning.rendered(.info)
                == "Sigfox network experiencing issues that could cause message loss or delay for some devices."
        )
        #expect(warning.due == F.start + .minutes(2))
        // Already down: nothing more.
        #expect(network.setStation(BaseStationID(1), up: false, at: F.start + .minutes(3)) == 0)
    }

    @Test("the warning window is the last 5 messages", arguments: [4, 5])
    func lastFiveMessages(laterMessages: Int) throws {
        var network = try warningNetwork()
        let c = DeviceID(0xC)
        _ = network.send(Uplink(device: c, payload: []), at: F.start)
        _ = F.drain(&network)
        // Station 4 then stops hearing C; C sends more messages through station 3 only.
        network.setStation(BaseStationID(4), up: false, at: F.start + .minutes(1))
        _ = F.drain(&network)
        for index in 0..<laterMessages {
            _ = network.send(Uplink(device: c, payload: []), at: F.start + .minutes(Int64(10 + index)))
        }
        _ = F.drain(&network)
        network.setStation(BaseStationID(4), up: true, at: F.start + .minutes(60))
        network.setStation(BaseStationID(4), up: false, at: F.start + .minutes(120))
        let warned = F.drain(&network).map(\.device)
        #expect(warned == (laterMessages < 5 ? [c] : []))
    }
}
