import SigfoxModel

/// What a device sends: an uplink of 0 to 12 bytes, maybe asking for a downlink (SIGFOX.md section 1).
public struct Uplink: Sendable, Equatable {
    public var device: DeviceID
    public var payload: [UInt8]
    /// The device asks for a downlink (`{ack}`, SIGFOX.md section 5).
    public var ack: Bool
    /// Frames to send instead of the device's own setting (1 or 3), or nil.
    public var frames: Int?

    public init(device: DeviceID, payload: [UInt8], ack: Bool = false, frames: Int? = nil) {
        self.device = device
        self.payload = payload
        self.ack = ack
        self.frames = frames
    }

    /// The longest payload an uplink may carry (SIGFOX.md section 1).
    public static let maximumPayload = 12

    /// A payload that counts: `index` as `bytes` big-endian bytes (the low ones when it does not fit).
    public static func counterPayload(_ index: Int, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: UInt64(truncatingIfNeeded: index) >> (8 * UInt64(bytes - 1 - $0))) }
    }
}

/// One station's view of one message: the frames it heard and the best of them (SIGFOX.md section 1).
public struct Reception: Sendable, Equatable {
    public var station: BaseStationID
    /// The best RSSI over the frames heard, dBm, rounded to hundredths (as `{rssi}` writes it).
    public var rssi: Double
    /// The SNR of the best frame, dB, rounded to hundredths.
    public var snr: Double
    /// Frames heard, 1...3 (`nbRep` of `{duplicates}`).
    public var nbRep: Int
    /// When the station heard its first frame (before the network delay).
    public var firstHeard: SimulationTime
    /// Index of the station in the fleet's sorted stations.
    var stationIndex: Int32
    /// Index of the station in the device's list of stations in reach.
    var reachIndex: Int32
}

/// A message the network received: the uplink, every station that heard it, and its link quality.
public struct Message: Sendable, Equatable {
    /// Device, sequence number and first reception: how a BIDIR answer finds its message.
    public var id: MessageID
    public var deviceType: DeviceTypeID
    /// When the device sent its first frame; the downlink window counts from here.
    public var sentAt: SimulationTime
    public var payload: [UInt8]
    public var ack: Bool
    /// Frames the device sent (1 or 3).
    public var frames: Int
    /// One per station that heard at least one frame, best RSSI first (ties: lower station id first). Empty
    /// only for a recorded message that came without per-station data (``RecordedUplink``).
    public var receptions: [Reception]
    /// LQI from the best RSSI and the number of stations (SIGFOX.md section 1).
    public var linkQuality: LinkQuality
    /// The message is past the device type's daily uplink limit (see ``NetworkCore/OverLimitPolicy``).
    public var isOverLimit: Bool
    /// Which uplink of the device's UTC day this is, 1 for the first.
    public var uplinkOfDay: Int
    /// What a recorded message says beyond its receptions (its computed location, operator and country),
    /// which DATA_ADVANCED gives as recorded (``NetworkCore/sendRecorded(_:at:)``); nil for the radio's own.
    public var recorded: RecordedUplink.Details? = nil

    public var device: DeviceID { id.device }
    public var seqNumber: Int { id.seqNumber }
    public var firstReception: SimulationTime { id.firstReception }
    /// The reception with the best RSSI, nil for a recorded message without per-station data.
    public var best: Reception? { receptions.first }
}

/// What became of an uplink handed to ``NetworkCore/send(_:at:)``.
public enum UplinkOutcome: Sendable, Equatable {
    /// At least one station heard it; its callbacks are scheduled.
    case received(Message)
    /// No station heard any frame: the message is lost and counted (``NetworkCounters/lost``).
    case lost(device: DeviceID, seqNumber: Int)
    /// Heard, but past the daily limit under ``NetworkCore/OverLimitPolicy/drop``: no callback fires.
    case droppedOverLimit(Message)
    /// Heard, but turned down by the cloud (out of sequence, off contract, SIGFOX.md section 8): no
    /// callback fires for it.
    case rejected(Message, MessageRejection)
    /// Not sent at all: nothing was counted and no sequence number was used.
    case refused(UplinkRefusal)

    /// The message, when the network received it (whether or not it was then dropped).
    public var message: Message? {
        switch self {
        case .received(let message), .droppedOverLimit(let message), .rejected(let message, _): return message
        case .lost, .refused: return nil
        }
    }
}

/// Why the network would not take an uplink.
public enum UplinkRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownDevice(DeviceID)
    /// SIGFOX.md section 1: at most 12 bytes.
    case payloadTooLong(device: DeviceID, bytes: Int)
    /// The device is suspended (``DeviceContract/suspended``): the cloud stores nothing and fires nothing.
    case suspended(DeviceID)
    /// The device's subscription ended at `since` (``DeviceContract/unsubscriptionTime``).
    case unsubscribed(device: DeviceID, since: SimulationTime)

    public var description: String {
        switch self {
        case .unknownDevice(let device): return "device \(device) is not in the fleet"
        case .payloadTooLong(let device, let bytes):
            return "device \(device): an uplink carries at most 12 bytes, this one has \(bytes)"
        case .suspended(let device):
            return "device \(device) is suspended: the cloud takes none of its uplinks until it is resumed"
        case .unsubscribed(let device, let since):
            return
                "device \(device) is unsubscribed since \(since.milliseconds) (epoch ms): the cloud takes none of its uplinks"
        }
    }
}

/// A downlink the network transmitted: what a scenario checks to say "device X got downlink Y".
public struct EmittedDownlink: Sendable, Equatable {
    public var device: DeviceID
    /// Exactly 8 bytes (SIGFOX.md section 1).
    public var data: [UInt8]
    public var time: SimulationTime
    /// The uplink that asked for it.
    public var message: MessageID
    /// The station that transmitted it (the best one still up).
    public var station: BaseStationID

    public init(device: DeviceID, data: [UInt8], time: SimulationTime, message: MessageID, station: BaseStationID) {
        self.device = device
        self.data = data
        self.time = time
        self.message = message
        self.station = station
    }
}

/// Running totals of the network core, for reports and benchmarks.
public struct NetworkCounters: Sendable, Equatable {
    /// Uplinks sent (refused ones excluded), status messages included.
    public var uplinks = 0
    /// Out-of-band status messages sent.
    public var statusMessages = 0
    /// Messages at least one station heard.
    public var messages = 0
    /// Messages no station heard.
    public var lost = 0
    /// Uplinks past their device type's daily limit (delivered or dropped).
    public var overLimit = 0
    /// Over-limit uplinks dropped under ``NetworkCore/OverLimitPolicy/drop``.
    public var droppedOverLimit = 0
    /// Uplinks refused (unknown device, payload over 12 bytes, suspended or unsubscribed device).
    public var refused = 0
    /// Of ``refused``, the uplinks of a suspended or unsubscribed device.
    public var refusedInactive = 0
    public var downlinksEmitted = 0
    /// BIDIR answers that came after the listening window, or for no open request.
    public var ignoredAnswers = 0
    /// Messages accepted with an INVALID_SEQ_NUMBER warning (a minor gap, SIGFOX.md section 8).
    public var sequenceWarnings = 0
    /// Messages rejected out of sequence (the one that left the sequence and every one until a disengage).
    public var rejectedOutOfSequence = 0
    /// Messages rejected because the device was off contract.
    public var rejectedOffContract = 0
    private var triggerCounts = [Int](repeating: 0, count: CallbackService.allCases.count)

    public init() {}

    /// Triggers handed out for `service`.
    public func triggers(for service: CallbackService) -> Int { triggerCounts[service.ordinal] }

    /// Triggers handed out, all services.
    public var triggers: Int { triggerCounts.reduce(0, +) }

    /// Adds another network core's counts (a load test's shards).
    public mutating func add(_ other: NetworkCounters) {
        uplinks += other.uplinks
        statusMessages += other.statusMessages
        messages += other.messages
        lost += other.lost
        overLimit += other.overLimit
        droppedOverLimit += other.droppedOverLimit
        refused += other.refused
        refusedInactive += other.refusedInactive
        downlinksEmitted += other.downlinksEmitted
        ignoredAnswers += other.ignoredAnswers
        sequenceWarnings += other.sequenceWarnings
        rejectedOutOfSequence += other.rejectedOutOfSequence
        rejectedOffContract += other.rejectedOffContract
        for index in triggerCounts.indices { triggerCounts[index] += other.triggerCounts[index] }
    }

    mutating func countTrigger(_ service: CallbackService) { triggerCounts[service.ordinal] += 1 }
}
