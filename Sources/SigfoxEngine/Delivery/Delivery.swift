import SigfoxModel

/// Which callback a delivery belongs to: its device type, its place in the type's list, its name.
public struct CallbackReference: Hashable, Sendable, CustomStringConvertible {
    public var deviceType: DeviceTypeID
    /// Position of the callback in its device type's list (0-based).
    public var index: Int
    public var id: String?
    public var service: CallbackService
    public var channel: CallbackChannel

    public init(deviceType: DeviceTypeID, index: Int, id: String?, service: CallbackService, channel: CallbackChannel) {
        self.deviceType = deviceType
        self.index = index
        self.id = id
        self.service = service
        self.channel = channel
    }

    /// The callback's id, or the one `serve` gives a callback without an id (``defaultID(deviceType:index:)``),
    /// so `run`, `serve` and `uplink` call an unnamed callback by one name.
    public var description: String { id ?? Self.defaultID(deviceType: deviceType, index: index) }

    /// The id of a callback configured without one: 24 hex digits, the first 16 of its device type's id
    /// and its place in the type's list (`5f1d3a2b4c6e8f0a00000001` for the second callback of type
    /// `5f1d3a2b4c6e8f0a1b2c3d4e`), as the real cloud's ids are 24 hex digits.
    public static func defaultID(deviceType: DeviceTypeID, index: Int) -> String {
        let suffix = String(index, radix: 16)
        return String(deviceType.description.prefix(16)) + String(repeating: "0", count: max(0, 8 - suffix.count))
            + suffix
    }
}

/// One message a delivery carries: a URL or EMAIL delivery carries one, a BATCH_URL delivery several.
public struct CarriedMessage: Sendable, Equatable {
    public var device: DeviceID
    public var deviceType: DeviceTypeID
    /// The first reception of the message (or the event's time).
    public var time: SimulationTime
    public var bindings: VariableBindings
    /// Set when the device waits for this delivery's answer (BIDIR, SIGFOX.md section 5).
    public var awaitingDownlink: MessageID?
    /// The message is past its device type's daily uplink limit (SIGFOX.md section 1).
    public var isOverLimit: Bool

    public init(
        device: DeviceID,
        deviceType: DeviceTypeID,
        time: SimulationTime,
        bindings: VariableBindings,
        awaitingDownlink: MessageID? = nil,
        isOverLimit: Bool = false
    ) {
        self.device = device
        self.deviceType = deviceType
        self.time = time
        self.bindings = bindings
        self.awaitingDownlink = awaitingDownlink
        self.isOverLimit = isOverLimit
    }
}

/// One callback request to deliver, with its retries: what the scheduler schedules.
public struct Delivery: Sendable {
    public let id: UInt64
    public let callback: CallbackReference
    /// The rendered request, or why it could not be rendered (a failed try, SIGFOX.md section 4).
    public let rendered: Result<RenderedCallback, RenderError>
    public let messages: [CarriedMessage]
    public let sendSni: Bool
    /// When the first try is due.
    public let firstDue: SimulationTime
    /// Tries made so far.
    public internal(set) var tries = 0

    public init(
        id: UInt64,
        callback: CallbackReference,
        rendered: Result<RenderedCallback, RenderError>,
        messages: [CarriedMessage],
        sendSni: Bool,
        due: SimulationTime
    ) {
        self.id = id
        self.callback = callback
        self.rendered = rendered
        self.messages = messages
        self.sendSni = sendSni
        self.firstDue = due
    }
}
