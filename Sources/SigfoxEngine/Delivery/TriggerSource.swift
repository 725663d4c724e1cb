import SigfoxModel

/// Where triggers come from: the network core in a scenario, a list in tests.
public protocol TriggerSource {
    /// When the next trigger is due, or nil when there are no more.
    var nextDue: SimulationTime? { get }
    /// Every trigger due at or before `now`, in order.
    mutating func advance(to now: SimulationTime) -> [CallbackTrigger]
    /// The first try of a BIDIR delivery ended: what it means for the waiting device. Returns triggers
    /// to fire now (later ones come through `advance`).
    mutating func receiveDownlinkAnswer(
        _ answer: DownlinkAnswer,
        for message: MessageID,
        at now: SimulationTime
    )
        -> [CallbackTrigger]
    /// Whether triggers may still arrive though none is due now (a live service such as `serve`): the loop
    /// then waits for ``DeliveryLoop/wake()`` instead of ending when it runs out of work.
    var isLive: Bool { get }
    /// A callback engine to use from this turn on (a configuration change while the loop runs), or nil.
    mutating func takeEngineUpdate() -> CallbackEngine?
    /// The loop is about to wait (for answers, a due time or a wake-up): the end of one turn. A live
    /// source commits what the turn recorded here, once per turn; `scheduler` is the loop's own. Returns
    /// whether the turn is durable: the tries the turn took are put on the wire only then (nothing goes
    /// out that is not recorded as about to go); otherwise they wait as they were for a later turn.
    mutating func endTurn(scheduler: inout DeliveryScheduler, now: SimulationTime) -> Bool
    /// The next time virtual time's lookahead must not reach while tries are in flight: an event whose
    /// effect on a try in flight would depend on real timing (the embedded receiver changing its answers).
    /// The loop lets every try in flight end before it moves the clock to it. Nil: none.
    var nextBarrier: SimulationTime? { get }
}

extension TriggerSource {
    public var isLive: Bool { false }
    public var nextBarrier: SimulationTime? { nil }
    public mutating func takeEngineUpdate() -> CallbackEngine? { nil }
    public mutating func endTurn(scheduler: inout DeliveryScheduler, now: SimulationTime) -> Bool { true }
}

/// A fixed list of triggers; downlink answers are ignored.
public struct TriggerList: TriggerSource {
    private var triggers: [CallbackTrigger]
    private var position = 0

    public init(_ triggers: [CallbackTrigger]) {
        self.triggers = triggers.sorted { $0.due < $1.due }
    }

    public var nextDue: SimulationTime? { position < triggers.count ? triggers[position].due : nil }

    public mutating func advance(to now: SimulationTime) -> [CallbackTrigger] {
        var due = [CallbackTrigger]()
        while position < triggers.count, triggers[position].due <= now {
            due.append(triggers[position])
            position += 1
        }
        return due
    }

    public mutating func receiveDownlinkAnswer(
        _ answer: DownlinkAnswer,
        for message: MessageID,
        at now: SimulationTime
    )
        -> [CallbackTrigger]
    { [] }
}

/// How simulation time relates to wall time (DESIGN.md, "Time").
public enum TimeMode: Sendable, Equatable {
    /// When nothing is in flight the clock jumps to the next due event. While requests are in flight it
    /// moves on to later events and sends them (lookahead), but never to or past the earliest deadline of a
    /// try in flight; each try is judged on its own real elapsed time against its own 10 s, so the 10 s
    /// deadline is real.
    case virtual
    /// Simulation time is wall time.
    case real
    /// Waits between events are N times shorter; time in flight stays real.
    case scaled(Double)
}
