import SigfoxModel

/// One reason to fire the callbacks of one service for one device type: the value the network core
/// hands to the callback engine (DESIGN.md, data flow).
///
/// It carries every variable its service needs, ready for the template renderer, and the simulation
/// time at which the callbacks are due.
public struct CallbackTrigger: Sendable, Equatable {
    /// Which callbacks fire: the enabled ones of this service on the device type.
    public var service: CallbackService
    public var deviceType: DeviceTypeID
    public var device: DeviceID
    /// When the callbacks are due (first reception for DATA, +25 s for DATA_ADVANCED, ...).
    public var due: SimulationTime
    /// The first reception of the message this trigger is about (or the event time when there is no
    /// message): BATCH_URL windows are cut on it (SIGFOX.md section 4).
    public var firstReception: SimulationTime
    public var bindings: VariableBindings
    /// The uplink this trigger comes from, so a BIDIR answer can be matched to it.
    public var message: MessageID?
    /// DATA/BIDIR only: the device asked for a downlink and the device type takes it from its BIDIR
    /// callback, so the answer matters (SIGFOX.md section 5).
    public var expectsDownlink: Bool
    /// Legacy send-duplicate: this DATA trigger is the copy for one more station, and only callbacks
    /// with `sendDuplicate` fire for it (SIGFOX.md section 2).
    public var isLegacyDuplicate: Bool
    /// EVENT only: which event this is; only the event callbacks bound to it fire (SIGFOX.md section 8).
    public var eventType: DeviceEventType?
    /// DATA and DATA_ADVANCED: the message is past the device type's daily uplink limit (SIGFOX.md section 1),
    /// which the journal lines of its tries say.
    public var isOverLimit = false

    public init(
        service: CallbackService,
        deviceType: DeviceTypeID,
        device: DeviceID,
        due: SimulationTime,
        firstReception: SimulationTime,
        bindings: VariableBindings,
        message: MessageID? = nil,
        expectsDownlink: Bool = false,
        isLegacyDuplicate: Bool = false,
        eventType: DeviceEventType? = nil
    ) {
        self.service = service
        self.deviceType = deviceType
        self.device = device
        self.due = due
        self.firstReception = firstReception
        self.bindings = bindings
        self.message = message
        self.expectsDownlink = expectsDownlink
        self.isLegacyDuplicate = isLegacyDuplicate
        self.eventType = eventType
    }
}

/// Names one uplink message: its device and sequence number, and when it was first received.
public struct MessageID: Hashable, Sendable, CustomStringConvertible {
    public var device: DeviceID
    public var seqNumber: Int
    public var firstReception: SimulationTime

    public init(device: DeviceID, seqNumber: Int, firstReception: SimulationTime) {
        self.device = device
        self.seqNumber = seqNumber
        self.firstReception = firstReception
    }

    public var description: String { "\(device)#\(seqNumber)" }
}
