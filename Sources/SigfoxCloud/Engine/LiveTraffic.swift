import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// The network core driven live: commands from the APIs (uplinks, status messages, stations, configuration
/// changes) and the scenario's own traffic are applied at the turn's simulation time, between the network's
/// own triggers. The delivery loop drives it like any ``TriggerSource``; it never runs out of work.
struct LiveTraffic: TriggerSource {
    private(set) var network: NetworkCore
    let inbox: CommandInbox
    let recorder: TurnRecorder
    /// The scenario's traffic, moved to start at the service's start.
    private var events: TrafficStream
    private var engineUpdate: CallbackEngine?
    /// Replaces `{receiver}` in callbacks built after a configuration change.
    let receiverURL: String
    /// Set by a reset: the scheduler's work is dropped at the end of the turn.
    private var resetPending = false
    /// Resends asked for this turn: submitted to the scheduler at the end of the turn.
    private var resends: [(Delivery, Int64, Reply)] = []
    /// The network's ``NetworkCore/lifecycleRevision`` last written to the store.
    private var keptLifecycleRevision: UInt64 = 0
    /// The callbacks in force, to tell an uplink's answer which of them it fires.
    private(set) var engine: CallbackEngine

    init(
        network: NetworkCore,
        engine: CallbackEngine,
        events: [ScheduledEvent],
        inbox: CommandInbox,
        recorder: TurnRecorder,
        receiverURL: String
    ) {
        self.network = network
        self.engine = engine
        self.events = TrafficPlan(events: events).stream()
        self.inbox = inbox
        self.recorder = recorder
        self.receiverURL = receiverURL
    }

    var isLive: Bool { true }

    var nextDue: SimulationTime? {
        DeliveryLoop.earliest(events.nextTime, network.nextDue)
    }

    mutating func takeEngineUpdate() -> CallbackEngine? {
        defer { engineUpdate = nil }
        return engineUpdate
    }

    mutating func advance(to now: SimulationTime) -> [CallbackTrigger] {
        var triggers = applyScenario(upTo: now)
        triggers += network.advance(to: now)
        for command in inbox.take() { apply(command, at: now) }
        triggers += network.advance(to: now)
        recorder.note(triggers, downlinks: network.takeEmittedDownlinks())
        return triggers
    }

    mutating func receiveDownlinkAnswer(
        _ answer: DownlinkAnswer,
        for message: MessageID,
        at now: SimulationTime
    ) -> [CallbackTrigger] {
        var triggers = network.advance(to: now)
        triggers += network.receiveDownlinkAnswer(answer, for: message, at: now)
        recorder.note(triggers, downlinks: network.takeEmittedDownlinks())
        return triggers
    }

    mutating func endTurn(scheduler: inout DeliveryScheduler, now: SimulationTime) -> Bool {
        if resetPending {
            resetPending = false
            _ = scheduler.cancelAll(now: now)
            _ = scheduler.takeCreated()
        }
        for (template, tryID, reply) in resends {
            let id = scheduler.makeDeliveryID()
            scheduler.submit(
                Delivery(
                    id: id,
                    callback: template.callback,
                    rendered: template.rendered,
                    messages: template.messages,
                    sendSni: template.sendSni,
                    due: now
                )
            )
            recorder.noteResend(try: tryID, delivery: id, callback: template.callback.description, at: now)
            recorder.afterCommit(reply, .resent(Resend(delivery: id, resentAs: id, resentFrom: tryID)))
        }
        resends.removeAll()
        if network.lifecycleRevision != keptLifecycleRevision { keepLifecycles() }
        return recorder.endTurn(created: scheduler.takeCreated(), scheduler: scheduler, now: now)
    }

    /// The scenario's events due by `now`, each played at its own time as `run` plays them
    /// (``TrafficStream/playNext(upTo:on:)``), then recorded.
    private mutating func applyScenario(upTo now: SimulationTime) -> [CallbackTrigger] {
        var triggers = [CallbackTrigger]()
        while let step = events.playNext(upTo: now, on: &network) {
            triggers += step.triggers
            switch step.played {
            case .message(let outcome, let status):
                record(outcome, status: status.map { ($0.temperature, $0.battery) }, reply: nil)
            case .station(let station, let up):
                recorder.event("station", StationEvent(station: station.description, up: up).apiJSON)
            case .receiver(let response):
                // serve's callbacks go to the URLs they name: no embedded receiver of the scenario's to change.
                recorder.event("receiver", ReceiverEvent(override: response != nil).apiJSON)
            case .lifecycle(let kind):
                noteLifecycle(kind)
            }
        }
        return triggers
    }

    private mutating func apply(_ command: EngineCommand, at now: SimulationTime) {
        switch command {
        case .uplink(let uplink, let reply):
            record(network.send(uplink, at: now), status: nil, reply: reply)
        case .status(let device, let temperature, let battery, let reply):
            record(
                network.sendStatus(device: device, temperature: temperature, battery: battery, at: now),
                status: (temperature, battery),
                reply: reply
            )
        case .station(let id, let up, let reply):
            guard network.isStationUp(id) != nil else {
                reply(.failure(.unknownStation(id)))
                return
            }
            let warned = network.setStation(id, up: up, at: now)
            recorder.event("station", StationEvent(station: id.description, up: up).apiJSON)
            recorder.afterCommit(reply, .station(StationChange(station: id, up: up, warned: warned)))
        case .network(let failure, let device, let reply):
            if let failure { network.downlinkNetworkFailure = failure }
            if let device { network.failNextDownlink(of: device) }
            let failures = NetworkFailures(downlinkFailure: network.downlinkNetworkFailure, failNextDownlink: device)
            recorder.event("network", failures.apiJSON)
            recorder.afterCommit(reply, .network(failures))
        case .lifecycle(let kind, let reply):
            ScheduledEvent(time: now, kind: kind).apply(to: &network)
            noteLifecycle(kind)
            recorder.afterCommit(reply, .lifecycle(kind))
        case .configure(let document, let scenario, let reply):
            do {
                try reconfigure(scenario)
            } catch {
                reply(.failure(.configurationRejected("\(error)")))
                return
            }
            recorder.batch.state.append(("document", document.jsonText))
            recorder.event("configuration", "{}")
            recorder.afterCommit(reply, .configured)
        case .resend(let delivery, let tryID, let reply):
            resends.append((delivery, tryID, reply))
        case .reset(let document, let scenario, let reply):
            do {
                network = try ScenarioBuilder(scenario).network()
                let fresh = try ScenarioBuilder(scenario).callbackEngine(receiverURL: receiverURL)
                engine = fresh
                engineUpdate = fresh
            } catch {
                reply(.failure(.initialConfigurationBroken("\(error)")))
                return
            }
            events = TrafficPlan(events: []).stream()
            resetPending = true
            recorder.reset()
            recorder.batch.state.append(("document", document.jsonText))
            recorder.batch.state.append((Self.lifecycleKey, "{}"))
            keptLifecycleRevision = network.lifecycleRevision
            recorder.event("reset", "{}")
            recorder.afterCommit(reply, .reset)
        }
    }

    /// Applies a checked configuration to the running network and builds the callbacks for the next turn.
    private mutating func reconfigure(_ scenario: Scenario) throws {
        let fresh = try ScenarioBuilder(scenario).callbackEngine(receiverURL: receiverURL)
        for type in scenario.deviceTypes { network.upsertDeviceType(type.type) }
        var kept = Set<DeviceID>()
        for device in scenario.devices {
            kept.insert(device.id)
            if !network.knowsDevice(device.id) || recorder.devices[device.id] != device {
                try network.upsertDevice(device)
            }
        }
        for id in recorder.devices.keys where !kept.contains(id) { network.removeDevice(id) }
        recorder.devices = Dictionary(uniqueKeysWithValues: scenario.devices.map { ($0.id, $0) })
        engine = fresh
        engineUpdate = fresh
    }

    /// Records what became of an uplink or status message and answers the client after the commit.
    private mutating func record(_ outcome: UplinkOutcome, status: (Double, Double)?, reply: Reply?) {
        switch outcome {
        case .refused(let refusal):
            switch refusal {
            case .suspended(let device), .unsubscribed(let device, _):
                // Not silent: scenario traffic of a suspended or unsubscribed device is dropped with an event
                // and counted (``NetworkCounters/refusedInactive``, `sigfox_sim_uplinks_refused_inactive_total`).
                recorder.event("refused", UplinkRefused(device: device, reason: refusal.description).apiJSON)
                recorder.metrics.refusedInactive.increment()
            case .unknownDevice, .payloadTooLong:
                break
            }
            reply?(.failure(.uplink(refusal)))
        case .lost(let device, let seqNumber):
            recorder.noteSequence(device, next: network.nextSequenceNumber(of: device))
            // No silent loss: the answer and the event say why no station heard it.
            let reason = network.lastLoss ?? .framesMissed
            let explanation = network.lossExplanation(of: device, reason: reason) ?? reason.rawValue
            let lost = UplinkLost(
                device: device,
                seqNumber: seqNumber,
                reason: reason.rawValue,
                explanation: explanation
            )
            recorder.event("lost", lost.apiJSON)
            if let reply { recorder.afterCommit(reply, .lost(lost)) }
        case .received(let message), .droppedOverLimit(let message), .rejected(let message, _):
            var dropped = false
            var rejection: String?
            if case .droppedOverLimit = outcome { dropped = true }
            if case .rejected(_, let reason) = outcome {
                dropped = true
                rejection = reason.description
            }
            let id = recorder.record(message, status: status)
            recorder.noteSequence(message.device, next: network.nextSequenceNumber(of: message.device))
            guard let reply else { return }
            let fires =
                dropped
                ? []
                : engine.callbacksFired(byMessageOf: message.deviceType, ack: message.ack, status: status != nil)
                    .map(\.description)
            let accepted = UplinkAccepted(
                id: id,
                device: message.device,
                seqNumber: message.seqNumber,
                time: message.firstReception.milliseconds,
                sentAt: message.sentAt.milliseconds,
                stations: message.receptions.count,
                lqi: message.linkQuality.word(),
                overLimit: message.isOverLimit,
                dropped: dropped,
                rejected: rejection,
                callbacks: fires
            )
            recorder.afterCommit(reply, .message(accepted))
        }
    }

    /// Writes the devices' standing (out of sequence, off contract, token end) to the store's state, so a
    /// restart with the same `--data` keeps it: at the end of a turn in which one changed, whatever changed
    /// it (a command, scenario traffic, a message leaving its sequence, a token ending by itself). Changes
    /// are rare: the whole map each time.
    private mutating func keepLifecycles() {
        recorder.batch.state.append((Self.lifecycleKey, Self.lifecyclesJSON(network.lifecycles)))
        keptLifecycleRevision = network.lifecycleRevision
    }

    /// The store's state key of ``keepLifecycles()``.
    static let lifecycleKey = "lifecycles"

    /// `{"2C30EA":{"outOfSequence":true,"offContract":false,"tokenEnd":null,"renewalFrom":null,
    /// "renewalUntil":null}}`, devices in id order (times in epoch ms).
    static func lifecyclesJSON(_ lifecycles: [DeviceID: DeviceLifecycle]) -> String {
        KeptLifecycles(lifecycles).apiJSON
    }

    /// Reads ``lifecyclesJSON(_:)`` back; entries that do not read are left out.
    static func lifecycles(fromJSON text: String) -> [DeviceID: DeviceLifecycle] {
        guard let root = try? JSONParser.parse(text), let entries = root.entries else { return [:] }
        var result = [DeviceID: DeviceLifecycle]()
        for entry in entries {
            guard let id = DeviceID(hex: entry.key) else { continue }
            func time(_ key: String) -> SimulationTime? {
                entry.node[key]?.scalarText.flatMap { Int64($0) }.map { SimulationTime(milliseconds: $0) }
            }
            result[id] = DeviceLifecycle(
                outOfSequence: entry.node["outOfSequence"]?.scalarText == "true",
                offContract: entry.node["offContract"]?.scalarText == "true",
                tokenEnd: time("tokenEnd"),
                renewalFrom: time("renewalFrom"),
                renewalUntil: time("renewalUntil")
            )
        }
        return result
    }

    /// The `lifecycle` event of the feed: `{"change":"contractEnd","device":"2C30EA"}`.
    static func lifecycleJSON(_ kind: ScheduledEvent.Kind) -> String { LifecycleEvent(kind).apiJSON }

    /// A lifecycle change just applied (a command or the scenario's traffic): its `lifecycle` event, and
    /// for a sequence change the device's next number, which a restart continues from. Returns the event.
    @discardableResult
    private mutating func noteLifecycle(_ kind: ScheduledEvent.Kind) -> String {
        let body = Self.lifecycleJSON(kind)
        if case .sequence(let device, _) = kind {
            recorder.noteSequence(device, next: network.nextSequenceNumber(of: device), countsUplink: false)
        }
        recorder.event("lifecycle", body)
        return body
    }
}
