import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Network core: why an uplink was lost (no silent loss)")
struct NetworkLossTests {
    typealias F = NetworkFixtures
    static let id = DeviceID(0x2C30EA)

    @Test("a device out of every station's reach: lost, with the nearest station and how far a frame carries")
    func outOfReach() throws {
        let far = F.north(of: F.device, by: 300_000)
        var network = try F.network(devices: [try Device(id: Self.id, deviceType: F.typeID, position: far)])
        let outcome = network.send(Uplink(device: Self.id, payload: [1]), at: F.start)
        #expect(outcome == .lost(device: Self.id, seqNumber: 0))
        #expect(network.lastLoss == .outOfReach)
        let losses = network.lostUplinks()
        #expect(losses.count == 1)
        #expect(losses.first?.reason == .outOfReach && losses.first?.count == 1)
        #expect(
            losses.first?.explanation.hasPrefix(
                "out of every base station's reach: the nearest, 0003, is 280 km away; a frame carries about"
            ) == true
        )
        let reach = NetworkCore.reach(
            of: try Device(id: Self.id, deviceType: F.typeID, position: far),
            stations: F.threeStations,
            seed: 1
        )
        #expect(reach.isOutOfReach && reach.nearest?.station == BaseStationID(3))
        // The radio model fitted to the recordings (an urban, indoor device): a frame carries a few km.
        #expect(reach.rangeKilometres.map { $0 > 3 && $0 < 15 } == true, "\(reach.rangeKilometres ?? -1) km")
    }

    @Test("no station at all; every station in reach down; frames missed; counted per device and reason")
    func reasons() throws {
        var empty = try F.network(stations: [])
        _ = empty.send(Uplink(device: Self.id, payload: []), at: F.start)
        #expect(empty.lostUplinks().map(\.explanation) == ["the network has no base station"])

        var network = try F.network()
        for station in 1...3 { _ = network.setStation(BaseStationID(UInt32(station)), up: false, at: F.start) }
        for second in 0..<2 {
            _ = network.send(Uplink(device: Self.id, payload: []), at: F.start + .seconds(Int64(second)))
        }
        let down = try #require(network.lostUplinks().first)
        #expect(down.reason == .stationsDown && down.count == 2)
        #expect(down.explanation == "every station in its reach was down (0001, 0002, 0003)")

        // In reach, but every frame is lost.
        var lossy = F.certain
        lossy.frameLossProbability = 1
        var weak = try F.network(
            stations: [BaseStation(id: BaseStationID(9), position: F.north(of: F.device, by: 10_000))],
            configuration: lossy
        )
        _ = weak.send(Uplink(device: Self.id, payload: []), at: F.start)
        #expect(weak.lastLoss == .framesMissed)
        #expect(weak.lostUplinks().first?.explanation.contains("the best, 0009, receives it at") == true)
    }
}
