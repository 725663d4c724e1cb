import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel

/// An ACKNOWLEDGE the network fired: which device, and its `{infoMessage}` (SIGFOX.md section 5).
public struct Acknowledgement: Sendable, Equatable {
    public var device: DeviceID
    public var infoMessage: String
    public var time: SimulationTime
}

/// The network core with a scenario's traffic: applies each event (uplink, status message, station going
/// down or up) at its own time, between the network's own triggers, and hands the triggers out. The
/// delivery loop drives it like any ``TriggerSource``.
public struct ScenarioTraffic: TriggerSource {
    public private(set) var network: NetworkCore
    /// The scenario's events, generated as they fall due.
    private var events: TrafficStream
    /// What became of each uplink and status message sent so far, in order (when ``keepsOutcomes``).
    public private(set) var outcomes: [UplinkOutcome] = []
    /// Whether ``outcomes`` keeps every outcome; `run` turns it off, so its memory does not grow with the
    /// length of the traffic (the network's counters count them either way).
    public var keepsOutcomes = true
    /// Every ACKNOWLEDGE trigger, whether or not a callback listens for it.
    public private(set) var acknowledgements: [Acknowledgement] = []
    /// Told the simulation time and how many events were applied, for a progress display.
    private let progress: RunProgress?

    /// Told when a `receiver` traffic item changes the embedded receiver's answers (nil: back to its rules);
    /// set once the receiver listens.
    public var receiverChange: (@Sendable (ReceiverResponse?) -> Void)?
    /// The times of the `receiver` items, in order, and how many were applied: virtual time's lookahead
    /// lets the tries in flight end before it reaches one (``TriggerSource/nextBarrier``), so which tries the
    /// change meets does not depend on real timing.
    private let barriers: [SimulationTime]
    private var barrierPosition = 0

    /// Plays `events` (sorted by time first, equal times keeping their order).
    public init(network: NetworkCore, events: [ScheduledEvent], progress: RunProgress? = nil) {
        self.init(network: network, plan: TrafficPlan(events: events), progress: progress)
    }

    /// Plays the plan's events, each generated when it falls due.
    public init(network: NetworkCore, plan: TrafficPlan, progress: RunProgress? = nil) {
        self.network = network
        self.events = plan.stream()
        self.progress = progress
        self.barriers = plan.receiverChanges
    }

    public var nextBarrier: SimulationTime? {
        barrierPosition < barriers.count ? barriers[barrierPosition] : nil
    }

    /// How many of the scenario's events were applied so far.
    public var applied: Int { events.taken }

    public var nextDue: SimulationTime? {
        DeliveryLoop.earliest(events.nextTime, network.nextDue)
    }

    public mutating func advance(to now: SimulationTime) -> [CallbackTrigger] {
        var triggers = applyDue(now)
        triggers += network.advance(to: now)
        progress?.update(now: now, eventsApplied: events.taken)
        return observe(triggers)
    }

    public mutating func receiveDownlinkAnswer(
        _ answer: DownlinkAnswer,
        for message: MessageID,
        at now: SimulationTime
    ) -> [CallbackTrigger] {
        var triggers = applyDue(now)
        triggers += network.advance(to: now)
        triggers += network.receiveDownlinkAnswer(answer, for: message, at: now)
        return observe(triggers)
    }

    /// Applies every event due by `now`, each at its own time, after the network's triggers due before
    /// it (so a station going down sees the messages received before, SIGFOX.md section 2).
    private mutating func applyDue(_ now: SimulationTime) -> [CallbackTrigger] {
        var triggers = [CallbackTrigger]()
        while let step = events.playNext(upTo: now, on: &network) {
            triggers += step.triggers
            switch step.played {
            case .receiver(let response):
                receiverChange?(response)
                barrierPosition += 1
            case .message(let outcome, _):
                if keepsOutcomes { outcomes.append(outcome) }
            case .station, .lifecycle:
                break
            }
        }
        return triggers
    }

    private mutating func observe(_ triggers: [CallbackTrigger]) -> [CallbackTrigger] {
        for trigger in triggers where trigger.service == .acknowledge {
            acknowledgements.append(
                Acknowledgement(
                    device: trigger.device,
                    infoMessage: trigger.bindings[.infoMessage]?.renderedText ?? "",
                    time: trigger.due
                )
            )
        }
        return triggers
    }
}

/// What playing one scenario event did, for the source that plays it (``TrafficStream/playNext(upTo:on:)``).
public enum PlayedEvent: Sendable {
    /// An uplink, recorded uplink, repeater status or status message, and what became of it; a status
    /// message's readings.
    case message(UplinkOutcome, status: (temperature: Double, battery: Double)?)
    /// A base station went down or came up.
    case station(BaseStationID, up: Bool)
    /// A `receiver` item: the embedded receiver's answers change (nil: back to its rules). Not the network's.
    case receiver(ReceiverResponse?)
    /// A device's standing changed: its sequence, its contract, a disengagement.
    case lifecycle(ScheduledEvent.Kind)
}

extension TrafficStream {
    /// Plays the next event due by `now` on `network`: the network's triggers due before the event, then the
    /// event at its own time. Returns those triggers and what the event did; nil when no event is due.
    /// `run` (``ScenarioTraffic``) and `serve` play a scenario's traffic with it.
    public mutating func playNext(
        upTo now: SimulationTime,
        on network: inout NetworkCore
    ) -> (triggers: [CallbackTrigger], played: PlayedEvent)? {
        guard let time = nextTime, time <= now, let event = next() else { return nil }
        let triggers = network.advance(to: event.time)
        if let outcome = event.apply(to: &network) {
            guard case .status(_, let temperature, let battery) = event.kind else {
                return (triggers, .message(outcome, status: nil))
            }
            return (triggers, .message(outcome, status: (temperature, battery)))
        }
        switch event.kind {
        case .station(let station, let up): return (triggers, .station(station, up: up))
        case .receiver(let response): return (triggers, .receiver(response))
        default: return (triggers, .lifecycle(event.kind))
        }
    }
}

extension ScheduledEvent {
    /// Applies the event to `network` at its own time: what became of an uplink or status message, nil for
    /// a station going down or up. `run` (``ScenarioTraffic``) and `serve` play scenario traffic with it.
    @discardableResult
    public func apply(to network: inout NetworkCore) -> UplinkOutcome? {
        switch kind {
        case .uplink(let uplink):
            return network.send(uplink, at: time)
        case .recorded(let uplink):
            return network.sendRecorded(uplink, at: time)
        case .status(let device, let temperature, let battery):
            return network.sendStatus(device: device, temperature: temperature, battery: battery, at: time)
        case .repeater(let device, let status):
            return network.sendRepeaterStatus(device: device, status: status, at: time)
        case .station(let station, let up):
            network.setStation(station, up: up, at: time)
            return nil
        case .receiver:
            // The embedded receiver is not the network's: ``ScenarioTraffic`` applies it.
            return nil
        case .sequence(let device, let change):
            network.changeSequence(of: device, change)
            return nil
        case .disengage(let device):
            network.disengage(device)
            return nil
        case .disengageType(let type):
            network.disengage(deviceType: type)
            return nil
        case .contractEnd(let device, let details):
            network.endContract(of: device, details: details, at: time)
            return nil
        case .renewal(let device, let until, let details):
            network.renewContract(of: device, until: until, details: details, at: time)
            return nil
        }
    }
}
