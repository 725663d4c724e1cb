import SigfoxEngine
import SigfoxModel

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
    private let events: [ScheduledEvent]
    private var position = 0
    /// What became of each uplink and status message sent so far, in order.
    public private(set) var outcomes: [UplinkOutcome] = []
    /// Every ACKNOWLEDGE trigger, whether or not a callback listens for it.
    public private(set) var acknowledgements: [Acknowledgement] = []
    /// Told the simulation time and how many events were applied, for a progress display.
    private let progress: RunProgress?

    /// `events` must be in time order.
    public init(network: NetworkCore, events: [ScheduledEvent], progress: RunProgress? = nil) {
        self.network = network
        self.events = events
        self.progress = progress
    }

    /// How many of the scenario's events were applied so far.
    public var applied: Int { position }

    public var nextDue: SimulationTime? {
        let next = position < events.count ? events[position].time : nil
        return [next, network.nextDue].compactMap { $0 }.min()
    }

    public mutating func advance(to now: SimulationTime) -> [CallbackTrigger] {
        var triggers = applyDue(now)
        triggers += network.advance(to: now)
        progress?.update(now: now, eventsApplied: position)
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
        while position < events.count, events[position].time <= now {
            let event = events[position]
            triggers += network.advance(to: event.time)
            if let outcome = event.apply(to: &network) { outcomes.append(outcome) }
            position += 1
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

extension ScheduledEvent {
    /// Applies the event to `network` at its own time: what became of an uplink or status message, nil for
    /// a station going down or up. `run` (``ScenarioTraffic``) and `serve` play scenario traffic with it.
    @discardableResult
    public func apply(to network: inout NetworkCore) -> UplinkOutcome? {
        switch kind {
        case .uplink(let uplink):
            return network.send(uplink, at: time)
        case .status(let device, let temperature, let battery):
            return network.sendStatus(device: device, temperature: temperature, battery: battery, at: time)
        case .station(let station, let up):
            network.setStation(station, up: up, at: time)
            return nil
        }
    }
}
