import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Which callbacks a message fires, asked of the callback engine")
struct CallbacksFiredTests {
    /// One callback of each service that matters, in a mixed order, one of them disabled.
    let engine: CallbackEngine = {
        let services = [
            ("ack", "SERVICE/ACKNOWLEDGE", true), ("up", "DATA/UPLINK", true), ("status", "STATUS", true),
            ("off", "DATA/UPLINK", false), ("adv", "SERVICE/DATA_ADVANCED", true), ("bidir", "DATA/BIDIR", true),
        ]
        let list = services.map { id, service, enabled in
            try! definition(#"{"id": "\#(id)", "service": "\#(service)", "url": "http://h/", "enabled": \#(enabled)}"#)
        }
        return CallbackEngine(callbacks: [testDeviceType: list])
    }()

    func fired(ack: Bool, status: Bool) -> [String?] {
        engine.callbacksFired(byMessageOf: testDeviceType, ack: ack, status: status).map(\.id)
    }

    @Test("a data message: its enabled DATA and DATA_ADVANCED callbacks in configured order; ACKNOWLEDGE with ack")
    func dataMessage() {
        #expect(fired(ack: false, status: false) == ["up", "adv", "bidir"])
        #expect(fired(ack: true, status: false) == ["ack", "up", "adv", "bidir"])
    }

    @Test("a status message fires STATUS only; an unknown device type nothing")
    func statusAndUnknown() {
        #expect(fired(ack: true, status: true) == ["status"])
        let other = DeviceTypeID("5964a10570c85b51ccbaf498")!
        #expect(engine.callbacksFired(byMessageOf: other, ack: true, status: false).isEmpty)
    }
}
