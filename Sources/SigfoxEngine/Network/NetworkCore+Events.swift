import SigfoxModel

/// Why the cloud turned down a message the stations heard (SIGFOX.md section 8).
public enum MessageRejection: Sendable, Equatable, CustomStringConvertible {
    /// The sequence number is too far ahead of the last recorded one, or the device has been out of
    /// sequence since such a message and was not disengaged.
    case outOfSequence
    /// The device's token ended and was not renewed.
    case offContract

    public var description: String {
        switch self {
        case .outOfSequence: return "out of message sequence"
        case .offContract: return "off contract"
        }
    }
}

/// What a contract event (OFF_CONTRACT, TOKEN_RENEWAL) says about the contract (SIGFOX.md section 8).
///
/// **Emulator rule:** fields not given take the defaults below; operator ids have no value (`null`)
/// unless given.
public struct ContractDetails: Sendable, Equatable {
    public var contractId: String
    public var networkOperatorId: String?
    public var businessOperatorId: String?
    /// `{deviceShortCause}` and `{deviceCause}`; nil: `TOKEN_EXPIRED` / `TOKEN_RENEWED` and their sentences.
    public var shortCause: String?
    public var cause: String?

    public static let defaultContractID = "000000000000000000000002"

    public init(
        contractId: String = Self.defaultContractID,
        networkOperatorId: String? = nil,
        businessOperatorId: String? = nil,
        shortCause: String? = nil,
        cause: String? = nil
    ) {
        self.contractId = contractId
        self.networkOperatorId = networkOperatorId
        self.businessOperatorId = businessOperatorId
        self.shortCause = shortCause
        self.cause = cause
    }
}

/// How a scenario changes the sequence numbers a device sends.
public enum SequenceChange: Sendable, Equatable {
    /// The device skips this many numbers (as if it sent messages nobody heard).
    case skip(Int)
    /// The device's next message carries this number (0: the device was reset).
    case set(Int)
}

/// A device's standing with the cloud (SIGFOX.md section 8), as ``NetworkCore/lifecycle(of:)`` tells it.
public struct DeviceLifecycle: Sendable, Equatable {
    public var outOfSequence = false
    public var offContract = false
    public var tokenEnd: SimulationTime?

    public init(outOfSequence: Bool = false, offContract: Bool = false, tokenEnd: SimulationTime? = nil) {
        self.outOfSequence = outOfSequence
        self.offContract = offContract
        self.tokenEnd = tokenEnd
    }
}

/// What the cloud remembers of a device's sequence and contract (SIGFOX.md section 8).
struct LifecycleState: Sendable {
    /// The last valid sequence number recorded, and when; nil before the first message and after a
    /// disengage (the next message is then taken whatever its number).
    var lastSequenceNumber: Int?
    var lastSequenceTime = SimulationTime(milliseconds: 0)
    /// Out of sequence (a major gap was seen: messages are rejected until a disengage), off contract (the
    /// token ended: messages are rejected until a renewal), and `{expectedTokenEndTime}` (the contract's
    /// `tokenEnd`, then a renewal's `until`): what ``NetworkCore/lifecycle(of:)`` tells and a store keeps.
    var standing = DeviceLifecycle()
    /// What the last contract event said of the contract (its id, operators), for a token that then ends
    /// by itself.
    var contract = ContractDetails()
}

extension NetworkCore {
    /// **Emulator rule:** the group every device type belongs to unless it names one (`{groupId}`).
    public static let defaultGroupID = "000000000000000000000001"

    /// Whether the cloud takes `message`, by the device's contract and the gap rule of SIGFOX.md section 8;
    /// schedules the event it raises (INVALID_SEQ_NUMBER, OUT_OF_SEQUENCE) at its first reception.
    ///
    /// With `days` the days since the last valid message (1 within the same rolling 24 h) and the daily
    /// limit, `min`/`max` are the smaller/larger of `days × 300` and `limit × (days + 2)`. The forward
    /// distance modulo 4096 (a repeated number counts as 4096) up to `max` is accepted, with the warning when
    /// numbers were skipped; beyond `max` the message is rejected and the device is out of sequence.
    /// **Emulator rule:** between `min` and `max` the message is accepted with the warning; OUT_OF_SEQUENCE
    /// is raised once, by the message that leaves the sequence; messages after it are rejected silently.
    mutating func admit(_ message: Message, device: Int) -> MessageRejection? {
        if devices[device].lifecycle.standing.offContract {
            counters.rejectedOffContract += 1
            return .offContract
        }
        if devices[device].lifecycle.standing.outOfSequence {
            counters.rejectedOutOfSequence += 1
            return .outOfSequence
        }
        let time = message.firstReception
        defer {
            if !devices[device].lifecycle.standing.outOfSequence {
                devices[device].lifecycle.lastSequenceNumber = message.seqNumber
                devices[device].lifecycle.lastSequenceTime = time
            }
        }
        guard let last = devices[device].lifecycle.lastSequenceNumber else { return nil }
        let verdict = Self.sequenceVerdict(
            last: last,
            lastTime: devices[device].lifecycle.lastSequenceTime,
            number: message.seqNumber,
            time: time,
            dailyLimit: types[Int(devices[device].type)].type.dailyUplinkLimit
        )
        if verdict == .inSequence { return nil }
        if verdict == .gap {
            counters.sequenceWarnings += 1
            schedule(.ready(sequenceEvent(.invalidSequenceNumber, message, device: device, last: last)), at: time)
            return nil
        }
        devices[device].lifecycle.standing.outOfSequence = true
        lifecycleRevision &+= 1
        counters.rejectedOutOfSequence += 1
        schedule(.ready(sequenceEvent(.outOfSequence, message, device: device, last: last)), at: time)
        return .outOfSequence
    }

    /// What the gap rule says of `number` at `time` after the last valid `last` at `lastTime`.
    public enum SequenceVerdict: Sendable, Equatable {
        case inSequence
        /// Accepted with INVALID_SEQ_NUMBER.
        case gap
        /// Rejected: OUT_OF_SEQUENCE.
        case outOfSequence
    }

    /// The gap rule of SIGFOX.md section 8 (see ``admit(_:device:)``).
    public static func sequenceVerdict(
        last: Int,
        lastTime: SimulationTime,
        number: Int,
        time: SimulationTime,
        dailyLimit: Int = 140
    ) -> SequenceVerdict {
        var distance = (number - last) & 4095
        if distance == 0 { distance = 4096 }
        if distance == 1 { return .inSequence }
        let elapsed = max(0, time.milliseconds - lastTime.milliseconds)
        let days = max(1, Int((elapsed + 86_399_999) / 86_400_000))
        return distance <= max(days * 300, dailyLimit * (days + 2)) ? .gap : .outOfSequence
    }

    /// Changes the sequence numbers the device sends from now on; false for an unknown device.
    @discardableResult
    public mutating func changeSequence(of id: DeviceID, _ change: SequenceChange) -> Bool {
        guard let index = deviceIndexByID[id].map(Int.init) else { return false }
        switch change {
        case .skip(let count): devices[index].nextSequenceNumber = (devices[index].nextSequenceNumber + count) & 4095
        case .set(let number): devices[index].nextSequenceNumber = number & 4095
        }
        return true
    }

    /// Disengages the device's sequence (`POST /v2/devices/{id}/disengage`): its next message is taken
    /// whatever its number and becomes the new reference. False for an unknown device.
    @discardableResult
    public mutating func disengage(_ id: DeviceID) -> Bool {
        guard let index = deviceIndexByID[id].map(Int.init) else { return false }
        disengage(device: index)
        return true
    }

    private mutating func disengage(device index: Int) {
        if devices[index].lifecycle.standing.outOfSequence { lifecycleRevision &+= 1 }
        devices[index].lifecycle.standing.outOfSequence = false
        devices[index].lifecycle.lastSequenceNumber = nil
    }

    /// Disengages every device of the type (`PUT /v2/device-types/{id}/disengage`); how many.
    @discardableResult
    public mutating func disengage(deviceType: DeviceTypeID) -> Int {
        guard let type = typeIndexByID[deviceType] else { return 0 }
        var count = 0
        for index in devices.indices where devices[index].type == type && !devices[index].retired {
            disengage(device: index)
            count += 1
        }
        return count
    }

    /// The device's token ends at `now`: OFF_CONTRACT fires, and its messages are rejected until a renewal.
    /// False for an unknown device or one already off contract (nothing fires).
    @discardableResult
    public mutating func endContract(
        of id: DeviceID,
        details: ContractDetails = ContractDetails(),
        at now: SimulationTime
    )
        -> Bool
    {
        guard let index = deviceIndexByID[id].map(Int.init), !devices[index].lifecycle.standing.offContract else {
            return false
        }
        devices[index].lifecycle.standing.offContract = true
        devices[index].lifecycle.standing.tokenEnd = now
        devices[index].lifecycle.contract = details
        lifecycleRevision &+= 1
        schedule(.ready(contractEvent(.offContract, device: index, details: details, at: now)), at: now)
        return true
    }

    /// Arms the end of the device's token (``DeviceContract/tokenEnd``), when it has one.
    mutating func armTokenEnd(device: Int) {
        guard let end = devices[device].device.contract.tokenEnd else { return }
        devices[device].lifecycle.standing.tokenEnd = end
        schedule(.tokenExpiry(device: Int32(device)), at: end)
    }

    /// A token end comes due: OFF_CONTRACT, unless a renewal moved the end since (its own check is armed) or
    /// the device is already off contract or gone.
    mutating func expireToken(device: Int, at now: SimulationTime, into output: inout [CallbackTrigger]) {
        let state = devices[device]
        guard !state.retired, !state.lifecycle.standing.offContract, state.lifecycle.standing.tokenEnd == now else {
            return
        }
        devices[device].lifecycle.standing.offContract = true
        lifecycleRevision &+= 1
        output.append(contractEvent(.offContract, device: device, details: state.lifecycle.contract, at: now))
    }

    /// The device's subscription is prolonged until `until` (nil: no end known): TOKEN_RENEWAL fires, a
    /// device off contract is on contract again, and at `until` its token ends (OFF_CONTRACT) unless
    /// renewed again. False for an unknown device.
    @discardableResult
    public mutating func renewContract(
        of id: DeviceID,
        until: SimulationTime?,
        details: ContractDetails = ContractDetails(),
        at now: SimulationTime
    ) -> Bool {
        guard let index = deviceIndexByID[id].map(Int.init) else { return false }
        devices[index].lifecycle.standing.offContract = false
        devices[index].lifecycle.standing.tokenEnd = until
        devices[index].lifecycle.contract = details
        lifecycleRevision &+= 1
        schedule(.ready(contractEvent(.tokenRenewal, device: index, details: details, at: now)), at: now)
        // The prolonged token ends by itself at `until`.
        if let until, until > now { schedule(.tokenExpiry(device: Int32(index)), at: until) }
        return true
    }

    /// Whether the device is off contract or out of sequence, and its token's end; nil for an unknown device.
    public func lifecycle(of id: DeviceID) -> DeviceLifecycle? {
        deviceIndexByID[id].map { devices[Int($0)].lifecycle.standing }
    }

    /// The devices whose lifecycle is not the default one (out of sequence, off contract, or with a token
    /// end), for a store to keep across a restart.
    public var lifecycles: [DeviceID: DeviceLifecycle] {
        var result = [DeviceID: DeviceLifecycle]()
        for (id, index) in deviceIndexByID where devices[Int(index)].lifecycle.standing != DeviceLifecycle() {
            result[id] = devices[Int(index)].lifecycle.standing
        }
        return result
    }

    /// Puts back what a store kept (``lifecycles``); the next message is taken as the new reference of the
    /// sequence, and a token end still to come is armed again. Does nothing for an unknown device.
    public mutating func restore(_ lifecycle: DeviceLifecycle, of id: DeviceID) {
        guard let index = deviceIndexByID[id].map(Int.init) else { return }
        devices[index].lifecycle.standing = lifecycle
        if let end = lifecycle.tokenEnd, !lifecycle.offContract {
            schedule(.tokenExpiry(device: Int32(index)), at: end)
        }
    }

    // MARK: Triggers

    private func eventBindings(_ type: DeviceEventType, device: Int, at now: SimulationTime) -> VariableBindings {
        let state = devices[device]
        let profile = types[Int(state.type)]
        var bindings = profile.template
        bindings[.device] = state.idValue
        bindings[.sourceId] = state.idValue
        bindings[.sourceType] = .text("DEVICE")
        bindings[.time] = .integer(now.epochSeconds)
        bindings[.eventType] = .text(type.rawValue)
        bindings[.severity] = .text(type.severity)
        bindings[.groupId] = .text(profile.type.groupID)
        bindings[.deviceInfo] = .json(deviceInfo(device: device))
        for variable in [
            StandardVariable.deviceMessageSeqnumber, .deviceMessageTime, .deviceExpectedSeqnumber,
            .deviceLastSeqnumber, .contractId, .contractIds, .subscriptionState, .networkOperatorId,
            .businessOperatorId, .deviceShortCause, .deviceCause, .expectedSubscriptionDurationEndTime,
            .expectedTokenEndTime,
        ] {
            bindings[variable] = .null
        }
        return bindings
    }

    private func trigger(
        _ type: DeviceEventType,
        device: Int,
        bindings: VariableBindings,
        at now: SimulationTime
    )
        -> CallbackTrigger
    {
        CallbackTrigger(
            service: .event,
            deviceType: types[Int(devices[device].type)].type.id,
            device: devices[device].device.id,
            due: now,
            firstReception: now,
            bindings: bindings,
            eventType: type
        )
    }

    private func sequenceEvent(_ type: DeviceEventType, _ message: Message, device: Int, last: Int) -> CallbackTrigger {
        let time = message.firstReception
        var bindings = eventBindings(type, device: device, at: time)
        bindings[.deviceMessageSeqnumber] = .integer(Int64(message.seqNumber))
        bindings[.deviceMessageTime] = .integer(time.epochSeconds)
        // Sigfox's two pages swap the names of the last valid number: both carry it.
        bindings[.deviceExpectedSeqnumber] = .integer(Int64(last))
        bindings[.deviceLastSeqnumber] = .integer(Int64(last))
        return trigger(type, device: device, bindings: bindings, at: time)
    }

    private func contractEvent(
        _ type: DeviceEventType,
        device: Int,
        details: ContractDetails,
        at now: SimulationTime
    )
        -> CallbackTrigger
    {
        var bindings = eventBindings(type, device: device, at: now)
        let ended = type == .offContract
        bindings[.contractId] = .text(details.contractId)
        bindings[.contractIds] = .text(details.contractId)
        bindings[.subscriptionState] = .text(ended ? "ENDED" : "ACTIVE")
        bindings[.networkOperatorId] = details.networkOperatorId.map(VariableValue.text) ?? .null
        bindings[.businessOperatorId] = details.businessOperatorId.map(VariableValue.text) ?? .null
        bindings[.deviceShortCause] = .text(details.shortCause ?? (ended ? "TOKEN_EXPIRED" : "TOKEN_RENEWED"))
        bindings[.deviceCause] = .text(
            details.cause ?? (ended ? "The token of the device has expired" : "The subscription was renewed")
        )
        let end = devices[device].lifecycle.standing.tokenEnd.map { VariableValue.integer($0.epochSeconds) } ?? .null
        bindings[.expectedSubscriptionDurationEndTime] = end
        bindings[.expectedTokenEndTime] = end
        return trigger(type, device: device, bindings: bindings, at: now)
    }

    /// `{deviceInfo}`: `{"id","name","state","lastCom","avgSignal"}`. **Emulator rule:** the name is the
    /// hex id, `state` is `OK`, `OFF_CONTRACT` or `OUT_OF_SEQUENCE`, `lastCom` the last message's first
    /// reception (`yyyy-MM-dd HH:mm:ss`, null before any) and `avgSignal` the `{avgSnr}` of the device.
    private func deviceInfo(device: Int) -> String {
        let state = devices[device]
        let id = JSONText.quoted(state.device.id.description)
        let status =
            state.lifecycle.standing.offContract
            ? "OFF_CONTRACT" : state.lifecycle.standing.outOfSequence ? "OUT_OF_SEQUENCE" : "OK"
        let lastCom = state.lastHeard.map { JSONText.quoted(Self.utcText($0)) } ?? "null"
        let average = JSONText.quoted(averageSNR(device: device).renderedText)
        return "{\"id\":\(id),\"name\":\(id),\"state\":\"\(status)\",\"lastCom\":\(lastCom),\"avgSignal\":\(average)}"
    }
}
