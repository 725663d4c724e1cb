import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Network core: suspended and unsubscribed devices (API v2 suspend, resume, unsubscribe)")
struct DeviceSuspensionTests {
    typealias F = NetworkFixtures
    static let id = DeviceID(0x2C30EA)

    static func network(_ contract: DeviceContract) throws -> NetworkCore {
        let type = try F.deviceType()
        let device = try Device(id: id, deviceType: type.id, position: F.device, contract: contract)
        return try F.network(type: type, devices: [device])
    }

    static func send(_ network: inout NetworkCore, at seconds: Int64) -> UplinkOutcome {
        network.send(Uplink(device: id, payload: [0x01]), at: F.start + .seconds(seconds))
    }

    @Test("a suspended device's uplinks and status messages are refused and counted; no sequence number is used")
    func suspended() throws {
        var network = try Self.network(DeviceContract(suspended: true))
        #expect(Self.send(&network, at: 0) == .refused(.suspended(Self.id)))
        let status = network.sendStatus(device: Self.id, temperature: 20, battery: 3.3, at: F.start + .seconds(60))
        #expect(status == .refused(.suspended(Self.id)))
        #expect(F.drain(&network).isEmpty)
        #expect(network.counters.refused == 2)
        #expect(network.counters.refusedInactive == 2)
        #expect(network.counters.uplinks == 0)
        // Resumed: the device goes on with the number it had.
        var device = try Device(id: Self.id, deviceType: F.typeID, position: F.device)
        device.contract.suspended = false
        try network.upsertDevice(device)
        guard case .received(let message) = Self.send(&network, at: 120) else {
            Issue.record("expected the resumed device's uplink to be received")
            return
        }
        #expect(message.seqNumber == 0)
    }

    @Test("an unsubscribed device's uplinks are taken until its unsubscription time, refused from then on")
    func unsubscribed() throws {
        let end = F.start + .seconds(600)
        var network = try Self.network(DeviceContract(unsubscriptionTime: end))
        guard case .received = Self.send(&network, at: 599) else {
            Issue.record("expected the uplink before the unsubscription time to be received")
            return
        }
        #expect(Self.send(&network, at: 600) == .refused(.unsubscribed(device: Self.id, since: end)))
        #expect(network.counters.refusedInactive == 1)
        #expect(UplinkRefusal.unsubscribed(device: Self.id, since: end).description.contains("unsubscribed since"))
    }
}
