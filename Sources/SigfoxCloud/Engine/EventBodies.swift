import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// The bodies of the event stream (`GET /sim/events`, the dashboard's live feed) that are not answers too,
/// one type per event. Encoded with ``OrderedJSONEncoder``: the keys in the order declared here, the order
/// the dashboard's JavaScript and the tests have always read. (`message` is ``MessageBody``; `lost`,
/// `network` and the station answers are ``EngineAnswer`` values; `attempt` mirrors the journal line, see
/// ``AttemptJSON``.)

/// `station`: a base station taken down or brought up.
struct StationEvent: Encodable {
    var station: String
    var up: Bool
}

/// `receiver`: a `receiver` command, which `serve` ignores (its callbacks go to the URLs they name).
struct ReceiverEvent: Encodable {
    var ignored = true
    var override: Bool
}

/// `acknowledge`: the network's acknowledgement of a downlink (the `DATA_DOWNLINK_ACK`-like callback's
/// variables, SIGFOX.md section 4): `infoCode` as the variable renders it (`null` when it has none).
struct AcknowledgeEvent: Encodable {
    var device: String
    var messageTime: Int64
    var time: Int64
    var infoCode: EncodedJSON
    var infoMessage: String
}

/// `event`: a device event callback fired (`eventType`, `severity`).
struct DeviceEventEvent: Encodable {
    var device: String
    var eventType: String
    var severity: String
    var time: Int64
}

/// `downlink`: a downlink sent to the device (hex `data`), for the message at `messageTime`.
struct DownlinkEvent: Encodable {
    var device: String
    var data: String
    var time: Int64
    var messageTime: Int64
    var station: String
}

/// `resend`: try `try` resent as the new delivery `delivery` (`resentAs` is the same number, the name the
/// dashboard reads).
struct ResendEvent: Encodable {
    var `try`: Int64
    var resentAs: UInt64
    var delivery: UInt64
    var callback: String
}

/// `lifecycle`: a lifecycle change applied: `{"change":"contractEnd","device":"2C30EA"}`, with `skip` or
/// `set` for a sequence change, `deviceType` instead of `device` for a type's disengage.
struct LifecycleEvent: Encodable {
    var change: String
    var skip: Int?
    var set: Int?
    var device: String?
    var deviceType: String?

    init(_ kind: ScheduledEvent.Kind) {
        switch kind {
        case .sequence(let device, .skip(let count)):
            change = "sequence"
            skip = count
            self.device = device.description
        case .sequence(let device, .set(let number)):
            change = "sequence"
            set = number
            self.device = device.description
        case .disengage(let device):
            change = "disengage"
            self.device = device.description
        case .disengageType(let type):
            change = "disengage"
            deviceType = type.description
        case .contractEnd(let device, _):
            change = "contractEnd"
            self.device = device.description
        case .renewal(let device, _, _):
            change = "renewal"
            self.device = device.description
        default:
            change = "other"
        }
    }
}

/// A device's lifecycle as the store keeps it (state key ``LiveTraffic/lifecycleKey``), times in epoch ms,
/// `null` when unset.
struct KeptLifecycle: Encodable {
    var outOfSequence: Bool
    var offContract: Bool
    var tokenEnd: Int64?
    var renewalFrom: Int64?
    var renewalUntil: Int64?

    init(_ lifecycle: DeviceLifecycle) {
        outOfSequence = lifecycle.outOfSequence
        offContract = lifecycle.offContract
        tokenEnd = lifecycle.tokenEnd?.milliseconds
        renewalFrom = lifecycle.renewalFrom?.milliseconds
        renewalUntil = lifecycle.renewalUntil?.milliseconds
    }

    private enum CodingKeys: String, CodingKey {
        case outOfSequence, offContract, tokenEnd, renewalFrom, renewalUntil
    }

    /// Unset times are written `null`, not left out, as they always were.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outOfSequence, forKey: .outOfSequence)
        try container.encode(offContract, forKey: .offContract)
        try container.encode(tokenEnd, forKey: .tokenEnd)
        try container.encode(renewalFrom, forKey: .renewalFrom)
        try container.encode(renewalUntil, forKey: .renewalUntil)
    }
}

/// Every device's ``KeptLifecycle``, by device id, in id order.
struct KeptLifecycles: Encodable {
    var devices: OrderedObject<KeptLifecycle>

    init(_ lifecycles: [DeviceID: DeviceLifecycle]) {
        devices = OrderedObject(
            entries: lifecycles.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                ($0.key.description, KeptLifecycle($0.value))
            }
        )
    }

    func encode(to encoder: any Encoder) throws { try devices.encode(to: encoder) }
}
