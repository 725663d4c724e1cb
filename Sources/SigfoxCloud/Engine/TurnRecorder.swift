import Foundation
import SigfoxEngine
import SigfoxModel

/// What one loop turn of the live engine recorded: messages, fired triggers, deliveries created, tries
/// ended. At the end of the turn it is written in one transaction; then the clients waiting for it get
/// their answers and the event stream its events, so nothing acknowledged is ever missing from the store.
///
/// `@unchecked Sendable`: it is made before the engine thread starts, handed to it once, and used on that
/// thread only.
final class TurnRecorder: @unchecked Sendable {
    let store: CloudStore
    let hub: EventHub
    let metrics: CloudMetrics
    var batch = StoreBatch()
    private var replies: [(Reply, EngineAnswer)] = []
    private var events: [(type: String, json: String)] = []
    /// Events of this turn not written out because nobody listened when they happened (their ids are kept).
    private var unheard = 0
    private var nextMessageID: Int64
    private var nextAttemptID: Int64
    /// The configured devices, to tell what a configuration change adds, changes or removes.
    var devices: [DeviceID: Device] = [:]
    /// Deliveries resumed after their due time, with the note their next try's record carries.
    var overdue: [UInt64: String] = [:]
    /// Deliveries that resend a try (the dashboard's Resend), with that try's id, until they end.
    var resentFrom: [UInt64: Int64] = [:]
    /// The sequence numbers noted this turn (the last one per device wins).
    private var sequences: [DeviceID: Int] = [:]

    init(store: CloudStore, hub: EventHub, metrics: CloudMetrics) throws {
        self.store = store
        self.hub = hub
        self.metrics = metrics
        let (messages, attempts) = try store.lastRecordIDs()
        nextMessageID = messages + 1
        nextAttemptID = attempts + 1
    }

    /// Records a received message; returns its id.
    func record(_ message: Message, status: (Double, Double)?) -> Int64 {
        let id = nextMessageID
        nextMessageID += 1
        let row = StoreBatch.MessageRow(
            id: id,
            kind: status == nil ? "uplink" : "status",
            message: message,
            temperature: status?.0,
            battery: status?.1
        )
        batch.messages.append(row)
        event("message", MessageBody(row).apiJSON)
        metrics.messages.increment()
        return id
    }

    func noteSequence(_ device: DeviceID, next: Int?, countsUplink: Bool = true) {
        if countsUplink { metrics.uplinks.increment() }
        if let next { sequences[device] = next }
    }

    /// Notes the triggers handed to the callbacks (a restart must not fire them twice) and the downlinks
    /// and acknowledgements the network produced.
    func note(_ triggers: [CallbackTrigger], downlinks: [EmittedDownlink]) {
        for trigger in triggers where !trigger.isLegacyDuplicate {
            switch trigger.service {
            case .dataUplink:
                batch.fired.append(.init(device: trigger.device, time: trigger.firstReception, advanced: false))
            case .dataAdvanced:
                batch.fired.append(.init(device: trigger.device, time: trigger.firstReception, advanced: true))
            case .acknowledge:
                let info = trigger.bindings[.infoMessage]?.renderedText ?? ""
                let code = trigger.bindings[.infoCode]?.renderedText ?? "null"
                batch.acknowledgements.append((trigger.device, trigger.firstReception, "\(code) \(info)"))
                event(
                    "acknowledge",
                    AcknowledgeEvent(
                        device: trigger.device.description,
                        messageTime: trigger.firstReception.milliseconds,
                        time: trigger.due.milliseconds,
                        infoCode: EncodedJSON(code),
                        infoMessage: info
                    ).apiJSON
                )
            case .event:
                event(
                    "event",
                    DeviceEventEvent(
                        device: trigger.device.description,
                        eventType: trigger.eventType?.rawValue ?? "",
                        severity: trigger.eventType?.severity ?? "",
                        time: trigger.due.milliseconds
                    ).apiJSON
                )
            default:
                break
            }
        }
        batch.downlinks += downlinks
        for downlink in downlinks {
            metrics.downlinks.increment()
            event(
                "downlink",
                DownlinkEvent(
                    device: downlink.device.description,
                    data: Hex.lowercase(downlink.data),
                    time: downlink.time.milliseconds,
                    messageTime: downlink.message.firstReception.milliseconds,
                    station: downlink.station.description
                ).apiJSON
            )
        }
    }

    /// A try ended (one journal line).
    func record(_ attempt: AttemptRecord) {
        let id = nextAttemptID
        nextAttemptID += 1
        var note: String?
        if attempt.attempt > 0, let overdueNote = overdue.removeValue(forKey: attempt.delivery) { note = overdueNote }
        let resent = resentFrom[attempt.delivery]
        if case .retrying = attempt.outcome {} else { resentFrom[attempt.delivery] = nil }
        // The journal line is written once: the store keeps it and the event carries it.
        let line = attempt.jsonLine
        batch.attempts.append((attempt, note, id, resent, line))
        event("attempt", AttemptJSON.object(id: id, record: attempt, note: note, resentFrom: resent, line: line))
        metrics.record(attempt)
    }

    /// An event of the feed, published after the turn's commit. Its JSON is written only when someone
    /// listens (``EventHub/isHeard``): with nobody on `/sim/events`, an uplink costs no event text.
    func event(_ type: String, _ json: @autoclosure () -> String) {
        if hub.isHeard {
            events.append((type, json()))
        } else {
            unheard += 1
        }
    }

    /// Try `try` was resent as the new delivery `delivery`: linked both ways in the store and the events.
    func noteResend(try tryID: Int64, delivery: UInt64, callback: String, at now: SimulationTime) {
        resentFrom[delivery] = tryID
        batch.resentFrom[delivery] = tryID
        batch.resends.append((tryID, delivery, now))
        event("resend", ResendEvent(try: tryID, resentAs: delivery, delivery: delivery, callback: callback).apiJSON)
    }

    /// Answers `reply` with `answer` once this turn is committed.
    func afterCommit(_ reply: @escaping Reply, _ answer: EngineAnswer) { replies.append((reply, answer)) }

    /// A reset: every record goes, numbering starts again.
    func reset() {
        batch = StoreBatch()
        batch.clearRecords = true
        sequences.removeAll()
        overdue.removeAll()
        resentFrom.removeAll()
        nextMessageID = 1
        nextAttemptID = 1
    }

    /// Writes the turn in one transaction; then answers the clients waiting for it and publishes its
    /// events. Returns false when the store could not write: the turn is kept whole (its records, answers
    /// and events) and written with the next turn, and the engine sends nothing meanwhile (``TriggerSource``).
    func endTurn(created: [Delivery], scheduler: DeliveryScheduler, now: SimulationTime) -> Bool {
        metrics.simulationNow.store(now.milliseconds, ordering: .relaxed)
        batch.created += created
        batch.sequenceNumbers = sequences.map { ($0.key, $0.value) }
        metrics.inFlight.record(scheduler.inFlightCount)
        metrics.pending.record(scheduler.ledger.pending)
        metrics.parked.record(scheduler.parkedCount)
        metrics.spilled.record(scheduler.spilledCount)
        if !batch.isEmpty {
            batch.state.removeAll { $0.0 == CloudServer.clockKey }
            batch.state.append((CloudServer.clockKey, "\(now.milliseconds)"))
            let clock = ContinuousClock()
            let started = clock.now
            do {
                try store.write(batch)
                if store.health.recovered() {
                    FileHandle.standardError.write(
                        Data("sigfox-sim serve: the store writes again; taking uplinks and sending again\n".utf8)
                    )
                }
            } catch {
                if store.health.failed("\(error)") {
                    FileHandle.standardError.write(
                        Data(
                            ("sigfox-sim serve: cannot write the store (\(error)): uplinks are refused with 503 and "
                                + "nothing is sent until it can; trying again every 250 ms\n").utf8
                        )
                    )
                }
                metrics.storeSeconds.record(clock.now - started)
                return false
            }
            metrics.storeSeconds.record(clock.now - started)
        }
        sequences.removeAll(keepingCapacity: true)
        batch = StoreBatch()
        for (reply, answer) in replies { reply(.success(answer)) }
        replies.removeAll(keepingCapacity: true)
        hub.publish(events, unheard: unheard)
        events.removeAll(keepingCapacity: true)
        unheard = 0
        return true
    }
}
