import HeapModule
import SigfoxModel

/// Schedules deliveries and their retries on the simulation clock, and judges each try.
///
/// A pure state machine (DESIGN.md): it takes `now`, returns what to send and what happened, and never
/// reads a clock or touches a socket. The driver hands it transport results; the scheduler alone decides
/// the 10 s deadline (SIGFOX.md section 4), so a reply after it is a failure even when it arrives.
public struct DeliveryScheduler: Sendable {
    public let configuration: DeliveryConfiguration
    var counts = Ledger()

    /// The ledger now: `pending` is counted from what is actually waiting or in flight.
    public var ledger: Ledger {
        var ledger = counts
        ledger.pending = deliveries.count + frozen.count + spill.ids.count
        return ledger
    }

    var deliveries: [UInt64: Delivery] = [:]
    /// Deliveries waiting in the driver's store only (``DeliverySpill``).
    public var spill = DeliverySpill()
    /// Deliveries waiting for a retry, kept small (``FrozenDelivery``).
    var frozen: [UInt64: FrozenDelivery] = [:]
    var callbackTable = CallbackTable()
    var deviceTypeTable = DeviceTypeTable()
    var waiting = Heap<TimedEntry>()
    var inFlight: [UInt64: InFlightTry] = [:]
    var deadlines = Heap<TimedEntry>()
    var batches: [BatchKey: BatchBuffer] = [:]
    var batchCloses = Heap<BatchClose>()
    var nextTryID: UInt64 = 1
    var expiredTries: [UInt64] = []
    var sequence: UInt64 = 0
    var nextDeliveryID: UInt64 = 1

    var hosts: HostShares

    public init(configuration: DeliveryConfiguration = DeliveryConfiguration()) {
        self.configuration = configuration
        hosts = HostShares(
            cap: configuration.maximumInFlightPerHost ?? configuration.maximumInFlight,
            total: configuration.maximumInFlight
        )
    }

    /// Tries due but waiting for their receiver's share of the in-flight cap (``HostShares``).
    public var parkedCount: Int { hosts.parkedCount }

    /// Tries in flight now.
    public var inFlightCount: Int { inFlight.count }

    /// Whether nothing is waiting, open or in flight.
    public var isIdle: Bool { waiting.isEmpty && inFlight.isEmpty && batches.isEmpty }

    /// A fresh delivery id.
    public mutating func makeDeliveryID() -> UInt64 {
        defer { nextDeliveryID += 1 }
        return nextDeliveryID
    }

    /// Adds a delivery of `definition`; its first try is due at `delivery.firstDue`. Knowing the definition,
    /// the scheduler can keep the delivery small while it waits for a retry and render it again when the
    /// retry is due.
    public mutating func submit(_ delivery: Delivery, definition: CallbackDefinition) {
        _ = callbackTable.index(of: delivery.callback, definition: definition)
        submit(delivery)
    }

    /// Adds a delivery; its first try is due at `delivery.firstDue`.
    public mutating func submit(_ delivery: Delivery) {
        if logsCreatedDeliveries { createdLog.append(delivery) }
        deliveries[delivery.id] = delivery
        counts.created += 1
        push(delivery.id, due: delivery.firstDue)
    }

    /// The earliest time at which the scheduler has something to do: a try to send (when there is room
    /// in flight), a batch window to close, or a deadline to enforce.
    public var nextWakeup: SimulationTime? {
        DeliveryLoop.earliest(nextWork, deadlines.min?.time)
    }

    /// The earliest deadline of a try in flight, or nil when nothing is in flight.
    public var nextDeadline: SimulationTime? { deadlines.min?.time }

    /// The earliest time at which the scheduler has something to send or a batch window to close, deadlines
    /// left out: what virtual time may move on to while tries are in flight (``DeliveryLoop``'s lookahead).
    public var nextWork: SimulationTime? {
        let send = inFlight.count < configuration.maximumInFlight ? waiting.min?.time : nil
        return DeliveryLoop.earliest(send, batchCloses.min?.time)
    }

    /// Whether the in-flight cap leaves room for another try.
    public var hasRoomInFlight: Bool { inFlight.count < configuration.maximumInFlight }

    /// The earliest due time of a try not yet ended (waiting, or in flight), or nil: no try ended later
    /// can have been due before it (the journal's canonical order is kept behind this mark).
    public var earliestOpenDue: SimulationTime? {
        var earliest = DeliveryLoop.earliest(waiting.min?.time, hosts.earliestParked)
        for flight in inFlight.values where earliest.map({ flight.scheduledAt < $0 }) ?? true {
            earliest = flight.scheduledAt
        }
        if let close = batchCloses.min, earliest.map({ close.time < $0 }) ?? true { earliest = close.time }
        return earliest
    }

    /// Whether deliveries handed in are also kept in a log for ``takeCreated()`` (serve persists every
    /// delivery when it is created, so a restart can resume it).
    public var logsCreatedDeliveries = false
    /// Whether deliveries waiting for a retry are kept small and rendered again from their callback's
    /// definition when due. `serve` turns it off: its callbacks change while it runs, and a retry keeps the
    /// request as it was first rendered.
    public var freezesWaitingDeliveries = true
    var createdLog: [Delivery] = []

    /// The deliveries submitted since the last call (with ``logsCreatedDeliveries``).
    public mutating func takeCreated() -> [Delivery] {
        defer { createdLog.removeAll(keepingCapacity: true) }
        return createdLog
    }

    /// Takes back a delivery that was persisted and not finished: `triesMade` tries were made, the next
    /// is due at `due` (a restart of serve resumes deliveries waiting for a retry, or never tried).
    public mutating func resume(_ delivery: Delivery, triesMade: Int, due: SimulationTime) {
        var delivery = delivery
        delivery.tries = triesMade
        deliveries[delivery.id] = delivery
        countResumed(delivery.id)
        push(delivery.id, due: due)
    }

    /// A resumed delivery counts as created, and new ids continue after it.
    mutating func countResumed(_ id: UInt64) {
        counts.created += 1
        nextDeliveryID = max(nextDeliveryID, id + 1)
    }

    /// A delivery that could not be read back counts as failed.
    mutating func countLost() { counts.failed += 1 }

    /// New delivery ids start above `id` (a restart continues the numbering of the store).
    public mutating func reserveDeliveryIDs(through id: UInt64) {
        nextDeliveryID = max(nextDeliveryID, id + 1)
    }

    /// Closes due batch windows, then starts the tries that are due, up to the in-flight cap.
    /// Returns the requests to hand to the transport and the events of tries that failed at once
    /// (a request that could not be rendered).
    public mutating func takeDue(now: SimulationTime) -> (requests: [TransportRequest], events: [DeliveryEvent]) {
        closeBatches(upTo: now)
        var requests = [TransportRequest]()
        var events = [DeliveryEvent]()
        while inFlight.count < configuration.maximumInFlight, let first = waiting.min, first.time <= now {
            waiting.removeMin()
            guard var delivery = deliveries[first.id] ?? thaw(first.id) ?? reloadSpilled(first.id) else { continue }
            var host: Int32 = -1
            if hosts.isLimited {
                host = hosts.host(of: delivery)
                guard hosts.hasRoom(host) else {
                    hosts.park(first, host: host)
                    continue
                }
                hosts.started(host)
            }
            delivery.tries += 1
            deliveries[delivery.id] = delivery
            switch delivery.rendered {
            case .success(let payload):
                let tryID = nextTryID
                nextTryID += 1
                let deadline = now + configuration.retry.deadline
                inFlight[tryID] = InFlightTry(
                    delivery: delivery.id,
                    scheduledAt: first.time,
                    sentAt: now,
                    deadline: deadline,
                    host: host
                )
                deadlines.insert(TimedEntry(time: deadline, order: tryID, id: tryID))
                let backstop = Int(
                    configuration.retry.deadline.milliseconds + configuration.transportTimeoutMargin.milliseconds
                )
                requests.append(
                    TransportRequest(
                        id: tryID,
                        payload: payload,
                        timeoutMilliseconds: backstop,
                        sendSni: delivery.sendSni,
                        sentAt: now,
                        delivery: delivery.id,
                        attempt: delivery.tries
                    )
                )
            case .failure(let error):
                for entry in hosts.ended(host) { waiting.insert(entry) }
                let failure = Failure(
                    status: AttemptRecord.transportFailureStatus,
                    message: error.description,
                    excerpt: ""
                )
                events += finish(
                    delivery,
                    scheduledAt: first.time,
                    sentAt: nil,
                    failedAt: now,
                    latency: nil,
                    failure: failure
                )
            }
        }
        return (requests, events)
    }

    /// The driver stood still for `pause` (the process was stopped, the machine suspended): no answer
    /// could be read meanwhile, so the tries in flight get their deadlines moved by it, and the pause is
    /// taken off their measured latency. An answer read right after the pause is judged as if it had been
    /// read when it came (it came during the pause at the latest), not as a timeout.
    public mutating func notePause(_ pause: SimulationDuration) {
        guard pause.milliseconds > 0, !inFlight.isEmpty else { return }
        var shifted = Heap<TimedEntry>()
        for (id, var flight) in inFlight {
            flight.deadline = flight.deadline + pause
            flight.paused += pause.milliseconds
            inFlight[id] = flight
            shifted.insert(TimedEntry(time: flight.deadline, order: id, id: id))
        }
        deadlines = shifted
    }

    /// Takes back tries that ``takeDue(now:)`` handed out but that never went on the wire (the driver
    /// could not record them): each is due again at its own time, as the same try.
    public mutating func putBack(_ requests: [TransportRequest]) {
        for request in requests {
            guard let flight = takeInFlight(request.id), var delivery = deliveries[flight.delivery] else { continue }
            delivery.tries -= 1
            deliveries[delivery.id] = delivery
            push(delivery.id, due: flight.scheduledAt)
        }
        dropSettledDeadlines()
    }

    /// Stops everything still waiting, open or in flight: each counts as cancelled in the counts.
    public mutating func cancelAll(now: SimulationTime) -> [DeliveryEvent] {
        closeBatches(upTo: SimulationTime(milliseconds: .max))
        var events = [DeliveryEvent]()
        for id in Array(frozen.keys) { _ = thaw(id) }
        for id in Array(spill.ids) { _ = reloadSpilled(id) }
        let open = deliveries.values.sorted { $0.id < $1.id }
        for delivery in open {
            let record = AttemptRecord(
                delivery,
                attempt: delivery.tries + 1,
                scheduledAt: now,
                sentAt: nil,
                answer: (AttemptRecord.transportFailureStatus, "Cancelled at shutdown", ""),
                latency: nil,
                outcome: .cancelled
            )
            events.append(.attempt(record))
            counts.cancelled += 1
        }
        deliveries.removeAll()
        frozen.removeAll()
        waiting = Heap()
        inFlight.removeAll()
        hosts.clear()
        deadlines = Heap()
        return events
    }

    /// Removes a try from the tries in flight; the tries parked for its host's share that now have room
    /// are queued again.
    mutating func takeInFlight(_ id: UInt64) -> InFlightTry? {
        guard let flight = inFlight.removeValue(forKey: id) else { return nil }
        for entry in hosts.ended(flight.host) { waiting.insert(entry) }
        return flight
    }

    /// Removes deadlines of tries already judged from the top of the heap, so `nextWakeup` does not
    /// wake the driver for them.
    mutating func dropSettledDeadlines() {
        while let first = deadlines.min, inFlight[first.id] == nil { deadlines.removeMin() }
    }

    mutating func push(_ id: UInt64, due: SimulationTime) {
        sequence += 1
        waiting.insert(TimedEntry(time: due, order: sequence, id: id))
    }
}

/// What the scheduler reports.
public enum DeliveryEvent: Sendable, Equatable {
    /// A try ended (or was cancelled): one journal line.
    case attempt(AttemptRecord)
    /// The first try of a BIDIR delivery ended: what it means for a device waiting for a downlink.
    case downlinkAnswer(MessageID, DownlinkAnswer, at: SimulationTime)
}

/// A try on its way.
struct InFlightTry: Sendable {
    var delivery: UInt64
    var scheduledAt: SimulationTime
    var sentAt: SimulationTime
    var deadline: SimulationTime
    /// Its receiver host in ``HostShares`` (-1 when shares are not limited).
    var host: Int32
    /// How long the driver stood still while it was in flight, in milliseconds (``notePause(_:)``).
    var paused: Int64 = 0
}

/// An id at a time, ordered by time then by insertion.
struct TimedEntry: Comparable, Sendable {
    var time: SimulationTime
    var order: UInt64
    var id: UInt64

    static func < (lhs: TimedEntry, rhs: TimedEntry) -> Bool {
        (lhs.time, lhs.order) < (rhs.time, rhs.order)
    }
}
