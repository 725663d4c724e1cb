import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// What the engine answers a command with, once the turn's records are committed: values of the domain,
/// which the HTTP side turns into bodies and statuses (the engine thread never writes an HTTP answer).
enum EngineAnswer: Sendable {
    /// An uplink or status message the network received (or dropped or rejected, and recorded).
    case message(UplinkAccepted)
    /// An uplink no base station heard.
    case lost(UplinkLost)
    /// A base station taken down or brought up.
    case station(StationChange)
    /// The injected downlink failures now in force.
    case network(NetworkFailures)
    /// A lifecycle change applied now (SIGFOX.md section 8).
    case lifecycle(ScheduledEvent.Kind)
    /// A configuration change applied.
    case configured
    /// A try sent again as a new delivery.
    case resent(Resend)
    /// Back to the initial configuration, every record cleared.
    case reset
}

/// Why the engine refused a command.
enum EngineRefusal: Error, Sendable, Equatable {
    case uplink(UplinkRefusal)
    case unknownStation(BaseStationID)
    /// A configuration the network could not take (checked before, so rare).
    case configurationRejected(String)
    /// The initial configuration no longer loads (on a reset).
    case initialConfigurationBroken(String)
    /// The engine stopped before it took the command.
    case shuttingDown
}

/// The answer to a command.
typealias Reply = @Sendable (Result<EngineAnswer, EngineRefusal>) -> Void

/// `POST /sim/devices/{id}/uplinks`' answer: the message as recorded, and the callbacks it fires.
struct UplinkAccepted: Sendable, Equatable, Encodable {
    var id: Int64
    var device: DeviceID
    var seqNumber: Int
    /// The first reception, epoch ms.
    var time: Int64
    var sentAt: Int64
    /// How many base stations heard it.
    var stations: Int
    var lqi: String
    var overLimit: Bool
    var dropped: Bool
    /// Why the network rejected it (out of sequence, off contract), or nil.
    var rejected: String?
    var callbacks: [String]

    enum CodingKeys: String, CodingKey {
        case id, device, seqNumber, time, sentAt, stations, lqi, overLimit, dropped, rejected, callbacks
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(device.description, forKey: .device)
        try container.encode(seqNumber, forKey: .seqNumber)
        try container.encode(time, forKey: .time)
        try container.encode(sentAt, forKey: .sentAt)
        try container.encode(stations, forKey: .stations)
        try container.encode(lqi, forKey: .lqi)
        try container.encode(overLimit, forKey: .overLimit)
        try container.encode(dropped, forKey: .dropped)
        try container.encode(rejected, forKey: .rejected)  // null when accepted: the field is always there
        try container.encode(callbacks, forKey: .callbacks)
    }
}

/// The `refused` event of an uplink the cloud did not take from a suspended or unsubscribed device.
struct UplinkRefused: Sendable, Equatable, Encodable {
    var device: DeviceID
    var reason: String

    enum CodingKeys: String, CodingKey { case device, refused, reason }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(device.description, forKey: .device)
        try container.encode(true, forKey: .refused)
        try container.encode(reason, forKey: .reason)
    }
}

/// An uplink no station heard, and why (no silent loss): the answer and the `lost` event.
struct UplinkLost: Sendable, Equatable, Encodable {
    var device: DeviceID
    var seqNumber: Int
    var reason: String
    var explanation: String

    enum CodingKeys: String, CodingKey { case device, seqNumber, lost, reason, explanation }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(device.description, forKey: .device)
        try container.encode(seqNumber, forKey: .seqNumber)
        try container.encode(true, forKey: .lost)
        try container.encode(reason, forKey: .reason)
        try container.encode(explanation, forKey: .explanation)
    }
}

/// A base station's new state, and how many devices were warned of it (their error callbacks).
struct StationChange: Sendable, Equatable, Encodable {
    var station: BaseStationID
    var up: Bool
    var warned: Int

    enum CodingKeys: String, CodingKey { case station, up, warned }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(station.description, forKey: .station)
        try container.encode(up, forKey: .up)
        try container.encode(warned, forKey: .warned)
    }
}

/// The downlink failures injected (SIGFOX.md section 5, NETWORK_ERROR): the answer and the `network` event.
struct NetworkFailures: Sendable, Equatable, Encodable {
    var downlinkFailure: Bool
    var failNextDownlink: DeviceID?

    enum CodingKeys: String, CodingKey { case downlinkFailure, failNextDownlink }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(downlinkFailure, forKey: .downlinkFailure)
        try container.encode(failNextDownlink?.description, forKey: .failNextDownlink)
    }
}

/// A try sent again: the new delivery, and the try it repeats.
struct Resend: Sendable, Equatable, Encodable {
    var delivery: UInt64
    var resentAs: UInt64
    var resentFrom: Int64
}

/// `POST /sim/reset`'s answer.
struct ResetDone: Sendable, Equatable, Encodable {
    var reset = true
}

extension EngineAnswer {
    /// The answer's JSON body as the control API writes it.
    var json: String {
        switch self {
        case .message(let value): return value.apiJSON
        case .lost(let value): return value.apiJSON
        case .station(let value): return value.apiJSON
        case .network(let value): return value.apiJSON
        case .lifecycle(let kind): return LiveTraffic.lifecycleJSON(kind)
        case .configured: return ""
        case .resent(let value): return value.apiJSON
        case .reset: return ResetDone().apiJSON
        }
    }
}

extension EngineRefusal {
    /// The HTTP side's view of a refusal: its status, message and field.
    var apiError: APIError {
        switch self {
        case .uplink(.unknownDevice(let id)):
            return APIError(status: 404, message: "unknown device \(id)", field: "id")
        case .uplink(.payloadTooLong(_, let bytes)):
            return APIError(
                status: 400,
                message: "the payload has \(bytes) bytes; an uplink carries at most 12",
                field: "payload"
            )
        case .uplink(let refusal):
            // Suspended or unsubscribed: 409 Conflict, the request is right but the device's state turns it
            // down (docs/serve.md).
            return APIError(status: 409, message: refusal.description, field: "id")
        case .unknownStation(let id):
            return APIError(status: 404, message: "no base station \(id)", field: "id")
        case .configurationRejected(let reason):
            return APIError(status: 400, message: reason)
        case .initialConfigurationBroken(let reason):
            return APIError(status: 500, message: "the initial configuration no longer loads: \(reason)")
        case .shuttingDown:
            return APIError(status: 503, message: "sigfox-sim serve is shutting down")
        }
    }
}
