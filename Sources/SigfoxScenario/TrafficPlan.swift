import HeapModule
import SigfoxEngine
import SigfoxModel

/// A scenario's traffic as a plan: the events written one by one (single uplinks, outages, receiver
/// changes) and the periodic items, whose events are generated as they fall due (``TrafficStream``), so
/// a day of 10,000 devices (1.44 million uplinks) is never held in memory at once.
///
/// The stream gives exactly the events, in exactly the order, that building the whole list and sorting it
/// gives: in time order, events at the same time in the order they were written (item, then device, then
/// period), with the silences applied; a periodic item's random draws (jitter, payloads, readings) come
/// from the random state its device's block started with, found when the scenario was loaded.
public struct TrafficPlan: Sendable {
    /// One periodic item: `count` events per device, every `every` from `first`, each up to `jitter` later.
    struct Periodic: Sendable {
        enum Content: Sendable {
            case uplink(PayloadGenerator, ack: Bool)
            case status(StatusGenerator)
        }

        /// The position of the item's first event among every event written (the order of equal times).
        var base: Int
        var first: SimulationTime
        var every: SimulationDuration
        var count: Int
        var jitter: SimulationDuration
        var devices: [DeviceID]
        /// The random state each device's events start from.
        var starts: [SeededGenerator]
        var content: Content
        var context: Scenario.TrafficContext

        /// Event `index` of device `device` (its position in ``devices``); `random` goes on from the event
        /// before it.
        func event(device: Int, index: Int, random: inout SeededGenerator) throws(ConfigError) -> ScheduledEvent {
            let offset = jitter.milliseconds > 0 ? random.nextInt64(in: 0...jitter.milliseconds) : 0
            let time = first + SimulationDuration(milliseconds: every.milliseconds * Int64(index) + offset)
            let id = devices[device]
            switch content {
            case .status(let status):
                let reading = status.reading(index: index, random: &random)
                return ScheduledEvent(
                    time: time,
                    kind: .status(device: id, temperature: reading.temperature, battery: reading.battery)
                )
            case .uplink(let payload, let ack):
                let bytes = try payload.payload(for: id, index: index, context: context, random: &random)
                return ScheduledEvent(time: time, kind: .uplink(Uplink(device: id, payload: bytes, ack: ack)))
            }
        }

        /// The earliest time event `index` can have.
        func earliest(_ index: Int) -> SimulationTime {
            first + SimulationDuration(milliseconds: every.milliseconds * Int64(index))
        }

        /// The latest time any of its events can have.
        var latest: SimulationTime? {
            count == 0 || devices.isEmpty ? nil : earliest(count - 1) + jitter
        }
    }

    struct Silence: Sendable {
        var devices: Set<DeviceID>
        var from: SimulationTime
        var to: SimulationTime?

        func silences(_ event: ScheduledEvent) -> Bool {
            guard let device = event.device, devices.contains(device) else { return false }
            return event.time >= from && to.map { event.time < $0 } ?? true
        }
    }

    /// The events written one by one, with their position among every event written, in stream order.
    var explicit: [(position: Int, event: ScheduledEvent)]
    var periodic: [Periodic]
    var silences: [Silence]

    /// A plan of these events (in any order: they are sorted, equal times keeping their order).
    public init(events: [ScheduledEvent]) {
        self.init(explicit: events.enumerated().map { ($0.offset, $0.element) }, periodic: [], silences: [])
    }

    init(explicit: [(position: Int, event: ScheduledEvent)], periodic: [Periodic], silences: [Silence]) {
        self.explicit = explicit.sorted { ($0.event.time, $0.position) < ($1.event.time, $1.position) }
        self.periodic = periodic
        self.silences = silences
    }

    /// How many events the items plan, before silences.
    public var plannedCount: Int {
        explicit.count + periodic.reduce(0) { $0 + $1.count * $1.devices.count }
    }

    /// The latest time an event may have (a bound for periodic items with jitter), or nil without events.
    public var latestTime: SimulationTime? {
        ([explicit.last?.event.time] + periodic.map(\.latest)).compactMap { $0 }.max()
    }

    /// The times of the embedded receiver's changes (`receiver` items), in order.
    var receiverChanges: [SimulationTime] {
        explicit.compactMap { if case .receiver = $0.event.kind { $0.event.time } else { nil } }
    }

    /// The events from the first, generated as they are taken.
    public func stream() -> TrafficStream { TrafficStream(self) }

    /// Every event, built at once (small scenarios, serve, tests).
    public var events: [ScheduledEvent] {
        var stream = stream()
        var result = [ScheduledEvent]()
        while let event = stream.next() { result.append(event) }
        return result
    }
}

/// The events of a ``TrafficPlan`` in time order, each periodic event generated when it is next.
public struct TrafficStream: Sendable, IteratorProtocol {
    /// One device of one periodic item: where its events are, and those generated but not yet given.
    private struct Cursor: Sendable {
        var item: Int
        var device: Int
        var random: SeededGenerator
        var nextIndex = 0
        var ready: [(event: ScheduledEvent, position: Int)] = []
    }

    private struct Entry: Comparable, Sendable {
        var time: SimulationTime
        var position: Int
        var cursor: Int

        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.time, lhs.position) < (rhs.time, rhs.position) }
        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.time == rhs.time && lhs.position == rhs.position }
    }

    private let plan: TrafficPlan
    private var explicitPosition = 0
    private var cursors: [Cursor] = []
    private var heap = Heap<Entry>()
    private var peeked: ScheduledEvent?
    /// Events given so far.
    public private(set) var taken = 0

    init(_ plan: TrafficPlan) {
        self.plan = plan
        for (item, periodic) in plan.periodic.enumerated() where periodic.count > 0 {
            for device in periodic.devices.indices {
                cursors.append(Cursor(item: item, device: device, random: periodic.starts[device]))
                if let entry = refill(cursors.count - 1) { heap.insert(entry) }
            }
        }
        peeked = take()
    }

    /// The time of the next event, or nil when there are no more.
    public var nextTime: SimulationTime? { peeked?.time }

    public mutating func next() -> ScheduledEvent? {
        guard let event = peeked else { return nil }
        peeked = take()
        taken += 1
        return event
    }

    /// The next event that no silence removes.
    private mutating func take() -> ScheduledEvent? {
        while let event = takeAny() {
            if !plan.silences.contains(where: { $0.silences(event) }) { return event }
        }
        return nil
    }

    private mutating func takeAny() -> ScheduledEvent? {
        let explicit = explicitPosition < plan.explicit.count ? plan.explicit[explicitPosition] : nil
        if let top = heap.min,
            explicit.map({ (top.time, top.position) < ($0.event.time, $0.position) }) ?? true
        {
            heap.removeMin()
            let index = cursors[top.cursor].ready.firstIndex { $0.position == top.position }!
            let event = cursors[top.cursor].ready.remove(at: index).event
            if let entry = refill(top.cursor) { heap.insert(entry) }
            return event
        }
        guard let explicit else { return nil }
        explicitPosition += 1
        return explicit.event
    }

    /// Generates the cursor's events until none it has not generated can come before the earliest it
    /// holds; that earliest, or nil when the device has no more.
    private mutating func refill(_ index: Int) -> Entry? {
        let periodic = plan.periodic[cursors[index].item]
        func generate() {
            let k = cursors[index].nextIndex
            let device = cursors[index].device
            // The same draws succeeded when the scenario was loaded, so this cannot fail.
            if let event = try? periodic.event(device: device, index: k, random: &cursors[index].random) {
                cursors[index].ready.append((event, periodic.base + device * periodic.count + k))
            }
            cursors[index].nextIndex += 1
        }
        if cursors[index].ready.isEmpty, cursors[index].nextIndex < periodic.count { generate() }
        while cursors[index].nextIndex < periodic.count,
            let earliest = cursors[index].ready.lazy.map({ $0.event.time }).min(),
            periodic.earliest(cursors[index].nextIndex) <= earliest
        {
            generate()
        }
        guard let first = cursors[index].ready.min(by: { ($0.event.time, $0.position) < ($1.event.time, $1.position) })
        else { return nil }
        return Entry(time: first.event.time, position: first.position, cursor: index)
    }
}
