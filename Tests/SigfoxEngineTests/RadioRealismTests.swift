import Foundation
import SigfoxModel
import Testing

@testable import SigfoxEngine

@Suite("Network core: radio values a receiver would believe")
struct RadioRealismTests {
    typealias F = NetworkFixtures

    /// The best reception of one uplink when every station hears exactly `rssi` dBm.
    static func best(at rssi: Double) throws -> Reception {
        var network = try F.network(configuration: F.flat(rssi: rssi))
        guard case .received(let message) = network.send(Uplink(device: DeviceID(0x2C30EA), payload: []), at: F.start)
        else { throw NetworkSetupError("not received at \(rssi) dBm") }
        return try #require(message.best)
    }

    /// The receptions recorded from the real cloud (`Tests/Fixtures/recorded-receptions.json`).
    static func recorded() throws -> [(rssi: Double, snr: Double)] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/recorded-receptions.json")
        let root = try JSONParser.parse(String(contentsOf: url, encoding: .utf8))
        guard case .array(let items) = root["receptions"]?.value else { throw NetworkSetupError("no receptions") }
        return items.compactMap { item in
            guard let rssi = item["rssi"]?.scalarText.flatMap(Double.init),
                let snr = item["snr"]?.scalarText.flatMap(Double.init)
            else { return nil }
            return (rssi, snr)
        }
    }

    @Test(
        "SNR: the RSSI over the station's noise floor (-145 dBm), bent toward the 22 dB ceiling",
        arguments: [(-123.0, 18.99), (-135.0, 9.73), (-138.0, 6.86), (-113.0, 21.59), (-96.0, 21.99), (-60.0, 22.0)]
    )
    func snrModel(rssi: Double, snr: Double) throws {
        #expect(try Self.best(at: rssi).snr == snr)
    }

    @Test("the model's SNR meets the recorded pairs within their scatter, where RSSI + 136 missed them by up to 15 dB")
    func recordedPairs() throws {
        let recorded = try Self.recorded()
        #expect(recorded.count == 10)
        let model = RadioModel(configuration: NetworkCore.Configuration(), seed: 1)
        var squares = 0.0
        var oldSquares = 0.0
        for (rssi, snr) in recorded {
            let predicted = model.snr(rssi: rssi, noiseFloor: NetworkCore.Configuration().noiseFloor)
            // Within the bounds of the station spread (±3.46 × 3 dB) and the frame noise (±3.46 × 1.5 dB).
            #expect(abs(predicted - snr) <= 3.46 * 4.5, "\(rssi) dBm: \(snr) recorded, \(predicted) modelled")
            squares += (predicted - snr) * (predicted - snr)
            let old = min(60, max(0, rssi <= -113 ? rssi + 136 : 23 + 2.1 * (rssi + 113)))
            oldSquares += (old - snr) * (old - snr)
        }
        let rms = (squares / Double(recorded.count)).squareRoot()
        let oldRMS = (oldSquares / Double(recorded.count)).squareRoot()
        // About the scatter the stations' floors and the frame noise give (√(3² + 1.5²) = 3.4 dB).
        #expect(rms < 4.5 && rms < oldRMS / 2, "rms \(rms) dB, the former model \(oldRMS) dB")
    }

    @Test("stations differ: the same RSSI gives another SNR at another station, fixed by the seed")
    func stationNoiseFloors() throws {
        var configuration = NetworkCore.Configuration()
        configuration.noiseFloorSpread = 3
        let model = RadioModel(configuration: configuration, seed: 7)
        let floors = (1...50).map { model.noiseFloor(of: BaseStationID(UInt32($0))) }
        #expect(Set(floors).count == 50)
        let mean = floors.reduce(0, +) / 50
        #expect(abs(mean - configuration.noiseFloor) < 1.5)
        #expect(
            floors
                == (1...50).map {
                    RadioModel(configuration: configuration, seed: 7).noiseFloor(of: BaseStationID(UInt32($0)))
                }
        )
        #expect(
            floors
                != (1...50).map {
                    RadioModel(configuration: configuration, seed: 8).noiseFloor(of: BaseStationID(UInt32($0)))
                }
        )
        // Shadowing: one value per station and device, the same on every call, about 6 dB spread.
        let shadows = (1...200).map { model.shadowing(device: DeviceID(UInt32($0)), station: BaseStationID(0x1D44)) }
        #expect(
            shadows == (1...200).map { model.shadowing(device: DeviceID(UInt32($0)), station: BaseStationID(0x1D44)) }
        )
        let spread = (shadows.map { $0 * $0 }.reduce(0, +) / 200).squareRoot()
        #expect(spread > 4.5 && spread < 7.5, "\(spread)")
    }

    @Test("a frame below the minimum SNR is not heard, however strong its RSSI against the sensitivity")
    func minimumSNR() throws {
        #expect(throws: NetworkSetupError.self) { try Self.best(at: -141) }
        #expect(try Self.best(at: -139).snr >= 5)
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
        #expect(message.best?.rssi == -60)
        #expect(message.best?.snr == 22)
        // With noise, never above either.
        var noisy = F.certain
        noisy.rssiNoise = 3
        var network2 = try F.network(stations: [station], configuration: noisy)
        for index in 0..<50 {
            let outcome = network2.send(
                Uplink(device: DeviceID(0x2C30EA), payload: []),
                at: F.start + .minutes(Int64(index))
            )
            if let rssi = outcome.message?.best?.rssi { #expect(rssi <= -60) }
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
