import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Testing

@Suite("Scenario files: a device's suspended and unsubscriptionTime (what serve's API v2 writes)")
struct DeviceStandingScenarioTests {
    static func scenario(_ fields: String) -> String {
        """
        start: 2026-01-01T00:00:00Z
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes: [{ name: T, callbacks: [] }]
        devices:
          - { id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44\(fields) }
          - { count: 2, firstId: 1000, deviceType: T, area: { lat: 43.6, lng: 1.44, sizeKm: 1 }\(fields) }
        """
    }

    @Test("suspended and unsubscriptionTime load into the device's contract, listed or generated")
    func loads() throws {
        let scenario = try Scenario.parse(Self.scenario(", suspended: true, unsubscriptionTime: 1767225600.5"))
        #expect(scenario.devices.count == 3)
        for device in scenario.devices {
            #expect(device.contract.suspended)
            #expect(device.contract.unsubscriptionTime == SimulationTime(milliseconds: 1_767_225_600_500))
        }
        let plain = try Scenario.parse(Self.scenario(""))
        #expect(plain.devices.allSatisfy { !$0.contract.suspended && $0.contract.unsubscriptionTime == nil })
    }

    @Test(
        "a wrong value is an error naming the field",
        arguments: [
            (", suspended: maybe", "devices[0].suspended: expected true or false"),
            (", unsubscriptionTime: soon", "devices[0].unsubscriptionTime: expected +DURATION (+30d)"),
        ]
    )
    func errors(fields: String, message: String) {
        do {
            _ = try Scenario.parse(Self.scenario(fields), file: "bad.yaml")
            Issue.record("accepted: \(fields)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
