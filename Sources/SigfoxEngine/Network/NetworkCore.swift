import HeapModule
import SigfoxModel

/// The simulated Sigfox network: uplinks in, callback triggers out, each at its simulation time.
///
/// Pure and deterministic (DESIGN.md, "Time" and "Determinism"): every call takes `now`, nothing reads a
/// clock, and all randomness comes from one ``SeededGenerator`` built from `seed`. Drive it like this:
///
/// ```swift
/// var network = try NetworkCore(configuration: .init(), fleet: fleet, seed: 42)
/// _ = network.send(Uplink(device: id, payload: [0x01], ack: true), at: now)
/// while let due = network.nextDue {
///     for trigger in network.advance(to: due) { engine.fire(trigger) }
/// }
/// ```
///
/// ``send(_:at:)`` decides at once what the stations heard and schedules the message's events;
/// ``advance(to:)`` hands out every trigger due by then, in (due, scheduling order). Receptions are fixed
/// when the uplink is sent: a station going down later does not change them.
public struct NetworkCore: Sendable {
    public let configuration: Configuration
    /// Running totals: uplinks, messages, lost, over the limit, triggers by service, downlinks.
    public internal(set) var counters = NetworkCounters()
    /// Every downlink transmitted so far, oldest first (see ``takeEmittedDownlinks()``).
    public internal(set) var emittedDownlinks: [EmittedDownlink] = []
    /// While true, every downlink about to be transmitted fails with NETWORK_ERROR (SIGFOX.md section 5,
    /// scenario-injected).
    public var downlinkNetworkFailure = false

    var generator: SeededGenerator
    let radio: RadioModel
    var types: [TypeProfile]
    var stations: [StationProfile]
    var stationUp: [Bool]
    let stationIDs: [BaseStationID]
    var devices: [DeviceState]
    var deviceIndexByID: [DeviceID: Int32]
    let stationIndexByID: [BaseStationID: Int32]
    /// Stations in reach of each device, all devices end to end; ``DeviceState/links`` says where.
    var links: [RadioModel.Link]
    /// Per link: the device's message number that this station last heard (0: never).
    var lastHeardOnLink: [UInt32]
    /// Per station: the links through which it hears devices, for ERROR/WARN.
    var audience: [[Int32]]
    /// The best SNR of each device's last messages, a ring of ``Configuration/averageSNRHistory`` each.
    var snrHistory: [Double]
    var timers = Heap<Timer>()
    /// Each device type's place in ``types``.
    var typeIndexByID: [DeviceTypeID: Int32]
    /// The stations as configured, for the reach of devices added later (``addDevice(_:)``).
    let fleetStations: [BaseStation]
    var nextSequence: UInt64 = 0
    var downlinkRequests: [MessageID: DownlinkRequest] = [:]
    /// Counts the changes of any device's standing (``lifecycle(of:)``: out of sequence, off contract, token
    /// end), so a store writes ``lifecycles`` only after one.
    public internal(set) var lifecycleRevision: UInt64 = 0
    /// Why the last lost uplink was lost (``lostUplinks()`` has them all, per device).
    public internal(set) var lastLoss: LossReason?
    /// Lost uplinks per device and reason.
    var losses: [LossKey: Int] = [:]

    /// A network for `fleet`, with all randomness drawn from `seed`.
    public init(configuration: Configuration = Configuration(), fleet: Fleet, seed: UInt64) throws(NetworkSetupError) {
        try configuration.validate()
        self.configuration = configuration
        self.generator = SeededGenerator(seed: seed)
        self.radio = RadioModel(configuration: configuration, seed: seed)
        let typeIndex = Dictionary(uniqueKeysWithValues: fleet.deviceTypes.enumerated().map { ($1.id, Int32($0)) })
        self.types = fleet.deviceTypes.map(TypeProfile.init)
        self.typeIndexByID = typeIndex
        self.fleetStations = fleet.baseStations
        self.stations = fleet.baseStations.map(StationProfile.init)
        self.stationUp = fleet.baseStations.map(\.isUp)
        self.stationIDs = fleet.baseStations.map(\.id)
        self.stationIndexByID = Dictionary(
            uniqueKeysWithValues: fleet.baseStations.enumerated().map { ($1.id, Int32($0)) }
        )
        var links: [RadioModel.Link] = []
        var audience = [[Int32]](repeating: [], count: fleet.baseStations.count)
        var devices: [DeviceState] = []
        devices.reserveCapacity(fleet.devices.count)
        for device in fleet.devices {
            let start = links.count
            for link in radio.reach(from: device.position, device: device.id, stations: fleet.baseStations) {
                audience[Int(link.station)].append(Int32(links.count))
                links.append(link)
            }
            devices.append(DeviceState(device: device, type: typeIndex[device.deviceType]!, links: start..<links.count))
        }
        self.links = links
        self.lastHeardOnLink = [UInt32](repeating: 0, count: links.count)
        self.audience = audience
        self.devices = devices
        self.deviceIndexByID = Dictionary(uniqueKeysWithValues: fleet.devices.enumerated().map { ($1.id, Int32($0)) })
        self.snrHistory = [Double](repeating: 0, count: devices.count * configuration.averageSNRHistory)
        for index in self.devices.indices { armTokenEnd(device: index) }
    }

    /// The earliest time at which ``advance(to:)`` has something to hand out, or nil when nothing is due.
    public var nextDue: SimulationTime? {
        timers.min.map { SimulationTime(milliseconds: $0.due) }
    }

    /// Every trigger due at or before `now`, in (due, scheduling order).
    public mutating func advance(to now: SimulationTime) -> [CallbackTrigger] {
        var output: [CallbackTrigger] = []
        while let first = timers.min, first.due <= now.milliseconds {
            let timer = timers.removeMin()
            handle(timer.event, at: SimulationTime(milliseconds: timer.due), into: &output)
        }
        for index in output.indices { counters.countTrigger(output[index].service) }
        return output
    }

    /// The sequence number the device's next message will carry, or nil for an unknown device.
    public func nextSequenceNumber(of device: DeviceID) -> Int? {
        deviceIndexByID[device].map { devices[Int($0)].nextSequenceNumber }
    }

    /// Whether the station is up, or nil for an unknown station.
    public func isStationUp(_ station: BaseStationID) -> Bool? {
        stationIndexByID[station].map { stationUp[Int($0)] }
    }

    /// Hands over the downlinks transmitted since the last call.
    public mutating func takeEmittedDownlinks() -> [EmittedDownlink] {
        defer { emittedDownlinks.removeAll() }
        return emittedDownlinks
    }

    mutating func schedule(_ event: Event, at due: SimulationTime) {
        timers.insert(Timer(due: due.milliseconds, sequence: nextSequence, event: event))
        nextSequence += 1
    }

    private mutating func handle(_ event: Event, at now: SimulationTime, into output: inout [CallbackTrigger]) {
        switch event {
        case .firstReception(let record):
            receiveData(record, into: &output)
        case .dataAdvanced(let record):
            output.append(dataAdvancedTrigger(record))
        case .status(let record, let reading):
            receiveStatus(record, reading: reading, into: &output)
        case .repeater(let record, let status):
            receiveRepeaterStatus(record, status: status, into: &output)
        case .keepAliveCheck(let device):
            checkKeepAlive(device: Int(device), at: now, into: &output)
        case .stationWarning(let device):
            output.append(stationWarningTrigger(device: Int(device), at: now))
        case .downlinkWindowStart(let message):
            openDownlinkWindow(message, at: now, into: &output)
        case .downlinkWindowEnd(let message):
            closeDownlinkWindow(message, at: now, into: &output)
        case .ready(let trigger):
            output.append(trigger)
        }
    }
}

extension NetworkCore {
    /// A scheduled event: ordered by due time, then by the order it was scheduled in.
    struct Timer: Comparable, Sendable {
        var due: Int64
        var sequence: UInt64
        var event: Event

        static func < (lhs: Timer, rhs: Timer) -> Bool {
            lhs.due != rhs.due ? lhs.due < rhs.due : lhs.sequence < rhs.sequence
        }

        static func == (lhs: Timer, rhs: Timer) -> Bool { lhs.due == rhs.due && lhs.sequence == rhs.sequence }
    }

    /// What happens when a timer is due.
    enum Event: Sendable {
        case firstReception(MessageRecord)
        case dataAdvanced(MessageRecord)
        case status(MessageRecord, StatusReading)
        /// Boxed: rare, and the other events stay small.
        indirect case repeater(MessageRecord, RepeaterStatus)
        case keepAliveCheck(device: Int32)
        case stationWarning(device: Int32)
        case downlinkWindowStart(MessageID)
        case downlinkWindowEnd(MessageID)
        /// A trigger made when its cause happened (the lifecycle events of SIGFOX.md section 8); boxed.
        indirect case ready(CallbackTrigger)
    }

    /// A received message, shared by its events without copying.
    final class MessageRecord: Sendable {
        let message: Message
        let device: Int32
        /// `{data}`, written once for DATA and DATA_ADVANCED.
        let dataValue: VariableValue
        /// `{reception}` of DATA and `{duplicates}` of DATA_ADVANCED; nil when the device type's callbacks
        /// use neither (``DeviceType/writesReceptionLists``).
        let receptionValue: VariableValue?
        let duplicatesValue: VariableValue?

        init(message: Message, device: Int32, receptionLists: Bool) {
            self.message = message
            self.device = device
            self.dataValue = .text(Hex.lowercase(message.payload))
            if receptionLists {
                let json = NetworkCore.receptionJSON(message.receptions)
                self.receptionValue = .json(json.reception)
                self.duplicatesValue = .json(json.duplicates)
            } else {
                self.receptionValue = nil
                self.duplicatesValue = nil
            }
        }
    }

    /// The readings of an out-of-band status message (SIGFOX.md section 3: `{temp}`, `{batt}`).
    struct StatusReading: Sendable {
        var temperature: Double
        var battery: Double
    }
}
