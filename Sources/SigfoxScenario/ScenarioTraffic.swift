import SigfoxEngine
import SigfoxModel

/// An ACKNOWLEDGE the network fired: which device, and its `{infoMessage}` (SIGFOX.md section 5).
public struct Acknowledgement: Sendable, Equatable {
    public var device: DeviceID
    public var infoMessage: String
    public var time: SimulationTime
}

/// The network core with a scenario's uplinks: sends each uplink when its time comes, then hands out the
/// network's triggers. The delivery loop drives it like any ``TriggerSource``.
public struct ScenarioTraffic: TriggerSource {
    public private(set) var network: NetworkCore
    private let uplinks: [ScheduledUplink]
    private var position = 0
    /// What became of each uplink sent so far, in order.
    public private(set) var outcomes: [UplinkOutcome] = []
    /// Every ACKNOWLEDGE trigger, whether or not a callback listens for it.
    public private(set) var acknowledgements: [Acknowledgement] = []

    /// `uplinks` must be in time order.
    public init(network: NetworkCore, uplinks: [ScheduledUplink]) {
        self.network = network
        self.uplinks = uplinks
    }

    public var nextDue: SimulationTime? {
        let next = position < uplinks.count ? uplinks[position].time : nil
        return [next, network.nextDue].compactMap { $0 }.min()
    }

    public mutating func advance(to now: SimulationTime) -> [CallbackTrigger] {
        sendDue(now)
        return observe(network.advance(to: now))
    }

    public mutating func receiveDownlinkAnswer(
        _ answer: DownlinkAnswer,
        for message: MessageID,
        at now: SimulationTime
    ) -> [CallbackTrigger] {
        sendDue(now)
        return observe(network.receiveDownlinkAnswer(answer, for: message, at: now))
    }

    /// Sends every uplink due by `now`, each at its own time.
    private mutating func sendDue(_ now: SimulationTime) {
        while position < uplinks.count, uplinks[position].time <= now {
            outcomes.append(network.send(uplinks[position].uplink, at: uplinks[position].time))
            position += 1
        }
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
