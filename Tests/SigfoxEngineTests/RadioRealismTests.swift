import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Network core: radio values a receiver would believe")
struct RadioRealismTests {
    typealias F = NetworkFixtures

    /// The best reception of one uplink when every station hears exactly `rssi` dBm.
    static func best(at rssi: Double) throws -> Reception {
        var network = try F.network(configuration: F.flat(rssi: rssi))
        guard case .received(let message) = network.send(Uplink(device: DeviceID(0x2C30EA), payload: []), at: F.start)
        else { throw NetworkSetupError("not received at \(rssi) dBm") }
        return message.best
    }

    @Test(
        "SNR follows the recordings: 13 dB at -123 dBm, 23 at -113, 46 at -102; 0 at the floor, 60 at most",
        arguments: [(-123.0, 13.0), (-118.0, 18.0), (-113.0, 23.0), (-102.0, 46.1), (-140.0, 0.0), (-70.0, 60.0)]
    )
    func snrModel(rssi: Double, snr: Double) throws {
        #expect(try Self.best(at: rssi).snr == snr)
    }

    @Test("a device at a station's coordinates is heard at -60 dBm at most, not at the transmit power")
    func rssiCap() throws {
        let station = BaseStation(id: BaseStationID(0x1D44), position: F.device)
        var network = try F.network(stations: [station])
        guard case .received(let message) = network.send(Uplink(device: DeviceID(0x2C30EA), payload: []), at: F.start)
        else {
            Issue.record("not received")
            return
        }
        #expect(message.best.rssi == -60)
        #expect(message.best.snr == 60)
        // With noise, never above either.
        var noisy = F.certain
        noisy.rssiNoise = 3
        var network2 = try F.network(stations: [station], configuration: noisy)
        for index in 0..<50 {
            let outcome = network2.send(
                Uplink(device: DeviceID(0x2C30EA), payload: []),
                at: F.start + .minutes(Int64(index))
            )
            if let message = outcome.message { #expect(message.best.rssi <= -60) }
        }
    }

    @Test("with one station the computed location is not the station's coordinates, and is written in full")
    func oneStationLocation() throws {
        let station = BaseStation(id: BaseStationID(0x1D44), position: F.north(of: F.device, by: 3000))
        let type = try F.deviceType()
        let device = try Device(
            id: DeviceID(0x2C30EA),
            deviceType: type.id,
            position: F.device,
            contract: DeviceContract(geolocation: true)
        )
        var network = try F.network(type: type, devices: [device], stations: [station])
        _ = network.send(Uplink(device: device.id, payload: []), at: F.start)
        let advanced = try #require(F.drain(&network).first { $0.service == .dataAdvanced })
        let location = try JSONParser.parse(advanced.rendered(.computedLocation))
        let latitude = try #require(location["lat"]?.scalarText.flatMap(Double.init))
        // Half way from the station (45.027) to the device (45).
        #expect(abs(latitude - (45 + station.position.latitude) / 2) < 1e-9)
        #expect(latitude != station.position.latitude)
        #expect(location["lat"]?.scalarText?.count ?? 0 > 10)
        #expect(location["radius"]?.scalarText.flatMap(Int.init) ?? 0 >= 100)
    }
}
