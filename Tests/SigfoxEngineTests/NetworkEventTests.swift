import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Network core: EVENT callbacks (sequence gaps, out of sequence, contracts)")
struct NetworkEventTests {
    typealias F = NetworkFixtures
    static let id = DeviceID(0x2C30EA)

    /// Sends one uplink `seconds` after the start; what became of it.
    static func send(_ network: inout NetworkCore, at seconds: Int64) -> UplinkOutcome {
        network.send(Uplink(device: id, payload: [0x01]), at: F.start + .seconds(seconds))
    }

    static func events(_ network: inout NetworkCore) -> [CallbackTrigger] {
        F.drain(&network).filter { $0.service == .event }
    }

    static func isRejected(_ outcome: UplinkOutcome, _ reason: MessageRejection) -> Bool {
        if case .rejected(_, let found) = outcome { return found == reason }
        return false
    }

    @Test("numbers in sequence raise nothing; a skip raises INVALID_SEQ_NUMBER with the last valid number")
    func minorGap() throws {
        var network = try F.network()
        for index in 0..<3 { _ = Self.send(&network, at: Int64(index) * 600) }
        #expect(Self.events(&network).isEmpty)
        network.changeSequence(of: Self.id, .skip(40))
        let outcome = Self.send(&network, at: 1800)
        guard case .received(let message) = outcome else {
            Issue.record("expected the message to be accepted, got \(outcome)")
            return
        }
        #expect(message.seqNumber == 43)
        let events = Self.events(&network)
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.eventType == .invalidSequenceNumber)
        #expect(event.rendered(.severity) == "WARN")
        #expect(event.rendered(.eventType) == "INVALID_SEQ_NUMBER")
        #expect(event.rendered(.sourceId) == "2C30EA")
        #expect(event.rendered(.sourceType) == "DEVICE")
        #expect(event.rendered(.deviceMessageSeqnumber) == "43")
        #expect(event.rendered(.deviceLastSeqnumber) == "2")
        #expect(event.rendered(.deviceExpectedSeqnumber) == "2")
        #expect(event.rendered(.groupId) == NetworkCore.defaultGroupID)
        #expect(event.rendered(.contractId) == "null")
        #expect(event.due == message.firstReception)
        #expect(event.rendered(.time) == String(message.firstReception.epochSeconds))
        #expect(event.rendered(.deviceInfo).hasPrefix(#"{"id":"2C30EA","name":"2C30EA","state":"OK","lastCom":"#))
        #expect(network.counters.sequenceWarnings == 1)
    }

    @Test(
        "the gap rule: within a day up to 420 ahead is accepted (with the warning), 421 is out of sequence",
        arguments: [(419, true), (420, true), (421, false)]
    )
    func oneDayThreshold(distance: Int, accepted: Bool) throws {
        var network = try F.network()
        _ = Self.send(&network, at: 0)
        network.changeSequence(of: Self.id, .skip(distance - 1))
        let outcome = Self.send(&network, at: 3600)
        if accepted {
            guard case .received = outcome else {
                Issue.record("distance \(distance): expected accepted, got \(outcome)")
                return
            }
        } else {
            #expect(Self.isRejected(outcome, .outOfSequence))
        }
        let events = Self.events(&network)
        #expect(events.map(\.eventType) == [accepted ? .invalidSequenceNumber : .outOfSequence])
    }

    @Test("over two days the bounds are min(600, 560) and max(600, 560): 600 ahead is accepted, 601 not")
    func twoDays() throws {
        for (distance, accepted) in [(600, true), (601, false)] {
            var network = try F.network()
            _ = Self.send(&network, at: 0)
            network.changeSequence(of: Self.id, .skip(distance - 1))
            // 30 hours later: two days.
            let outcome = Self.send(&network, at: 30 * 3600)
            #expect(Self.isRejected(outcome, .outOfSequence) == !accepted, "distance \(distance)")
        }
    }

    @Test("the distance is counted forward modulo 4096: 4090 to 5 is a gap of 10, not a reset")
    func wrapAround() throws {
        let device = try Device(id: Self.id, deviceType: F.typeID, position: F.device, sequenceNumber: 4090)
        var network = try F.network(devices: [device])
        _ = Self.send(&network, at: 0)
        network.changeSequence(of: Self.id, .set(5))
        guard case .received = Self.send(&network, at: 600) else {
            Issue.record("expected the wrapped number to be accepted")
            return
        }
        let events = Self.events(&network)
        #expect(events.map(\.eventType) == [.invalidSequenceNumber])
        #expect(events.first?.rendered(.deviceLastSeqnumber) == "4090")
        #expect(events.first?.rendered(.deviceMessageSeqnumber) == "5")
    }

    @Test("a reset device is out of sequence once; later messages are rejected silently until disengaged")
    func outOfSequenceUntilDisengaged() throws {
        var network = try F.network()
        for index in 0..<10 { _ = Self.send(&network, at: Int64(index) * 600) }
        network.changeSequence(of: Self.id, .set(0))
        #expect(Self.isRejected(Self.send(&network, at: 6000), .outOfSequence))
        #expect(Self.isRejected(Self.send(&network, at: 6600), .outOfSequence))
        let before = F.drain(&network)
        #expect(before.filter { $0.service == .event }.map(\.eventType) == [.outOfSequence])
        #expect(before.filter { $0.service == .event }.first?.rendered(.severity) == "ERROR")
        #expect(before.filter { $0.service == .dataUplink }.count == 10)
        #expect(network.lifecycle(of: Self.id)?.outOfSequence == true)
        #expect(network.counters.rejectedOutOfSequence == 2)

        let disengaged = network.disengage(Self.id)
        #expect(disengaged)
        guard case .received(let message) = Self.send(&network, at: 7200) else {
            Issue.record("expected the message after the disengage to be accepted")
            return
        }
        #expect(message.seqNumber == 2)
        // The accepted message is the new reference: the next one in sequence raises nothing.
        _ = Self.send(&network, at: 7800)
        let after = F.drain(&network)
        #expect(after.filter { $0.service == .event }.isEmpty)
        #expect(after.filter { $0.service == .dataUplink }.count == 2)
    }

    @Test("a device type's disengage reaches every device of the type")
    func disengageType() throws {
        let other = DeviceID(0x2C30EB)
        let devices = try [Self.id, other].map {
            try Device(id: $0, deviceType: F.typeID, position: F.device)
        }
        var network = try F.network(devices: devices)
        for device in [Self.id, other] {
            _ = network.send(Uplink(device: device, payload: []), at: F.start)
            network.changeSequence(of: device, .skip(2000))
            _ = network.send(Uplink(device: device, payload: []), at: F.start + .seconds(60))
            #expect(network.lifecycle(of: device)?.outOfSequence == true)
        }
        let count = network.disengage(deviceType: F.typeID)
        #expect(count == 2)
        for device in [Self.id, other] { #expect(network.lifecycle(of: device)?.outOfSequence == false) }
    }

    @Test(
        "the token ends: nothing fires until the next message, which raises OFF_CONTRACT with its time and station"
    )
    func contract() throws {
        let stations = F.threeStations.map {
            var station = $0
            station.operatorId = String(format: "%04x", station.id.rawValue)
            return station
        }
        var network = try F.network(stations: stations)
        _ = Self.send(&network, at: 0)
        let details = ContractDetails(contractId: "61a0c3e2b7f04d5e8c9a1b2f")
        let ended = network.endContract(of: Self.id, details: details, at: F.start + .seconds(600))
        #expect(ended)
        // Nothing at the token-end instant (https://support.sigfox.com/docs/off-contract: the event is the
        // cloud's answer to a message).
        #expect(Self.events(&network).isEmpty)
        let outcome = Self.send(&network, at: 1200)
        #expect(Self.isRejected(outcome, .offContract))
        let message = try #require(outcome.message)
        let offEvents = Self.events(&network)
        #expect(offEvents.map(\.eventType) == [.offContract])
        let off = try #require(offEvents.first)
        #expect(off.due == message.firstReception)
        #expect(off.rendered(.time) == String(message.firstReception.epochSeconds))
        // "deviceMessageTime: string, yyyy-MM-dd HH:mm:ss, Message reception time": 1700000000 + 1203 s.
        #expect(off.rendered(.deviceMessageTime) == "2023-11-14 22:33:23")
        #expect(off.rendered(.severity) == "ERROR")
        #expect(off.rendered(.contractId) == "61a0c3e2b7f04d5e8c9a1b2f")
        #expect(off.rendered(.contractIds) == "61a0c3e2b7f04d5e8c9a1b2f")
        // The operator of the first station to receive the triggering message (all three heard the first
        // frame at once: the best of them, 0001).
        #expect(off.rendered(.networkOperatorId) == "0001")
        #expect(off.rendered(.businessOperatorId) == "null")
        #expect(off.rendered(.subscriptionState) == "INACTIVE")
        #expect(ContractDetails.subscriptionStates.contains(off.rendered(.subscriptionState)))
        #expect(off.rendered(.deviceShortCause) == "TOKEN_EXPIRED")
        #expect(off.rendered(.expectedTokenEndTime) == String(F.start.epochSeconds + 600))
        #expect(off.rendered(.deviceMessageSeqnumber) == "null")
        #expect(off.rendered(.deviceInfo).contains(#""state":"OFF_CONTRACT""#))
        // Later messages are rejected without another event; a second end changes nothing.
        #expect(Self.isRejected(Self.send(&network, at: 1500), .offContract))
        let endedAgain = network.endContract(of: Self.id, at: F.start + .seconds(1600))
        #expect(!endedAgain)
        #expect(Self.events(&network).isEmpty)
        #expect(network.counters.rejectedOffContract == 2)

        let until = F.start + .seconds(86_400 * 30)
        let renewal = network.renewContract(of: Self.id, until: until, at: F.start + .seconds(1800))
        #expect(renewal)
        #expect(Self.events(&network).isEmpty)
        let renewedOutcome = Self.send(&network, at: 2400)
        guard case .received(let renewedMessage) = renewedOutcome else {
            Issue.record("expected the message after the renewal to be accepted, got \(renewedOutcome)")
            return
        }
        let renewed = Self.events(&network)
        // The rejected messages were never recorded: the one after the renewal skipped numbers.
        #expect(renewed.map(\.eventType) == [.tokenRenewal, .invalidSequenceNumber])
        let first = try #require(renewed.first)
        #expect(first.due == renewedMessage.firstReception)
        #expect(first.rendered(.deviceMessageTime) == "2023-11-14 22:53:23")
        #expect(first.rendered(.severity) == "INFO")
        #expect(first.rendered(.subscriptionState) == "ACTIVATED")
        #expect(first.rendered(.networkOperatorId) == "0001")
        #expect(first.rendered(.expectedTokenEndTime) == String(until.epochSeconds))
        #expect(first.rendered(.expectedSubscriptionDurationEndTime) == String(until.epochSeconds))
        #expect(renewed.last?.rendered(.deviceMessageTime) == "2023-11-14 22:53:23")
        #expect(network.lifecycle(of: Self.id) == DeviceLifecycle(tokenEnd: until))
    }

    @Test("a contract's tokenEnd and a renewal's until end the token for the first message after them")
    func tokenEnd() throws {
        let end = F.start + .seconds(3600)
        let device = try Device(
            id: Self.id,
            deviceType: F.typeID,
            position: F.device,
            contract: DeviceContract(tokenEnd: end)
        )
        var network = try F.network(devices: [device])
        _ = Self.send(&network, at: 0)
        #expect(network.lifecycle(of: Self.id)?.tokenEnd == end)
        // Nothing is due at the end itself: the network has nothing left to do.
        #expect(Self.events(&network).isEmpty)
        #expect(network.nextDue == nil)
        #expect(Self.isRejected(Self.send(&network, at: 4000), .offContract))
        let ended = Self.events(&network)
        #expect(ended.map(\.eventType) == [.offContract] && ended.first?.due == F.start + .seconds(4003))
        #expect(ended.first?.rendered(.expectedTokenEndTime) == String(end.epochSeconds))
        let until = F.start + .seconds(7200)
        _ = network.renewContract(
            of: Self.id,
            until: until,
            details: ContractDetails(contractId: "c2"),
            at: F.start + .seconds(5000)
        )
        // A second renewal before any message replaces the first.
        _ = network.renewContract(
            of: Self.id,
            until: until + .seconds(600),
            details: ContractDetails(contractId: "c3"),
            at: F.start + .seconds(5001)
        )
        _ = Self.send(&network, at: 6000)
        _ = Self.send(&network, at: 8000)
        let events = Self.events(&network).filter { $0.eventType != .invalidSequenceNumber }
        #expect(events.map(\.eventType) == [.tokenRenewal, .offContract])
        #expect(events.first?.rendered(.contractId) == "c3")
        #expect(events.last?.due == F.start + .seconds(8003) && events.last?.rendered(.contractId) == "c3")
        #expect(events.last?.rendered(.expectedTokenEndTime) == String((until + .seconds(600)).epochSeconds))
    }

    @Test("a renewal of an ongoing contract is taken by the first message after the current token's end")
    func prolongation() throws {
        let end = F.start + .seconds(3600)
        let device = try Device(
            id: Self.id,
            deviceType: F.typeID,
            position: F.device,
            contract: DeviceContract(tokenEnd: end)
        )
        var network = try F.network(devices: [device])
        _ = network.renewContract(of: Self.id, until: end + .seconds(86_400), at: F.start)
        guard case .received = Self.send(&network, at: 600) else {
            Issue.record("a message before the end is taken")
            return
        }
        #expect(Self.events(&network).isEmpty)
        guard case .received(let message) = Self.send(&network, at: 4000) else {
            Issue.record("the first message after the end takes the renewal")
            return
        }
        let events = Self.events(&network)
        #expect(events.map(\.eventType) == [.tokenRenewal] && events.first?.due == message.firstReception)
    }

    @Test("a restored standing keeps its token end and waiting renewal; every change of standing moves the revision")
    func restoreAndRevision() throws {
        var network = try F.network()
        let end = F.start + .seconds(600)
        network.restore(DeviceLifecycle(tokenEnd: end), of: Self.id)
        #expect(network.lifecycles == [Self.id: DeviceLifecycle(tokenEnd: end)])
        #expect(network.lifecycleRevision == 0)
        #expect(Self.isRejected(Self.send(&network, at: 700), .offContract))
        let events = Self.events(&network)
        #expect(events.map(\.eventType) == [.offContract] && events.first?.due == F.start + .seconds(703))
        #expect(network.lifecycleRevision == 1)
        _ = network.renewContract(of: Self.id, until: nil, at: end + .seconds(200))
        #expect(network.lifecycleRevision == 2)
        #expect(network.lifecycle(of: Self.id)?.renewalFrom == end + .seconds(200))
        // An in-sequence device's disengage changes nothing a store keeps.
        _ = network.disengage(Self.id)
        #expect(network.lifecycleRevision == 2)
    }

    @Test("only the event callbacks bound to the trigger's event type fire")
    func dispatchByEventType() throws {
        func event(_ type: String) throws -> CallbackDefinition {
            var spec = CallbackSpec(service: .event, channel: .url)
            spec.url = "http://127.0.0.1:9/event?device={sourceId}"
            spec.eventType = type
            return try CallbackDefinition(validating: spec)
        }
        let engine = CallbackEngine(callbacks: [
            F.typeID: [
                try event("INVALID_SEQ_NUMBER"), try event("OFF_CONTRACT"), try event("Out of message sequence"),
            ]
        ])
        var network = try F.network()
        _ = Self.send(&network, at: 0)
        network.endContract(of: Self.id, at: F.start + .seconds(60))
        _ = Self.send(&network, at: 120)
        var scheduler = DeliveryScheduler()
        scheduler.logsCreatedDeliveries = true
        var fired = 0
        for trigger in F.drain(&network) { fired += engine.dispatch(trigger, into: &scheduler) }
        #expect(fired == 1)
        #expect(scheduler.takeCreated().map(\.callback.index) == [1])
    }
}
