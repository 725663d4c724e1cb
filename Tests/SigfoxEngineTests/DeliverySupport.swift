import Dispatch
import SigfoxEngine
import SigfoxModel
import Synchronization

let testDeviceType = DeviceTypeID("5964a10570c85b51ccbaf497")!
let t0 = SimulationTime(seconds: 1_763_805_600)

/// A callback definition from the readable form, as JSON text.
func definition(_ json: String) throws -> CallbackDefinition {
    try CallbackDefinition(from: JSONParser.parse(json))
}

/// A DATA/UPLINK trigger for `device` at `time`.
func uplinkTrigger(
    device: UInt32 = 0x2C30EA,
    at time: SimulationTime = t0,
    service: CallbackService = .dataUplink,
    seq: Int = 1,
    expectsDownlink: Bool = false
) -> CallbackTrigger {
    var bindings = VariableBindings()
    bindings[.device] = .text(DeviceID(device).description)
    bindings[.time] = .integer(time.epochSeconds)
    bindings[.data] = .text("0102")
    bindings[.seqNumber] = .integer(Int64(seq))
    bindings[.ack] = .bool(expectsDownlink)
    bindings.payload = [1, 2]
    return CallbackTrigger(
        service: service,
        deviceType: testDeviceType,
        device: DeviceID(device),
        due: time,
        firstReception: time,
        bindings: bindings,
        message: MessageID(device: DeviceID(device), seqNumber: seq, firstReception: time),
        expectsDownlink: expectsDownlink
    )
}

/// The attempt records among `events`.
func attempts(_ events: [DeliveryEvent]) -> [AttemptRecord] {
    events.compactMap {
        if case .attempt(let record) = $0 { return record }
        return nil
    }
}
