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
/// **Emulator rule:** fields not given take the defaults below; `{networkOperatorId}` is the operator of the
/// first station that heard the message raising the event (``BaseStation/operatorId``) unless given here,
/// `null` when neither says; `{businessOperatorId}` is `null` unless given.
public struct ContractDetails: Sendable, Equatable {
    public var contractId: String
    public var networkOperatorId: String?
    public var businessOperatorId: String?
    /// `{deviceShortCause}` and `{deviceCause}`; nil: `TOKEN_EXPIRED` / `TOKEN_RENEWED` and their sentences.
    public var shortCause: String?
    public var cause: String?
    /// `{subscriptionState}`, one of ``subscriptionStates``; nil: `INACTIVE` for OFF_CONTRACT, `ACTIVATED` for
    /// TOKEN_RENEWAL.
    public var subscriptionState: String?

    public static let defaultContractID = "000000000000000000000002"
    /// The values Sigfox documents for `{subscriptionState}` (https://support.sigfox.com/docs/off-contract).
    public static let subscriptionStates = ["PRE_ACTIVATED", "TEST_ACTIVATED", "ACTIVATED", "SUSPENDED", "INACTIVE"]

    public init(
        contractId: String = Self.defaultContractID,
        networkOperatorId: String? = nil,
        businessOperatorId: String? = nil,
        shortCause: String? = nil,
        cause: String? = nil,
        subscriptionState: String? = nil
    ) {
        self.contractId = contractId
        self.networkOperatorId = networkOperatorId
        self.businessOperatorId = businessOperatorId
        self.shortCause = shortCause
        self.cause = cause
        self.subscriptionState = subscriptionState
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
    /// The cloud noticed the token had ended (OFF_CONTRACT was raised): messages are rejected.
    public var offContract = false
    /// When the device's token ends; the first message after it raises OFF_CONTRACT or, with a renewal,
    /// TOKEN_RENEWAL.
    public var tokenEnd: SimulationTime?
    /// A renewal waiting for the device's next message: from this time on, that message raises TOKEN_RENEWAL.
    public var renewalFrom: SimulationTime?
    /// The token's new end once that renewal is taken (nil: none known).
    public var renewalUntil: SimulationTime?

    public init(
        outOfSequence: Bool = false,
        offContract: Bool = false,
        tokenEnd: SimulationTime? = nil,
        renewalFrom: SimulationTime? = nil,
        renewalUntil: SimulationTime? = nil
    ) {
        self.outOfSequence = outOfSequence
        self.offContract = offContract
        self.tokenEnd = tokenEnd
        self.renewalFrom = renewalFrom
        self.renewalUntil = renewalUntil
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
    /// What the contract events say of the contract (its id, operators): the last contract end's or
    /// renewal's, for the event the device's next message raises.
    var contract = ContractDetails()
    /// A pending renewal's details (its times are in ``standing``).
    var renewal = ContractDetails()
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
        if let rejection = admitByContract(message, device: device) { return rejection }
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

    /// Whether the contract lets the cloud take `message` (SIGFOX.md section 8, and Sigfox's event pages:
    /// https://support.sigfox.com/docs/off-contract, https://support.sigfox.com/docs/renewal). Both events are
    /// raised by a message: their `{deviceMessageTime}` is its reception time and their
    /// `{networkOperatorId}` the operator of "the first station to receive the triggering message".
    ///
    /// - A renewal waiting since before the message: TOKEN_RENEWAL, the token's end moves to the renewal's,
    ///   and the message goes on to the gap rule.
    /// - Off contract already: rejected, nothing raised.
    /// - The first message at or after the token's end: OFF_CONTRACT, rejected, and the device is off
    ///   contract until a renewal. Nothing is raised at the token-end instant itself.
    mutating func admitByContract(_ message: Message, device: Int) -> MessageRejection? {
        let time = message.firstReception
        var lifecycle = devices[device].lifecycle
        if let from = lifecycle.standing.renewalFrom, time >= from {
            lifecycle.standing.offContract = false
            lifecycle.standing.tokenEnd = lifecycle.standing.renewalUntil
            lifecycle.standing.renewalFrom = nil
            lifecycle.standing.renewalUntil = nil
            lifecycle.contract = lifecycle.renewal
            devices[device].lifecycle = lifecycle
            lifecycleRevision &+= 1
            schedule(.ready(contractEvent(.tokenRenewal, message, device: device)), at: time)
            return nil
        }
        if lifecycle.standing.offContract {
            counters.rejectedOffContract += 1
            return .offContract
        }
        guard let end = lifecycle.standing.tokenEnd, time >= end else { return nil }
        devices[device].lifecycle.standing.offContract = true
        lifecycleRevision &+= 1
        counters.rejectedOffContract += 1
        schedule(.ready(contractEvent(.offContract, message, device: device)), at: time)
        return .offContract
    }

    /// The device's token ends at `now` (a `contractEnd`): its next message raises OFF_CONTRACT and is
    /// rejected, as are the ones after it until a renewal. A renewal still waiting is dropped. False for an
    /// unknown device or one already off contract.
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
        devices[index].lifecycle.standing.tokenEnd = now
        devices[index].lifecycle.standing.renewalFrom = nil
        devices[index].lifecycle.standing.renewalUntil = nil
        devices[index].lifecycle.contract = details
        lifecycleRevision &+= 1
        return true
    }

    /// Sets the end of the device's token from its contract (``DeviceContract/tokenEnd``), when it has one.
    mutating func armTokenEnd(device: Int) {
        guard let end = devices[device].device.contract.tokenEnd else { return }
        devices[device].lifecycle.standing.tokenEnd = end
    }

    /// The device's subscription is prolonged until `until` (nil: no end known). TOKEN_RENEWAL is raised by
    /// the device's first message once the renewal takes effect: at `now` for a device off contract, whose
    /// token has ended or that has no end, else when the current token ends (the prolongation of an ongoing
    /// contract). That message is taken, the device is on contract again, and its token ends at `until`. A
    /// second renewal before the first is taken replaces it. False for an unknown device.
    @discardableResult
    public mutating func renewContract(
        of id: DeviceID,
        until: SimulationTime?,
        details: ContractDetails = ContractDetails(),
        at now: SimulationTime
    ) -> Bool {
        guard let index = deviceIndexByID[id].map(Int.init) else { return false }
        let standing = devices[index].lifecycle.standing
        let from = standing.offContract ? now : max(now, standing.tokenEnd ?? now)
        devices[index].lifecycle.standing.renewalFrom = from
        devices[index].lifecycle.standing.renewalUntil = until
        devices[index].lifecycle.renewal = details
        lifecycleRevision &+= 1
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
    /// sequence, and is judged against the token's end and a waiting renewal as before. Does nothing for an
    /// unknown device.
    public mutating func restore(_ lifecycle: DeviceLifecycle, of id: DeviceID) {
        guard let index = deviceIndexByID[id].map(Int.init) else { return }
        devices[index].lifecycle.standing = lifecycle
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
        bindings[.deviceMessageTime] = .text(Self.utcText(time))
        // Sigfox's two pages swap the names of the last valid number: both carry it.
        bindings[.deviceExpectedSeqnumber] = .integer(Int64(last))
        bindings[.deviceLastSeqnumber] = .integer(Int64(last))
        return trigger(type, device: device, bindings: bindings, at: time)
    }

    /// OFF_CONTRACT or TOKEN_RENEWAL, raised by `message`: at its reception time, which `{time}` and
    /// `{deviceMessageTime}` (`yyyy-MM-dd HH:mm:ss`, UTC, as Sigfox's event pages give it) carry, with the
    /// operator of the first station that heard it. **Emulator rule:** `{subscriptionState}` is one of the
    /// documented values, `INACTIVE` once the token ended and `ACTIVATED` once renewed, unless the contract
    /// details give another; the renewal page lists fewer variables than the off-contract one, and the
    /// others keep their values rather than render `null`.
    private func contractEvent(_ type: DeviceEventType, _ message: Message, device: Int) -> CallbackTrigger {
        let now = message.firstReception
        let lifecycle = devices[device].lifecycle
        let details = lifecycle.contract
        var bindings = eventBindings(type, device: device, at: now)
        let ended = type == .offContract
        bindings[.deviceMessageTime] = .text(Self.utcText(now))
        bindings[.contractId] = .text(details.contractId)
        bindings[.contractIds] = .text(details.contractId)
        bindings[.subscriptionState] = .text(details.subscriptionState ?? (ended ? "INACTIVE" : "ACTIVATED"))
        let firstStation = message.receptions.min {
            $0.firstHeard != $1.firstHeard ? $0.firstHeard < $1.firstHeard : $0.rssi > $1.rssi
        }
        let stationOperator = firstStation.flatMap { stations[Int($0.stationIndex)].station.operatorId }
        bindings[.networkOperatorId] = (details.networkOperatorId ?? stationOperator).map(VariableValue.text) ?? .null
        bindings[.businessOperatorId] = details.businessOperatorId.map(VariableValue.text) ?? .null
        bindings[.deviceShortCause] = .text(details.shortCause ?? (ended ? "TOKEN_EXPIRED" : "TOKEN_RENEWED"))
        bindings[.deviceCause] = .text(
            details.cause ?? (ended ? "The token of the device has expired" : "The subscription was renewed")
        )
        let end = lifecycle.standing.tokenEnd.map { VariableValue.integer($0.epochSeconds) } ?? .null
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
