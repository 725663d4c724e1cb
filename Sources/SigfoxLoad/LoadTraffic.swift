import SigfoxEngine
import SigfoxModel

/// The load generator as a ``TriggerSource``: uplinks go into the network core on the plan's timetable
/// (or, with `--rate max`, whenever a request slot is free), and the network's triggers come out.
///
/// Each uplink is sent at its scheduled time, so its callbacks are due at that time whatever the
/// generator's lag: latency counts from the schedule (no coordinated omission). With a fixed rate nothing
/// holds the timetable back unless `--max-pending` sets a limit of pending deliveries; beyond it the
/// generator waits, the uplinks it owes keep their scheduled times (they will be late, and counted so), and
/// the report says the limit held them back. `--rate max` keeps `--concurrency` requests going.
///
/// With several engine threads each runs a traffic of its own: shard `i` of `n` sends arrivals `i`,
/// `i + n`, `i + 2n`, ... of the one timetable, so together they keep the plan's rate exactly.
public struct LoadTraffic: TriggerSource {
    public private(set) var network: NetworkCore
    private let plan: LoadPlan
    private let schedule: ArrivalSchedule?
    private let devices: [DeviceID]
    private let start: SimulationTime
    /// When arrivals stop.
    public let end: SimulationTime
    /// Deliveries waiting or in flight in the scheduler (read through the delivery loop).
    var backlog: () -> Int = { 0 }
    private let backlogLimit: Int
    /// Uplinks sent so far (by this shard).
    public private(set) var sent = 0
    /// Whether `--max-pending` held due uplinks back at least once.
    public private(set) var heldBack = false
    private let shard: Int
    private let shards: Int
    private var lastNow: SimulationTime
    /// At most this many uplinks per call, so the loop keeps taking answers under overload.
    private let batchLimit = 2_048

    /// `plan.concurrency` is this shard's share; `shard` of `shards` picks its arrivals of the timetable.
    public init(
        network: NetworkCore,
        plan: LoadPlan,
        devices: [DeviceID],
        start: SimulationTime,
        shard: Int = 0,
        of shards: Int = 1
    ) {
        precondition(shards >= 1 && (0..<shards).contains(shard) && !devices.isEmpty)
        self.network = network
        self.shard = shard
        self.shards = shards
        self.plan = plan
        self.devices = devices
        self.start = start
        self.lastNow = start
        self.end = start + SimulationDuration(milliseconds: Int64((plan.duration * 1000).rounded()))
        if case .rate(let from, let to) = plan.arrivals {
            schedule = ArrivalSchedule(from: from, to: to, duration: plan.duration)
            backlogLimit = plan.maximumPending ?? .max
        } else {
            schedule = nil
            backlogLimit = plan.concurrency
        }
    }

    /// When the next uplink is due, nil when the generator is done or waiting for room.
    private var nextArrival: SimulationTime? {
        guard backlog() < backlogLimit else {
            // Held back by --max-pending: look again in 10 ms while uplinks are owed, so the run goes on to
            // its end instead of stopping when nothing else is due.
            guard let owed = nextDueArrival else { return nil }
            return max(owed, lastNow + SimulationDuration(milliseconds: 10))
        }
        guard let schedule else { return lastNow < end ? lastNow : nil }
        guard arrival < schedule.count else { return nil }
        return schedule.due(of: arrival, start: start)
    }

    /// When this shard's next arrival of the timetable is due, whatever the backlog.
    private var nextDueArrival: SimulationTime? {
        guard let schedule, arrival < schedule.count else { return nil }
        return schedule.due(of: arrival, start: start)
    }

    /// This shard's next arrival's number in the whole timetable.
    private var arrival: Int { shard + sent * shards }

    public var nextDue: SimulationTime? {
        [nextArrival, network.nextDue].compactMap { $0 }.min()
    }

    public mutating func advance(to now: SimulationTime) -> [CallbackTrigger] {
        lastNow = now
        let free = backlogLimit == .max ? Int.max : backlogLimit - backlog()
        if free <= 0, schedule != nil, let next = nextDueArrival, next <= now { heldBack = true }
        var room = min(batchLimit, free)
        while room > 0 {
            let due: SimulationTime
            if let schedule {
                guard arrival < schedule.count else { break }
                due = schedule.due(of: arrival, start: start)
                guard due <= now else { break }
            } else {
                guard now < end else { break }
                due = now
            }
            sendUplink(at: due)
            room -= 1
        }
        return network.advance(to: now)
    }

    public mutating func receiveDownlinkAnswer(
        _ answer: DownlinkAnswer,
        for message: MessageID,
        at now: SimulationTime
    ) -> [CallbackTrigger] {
        network.receiveDownlinkAnswer(answer, for: message, at: now)
    }

    private mutating func sendUplink(at time: SimulationTime) {
        let device = devices[sent % devices.count]
        let payload = plan.payload ?? Uplink.counterPayload(arrival, bytes: 8)
        _ = network.send(Uplink(device: device, payload: payload), at: time)
        sent += 1
    }
}
