import HeapModule
import SigfoxModel

/// How deliveries are paced and judged.
public struct DeliveryConfiguration: Sendable {
    public var retry: RetryPolicy
    /// At most this many tries in flight; the rest wait in the scheduler with their due time kept, so a
    /// slow receiver cannot make the engine open unbounded connections.
    public var maximumInFlight: Int
    /// BATCH_URL windows (SIGFOX.md section 4: 1 s).
    public var batchWindow: SimulationDuration
    /// The resolution at which a try's duration counts on the simulation clock when it decides the next
    /// try's time. **Emulator rule:** in virtual time a reply's latency counts in whole seconds,
    /// rounded down, so the same scenario gives the same retry times every run; the exact latency is
    /// still recorded. Zero counts it to the millisecond (real time).
    public var latencyResolution: SimulationDuration
    /// How much of an answer's body a journal entry keeps.
    public var responseExcerptBytes: Int

    public init(
        retry: RetryPolicy = .sigfox,
        maximumInFlight: Int = 256,
        batchWindow: SimulationDuration = .seconds(1),
        latencyResolution: SimulationDuration = .seconds(1),
        responseExcerptBytes: Int = 512
    ) {
        self.retry = retry
        self.maximumInFlight = maximumInFlight
        self.batchWindow = batchWindow
        self.latencyResolution = latencyResolution
        self.responseExcerptBytes = responseExcerptBytes
    }
}

/// Schedules deliveries and their retries on the simulation clock, and judges each try.
///
/// A pure state machine (DESIGN.md): it takes `now`, returns what to send and what happened, and never
/// reads a clock or touches a socket. The driver hands it transport results; the scheduler alone decides
/// the 10 s deadline (SIGFOX.md section 4), so a reply after it is a failure even when it arrives.
public struct DeliveryScheduler: Sendable {
    public let configuration: DeliveryConfiguration
    private var counts = Ledger()

    /// The ledger now: `pending` is counted from what is actually waiting or in flight.
    public var ledger: Ledger {
        var ledger = counts
        ledger.pending = deliveries.count + frozen.count
        return ledger
    }

    private var deliveries: [UInt64: Delivery] = [:]
    /// Deliveries waiting for a retry, kept small (``FrozenDelivery``).
    private var frozen: [UInt64: FrozenDelivery] = [:]
    private var callbackTable = CallbackTable()
    private var deviceTypeTable = DeviceTypeTable()
    private var waiting = Heap<TimedEntry>()
    private var inFlight: [UInt64: InFlightTry] = [:]
    private var deadlines = Heap<TimedEntry>()
    var batches: [BatchKey: BatchBuffer] = [:]
    var batchCloses = Heap<BatchClose>()
    private var nextTryID: UInt64 = 1
    private var expiredTries: [UInt64] = []
    var sequence: UInt64 = 0
    var nextDeliveryID: UInt64 = 1

    public init(configuration: DeliveryConfiguration = DeliveryConfiguration()) {
        self.configuration = configuration
    }

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
        var earliest = waiting.min?.time
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
    private var createdLog: [Delivery] = []

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
        counts.created += 1
        nextDeliveryID = max(nextDeliveryID, delivery.id + 1)
        push(delivery.id, due: due)
    }

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
            guard var delivery = deliveries[first.id] ?? thaw(first.id) else { continue }
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
                    deadline: deadline
                )
                deadlines.insert(TimedEntry(time: deadline, order: tryID, id: tryID))
                let backstop = Int(configuration.retry.deadline.milliseconds) + 2_000
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

    /// Judges a transport result. A result for a try whose deadline already passed is ignored: that
    /// try was recorded as a timeout and is being retried (SIGFOX.md section 4).
    public mutating func complete(_ result: TransportResult, now: SimulationTime) -> [DeliveryEvent] {
        var events = judge(result, now: now)
        if result.responseHeaders != nil || result.requestHeaders != nil, case .attempt(var record)? = events.first {
            record.responseHeaders = result.responseHeaders
            record.requestHeaders = result.requestHeaders
            events[0] = .attempt(record)
        }
        return events
    }

    private mutating func judge(_ result: TransportResult, now: SimulationTime) -> [DeliveryEvent] {
        defer { dropSettledDeadlines() }
        guard let flight = inFlight.removeValue(forKey: result.id), let delivery = deliveries[flight.delivery] else {
            return []
        }
        let elapsed = SimulationDuration(milliseconds: Int64(result.latencyMilliseconds.rounded(.down)))
        let counted = counted(elapsed)
        let endedAt = min(flight.sentAt + counted, flight.deadline)
        let late = elapsed > configuration.retry.deadline
        let failure: Failure?
        switch result.outcome {
        case .http(let status, let body, _):
            let excerpt = excerptText(body)
            let reason = result.reasonPhrase
            if late {
                failure = Failure(
                    status: status,
                    message: "Answered after the \(deadlineText) deadline",
                    excerpt: excerpt
                )
            } else if (200..<300).contains(status) {
                return finish(
                    delivery,
                    scheduledAt: flight.scheduledAt,
                    sentAt: flight.sentAt,
                    failedAt: endedAt,
                    latency: result.latencyMilliseconds,
                    success: (status, reason ?? Self.standardReason(status) ?? "OK", excerpt, body)
                )
            } else {
                failure = Failure(
                    status: status,
                    message: Self.reason(forStatus: status, phrase: reason),
                    excerpt: excerpt
                )
            }
        case .mailSent:
            if !late {
                return finish(
                    delivery,
                    scheduledAt: flight.scheduledAt,
                    sentAt: flight.sentAt,
                    failedAt: endedAt,
                    latency: result.latencyMilliseconds,
                    success: (250, "OK", "", [])
                )
            }
            failure = Failure(
                status: AttemptRecord.transportFailureStatus,
                message: "Mail accepted after the \(deadlineText) deadline",
                excerpt: ""
            )
        case .failure(_, let message):
            failure = Failure(status: AttemptRecord.transportFailureStatus, message: message, excerpt: "")
        }
        return finish(
            delivery,
            scheduledAt: flight.scheduledAt,
            sentAt: flight.sentAt,
            failedAt: endedAt,
            latency: result.latencyMilliseconds,
            failure: failure!
        )
    }

    /// The tries whose deadline passed since the last call: the transport can drop them at once.
    public mutating func takeExpiredTries() -> [UInt64] {
        defer { expiredTries.removeAll(keepingCapacity: true) }
        return expiredTries
    }

    /// Fails every try in flight whose deadline is at or before `now`.
    public mutating func expireDeadlines(now: SimulationTime) -> [DeliveryEvent] {
        var events = [DeliveryEvent]()
        while let first = deadlines.min, first.time <= now {
            deadlines.removeMin()
            events += timeOut(first.id)
        }
        return events
    }

    /// Fails the tries `ids` that are still in flight, each at its own deadline on the simulation clock:
    /// their 10 s passed in real time (virtual time's lookahead judges each try on its real elapsed time,
    /// while the simulation clock has not reached the deadline).
    public mutating func expire(tries ids: [UInt64]) -> [DeliveryEvent] {
        var events = [DeliveryEvent]()
        for id in ids { events += timeOut(id) }
        dropSettledDeadlines()
        return events
    }

    /// The try `id`, if still in flight, failed at its deadline: no answer in time.
    private mutating func timeOut(_ id: UInt64) -> [DeliveryEvent] {
        guard let flight = inFlight.removeValue(forKey: id), let delivery = deliveries[flight.delivery] else {
            return []
        }
        expiredTries.append(id)
        let failure = Failure(
            status: AttemptRecord.transportFailureStatus,
            message: "Timeout: no answer within \(deadlineText)",
            excerpt: ""
        )
        return finish(
            delivery,
            scheduledAt: flight.scheduledAt,
            sentAt: flight.sentAt,
            failedAt: flight.deadline,
            latency: Double(configuration.retry.deadline.milliseconds),
            failure: failure
        )
    }

    /// Stops everything still waiting, open or in flight: each counts as cancelled in the counts.
    public mutating func cancelAll(now: SimulationTime) -> [DeliveryEvent] {
        closeBatches(upTo: SimulationTime(milliseconds: .max))
        var events = [DeliveryEvent]()
        for id in Array(frozen.keys) { _ = thaw(id) }
        let open = deliveries.values.sorted { $0.id < $1.id }
        for delivery in open {
            let record = AttemptRecord(
                delivery: delivery.id,
                callback: delivery.callback,
                attempt: delivery.tries + 1,
                scheduledAt: now,
                sentAt: nil,
                request: try? delivery.rendered.get(),
                status: AttemptRecord.transportFailureStatus,
                message: "Cancelled at shutdown",
                responseExcerpt: "",
                latencyMilliseconds: nil,
                outcome: .cancelled,
                messages: delivery.messages
            )
            events.append(.attempt(record))
            counts.cancelled += 1
        }
        deliveries.removeAll()
        frozen.removeAll()
        waiting = Heap()
        inFlight.removeAll()
        deadlines = Heap()
        return events
    }

    /// Removes deadlines of tries already judged from the top of the heap, so `nextWakeup` does not
    /// wake the driver for them.
    private mutating func dropSettledDeadlines() {
        while let first = deadlines.min, inFlight[first.id] == nil { deadlines.removeMin() }
    }

    // MARK: - Judging

    private struct Failure {
        var status: Int
        var message: String
        var excerpt: String
    }

    private var deadlineText: String { "\(configuration.retry.deadline.milliseconds / 1000) s" }

    private func counted(_ elapsed: SimulationDuration) -> SimulationDuration {
        let step = configuration.latencyResolution.milliseconds
        guard step > 0 else { return elapsed }
        return SimulationDuration(milliseconds: elapsed.milliseconds / step * step)
    }

    private func excerptText(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(configuration.responseExcerptBytes), as: UTF8.self)
    }

    /// The message recorded for a non-2xx status: the reason phrase as received (`Service Unavailable`),
    /// else `HTTP 503`; a redirect says it is not followed (SIGFOX.md section 4).
    static func reason(forStatus status: Int, phrase: String? = nil) -> String {
        switch status {
        case 300..<400: return (phrase.map { "\(status) \($0)" } ?? "HTTP \(status)") + ": redirects are not followed"
        default: return phrase ?? "HTTP \(status)"
        }
    }

    /// The standard reason phrase of a 2xx status (RFC 9110), for an answer that carried none (HTTP/2, a
    /// transport that does not keep it): a 204 reads `204 No Content`, never `204 OK`.
    static func standardReason(_ status: Int) -> String? {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 203: return "Non-Authoritative Information"
        case 204: return "No Content"
        case 205: return "Reset Content"
        case 206: return "Partial Content"
        default: return nil
        }
    }

    private mutating func finish(
        _ delivery: Delivery,
        scheduledAt: SimulationTime,
        sentAt: SimulationTime?,
        failedAt: SimulationTime,
        latency: Double?,
        success: (status: Int, message: String, excerpt: String, body: [UInt8])
    ) -> [DeliveryEvent] {
        deliveries[delivery.id] = nil
        counts.delivered += 1
        counts.tries += 1
        let record = AttemptRecord(
            delivery: delivery.id,
            callback: delivery.callback,
            attempt: delivery.tries,
            scheduledAt: scheduledAt,
            sentAt: sentAt,
            request: try? delivery.rendered.get(),
            status: success.status,
            message: success.message,
            responseExcerpt: success.excerpt,
            latencyMilliseconds: latency,
            outcome: .delivered,
            messages: delivery.messages
        )
        var events = [DeliveryEvent.attempt(record)]
        if delivery.tries == 1 {
            let body = String(decoding: success.body, as: UTF8.self)
            for message in delivery.messages {
                guard let id = message.awaitingDownlink else { continue }
                let answer = DownlinkAnswer.parse(status: success.status, body: body, device: message.device)
                events.append(.downlinkAnswer(id, answer, at: failedAt))
            }
        }
        return events
    }

    private mutating func finish(
        _ delivery: Delivery,
        scheduledAt: SimulationTime,
        sentAt: SimulationTime?,
        failedAt: SimulationTime,
        latency: Double?,
        failure: Failure
    ) -> [DeliveryEvent] {
        counts.tries += 1
        let next = configuration.retry.nextTry(after: delivery.tries, failedAt: failedAt)
        let outcome: AttemptRecord.Outcome = next.map { .retrying($0) } ?? .failed
        let record = AttemptRecord(
            delivery: delivery.id,
            callback: delivery.callback,
            attempt: delivery.tries,
            scheduledAt: scheduledAt,
            sentAt: sentAt,
            request: try? delivery.rendered.get(),
            status: failure.status,
            message: failure.message,
            responseExcerpt: failure.excerpt,
            latencyMilliseconds: latency,
            outcome: outcome,
            messages: delivery.messages
        )
        var events = [DeliveryEvent.attempt(record)]
        if delivery.tries == 1 {
            // Only the first try can reach a listening device: retries come a minute or more later,
            // after the downlink window (SIGFOX.md section 5).
            for message in delivery.messages {
                guard let id = message.awaitingDownlink else { continue }
                events.append(.downlinkAnswer(id, .noAnswer(failure.message), at: failedAt))
            }
        }
        if let next {
            push(delivery.id, due: next)
            freeze(delivery.id)
        } else {
            deliveries[delivery.id] = nil
            counts.failed += 1
        }
        return events
    }

    /// Keeps a delivery that waits for a retry as bytes, when its callback's definition is known.
    private mutating func freeze(_ id: UInt64) {
        guard freezesWaitingDeliveries, let delivery = deliveries[id],
            let callback = callbackTable.index(of: delivery.callback)
        else { return }
        frozen[id] = FrozenDelivery(
            callback: callback,
            tries: delivery.tries,
            sendSni: delivery.sendSni,
            firstDue: delivery.firstDue,
            messages: delivery.messages,
            deviceTypes: &deviceTypeTable
        )
        deliveries[id] = nil
    }

    /// A frozen delivery back as a value, its request rendered again from the same variables; nil when
    /// `id` is not frozen.
    private mutating func thaw(_ id: UInt64) -> Delivery? {
        guard let stored = frozen.removeValue(forKey: id) else { return nil }
        let (index, tries, sendSni, firstDue, messages) = stored.decode(deviceTypes: deviceTypeTable)
        let definition = callbackTable.definitions[index]
        let rendered: Result<RenderedCallback, RenderError>
        do {
            if definition.channel == .batchURL {
                rendered = .success(try definition.renderBatch(messages.map(\.bindings)))
            } else {
                rendered = .success(try definition.render(messages[0].bindings))
            }
        } catch {
            rendered = .failure(error)
        }
        var delivery = Delivery(
            id: id,
            callback: callbackTable.references[index],
            rendered: rendered,
            messages: messages,
            sendSni: sendSni,
            due: firstDue
        )
        delivery.tries = tries
        deliveries[id] = delivery
        return delivery
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
