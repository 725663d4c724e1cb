import DequeModule
import SigfoxModel
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The thin driver: feeds triggers to the scheduler, hands requests to the transport, waits for
/// answers, moves the simulation clock. The only part of delivery that reads a clock.
///
/// It drives a ``PolledTransport`` on its own thread: the loop sleeps inside the transport's poll, and
/// answers never cross threads.
public final class DeliveryLoop {
    public private(set) var engine: CallbackEngine
    public private(set) var scheduler: DeliveryScheduler
    public let mode: TimeMode
    public private(set) var now: SimulationTime
    private let transport: any PolledTransport
    private let stopRequested = Atomic<Bool>(false)
    /// Set by ``requestDrain()``: no new triggers or tries, only the answers of tries in flight.
    private let drainRequested = Atomic<Bool>(false)
    /// Set by ``wake()``: a wait ends early so a live source is asked again.
    private let wakeRequested = Atomic<Bool>(false)
    /// Virtual time moves on to later events while tries are in flight (``TimeMode/virtual``). Off, the
    /// clock follows real time while anything is in flight, one answer after another (the loop before
    /// lookahead, kept to compare journals with in tests).
    public var lookahead = true
    /// With lookahead: when each try in flight was really sent, in sending order (its real deadline is
    /// 10 s later), and which of them are still open.
    private var realSends = Deque<(id: UInt64, at: ContinuousClock.Instant)>()
    private var openSends = Set<UInt64>()

    /// A loop that drives `transport` on its own thread (the thread that calls ``run(source:until:onEvent:)``).
    public init(
        engine: CallbackEngine,
        configuration: DeliveryConfiguration,
        transport: any PolledTransport,
        mode: TimeMode,
        start: SimulationTime
    ) {
        self.engine = engine
        var configuration = configuration
        if mode != .virtual { configuration.latencyResolution = SimulationDuration(milliseconds: 0) }
        self.scheduler = DeliveryScheduler(configuration: configuration)
        self.transport = transport
        self.mode = mode
        self.now = start
    }

    /// Changes the scheduler before ``run(source:until:onEvent:)`` starts (deliveries resumed from a store,
    /// logging of created deliveries). Not while the loop runs.
    public func configureScheduler(_ body: (inout DeliveryScheduler) -> Void) {
        body(&scheduler)
    }

    /// Asks a running loop to stop (from any thread, e.g. on Ctrl-C); work still pending is cancelled.
    public func requestStop() {
        stopRequested.store(true, ordering: .relaxed)
        transport.interrupt()
    }

    /// Asks a running loop to finish gracefully (from any thread): it takes no new trigger and starts no
    /// new try, waits for the tries in flight (each until its own deadline at most), then returns with
    /// the deliveries still waiting for a retry left pending (not cancelled), for a later resume.
    public func requestDrain() {
        drainRequested.store(true, ordering: .relaxed)
        wake()
    }

    /// Ends the loop's current wait early (from any thread), so a live source is asked for new work.
    public func wake() {
        wakeRequested.store(true, ordering: .relaxed)
        transport.interrupt()
    }

    private var stopping: Bool { stopRequested.load(ordering: .relaxed) }
    private var draining: Bool { drainRequested.load(ordering: .relaxed) }
    private var interrupted: Bool { stopping || wakeRequested.load(ordering: .relaxed) }

    private func send(_ request: TransportRequest) {
        if looksAhead {
            realSends.append((request.id, .now))
            openSends.insert(request.id)
        }
        transport.submit(request)
    }

    private var looksAhead: Bool { lookahead && mode == .virtual }

    /// The earlier of two times, either of which may be missing.
    public static func earliest(_ a: SimulationTime?, _ b: SimulationTime?) -> SimulationTime? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }

    /// With lookahead: the tries whose 10 s passed in real time, failed at their own deadline.
    private func expireReally() -> [DeliveryEvent] {
        let limit = Duration.milliseconds(scheduler.configuration.retry.deadline.milliseconds)
        var expired = [UInt64]()
        let now = ContinuousClock.now
        while let first = realSends.first, !openSends.contains(first.id) || now - first.at >= limit {
            realSends.removeFirst()
            if openSends.remove(first.id) != nil { expired.append(first.id) }
        }
        return expired.isEmpty ? [] : scheduler.expire(tries: expired)
    }

    /// With lookahead: how long until the earliest real deadline of a try still open.
    private func untilRealDeadline() -> Duration? {
        while let first = realSends.first, !openSends.contains(first.id) { realSends.removeFirst() }
        guard let first = realSends.first else { return nil }
        return first.at + .milliseconds(scheduler.configuration.retry.deadline.milliseconds) - .now
    }

    /// Takes the answers that already arrived, without waiting.
    private func answersNow() -> [TransportResult] {
        transport.poll(timeoutMilliseconds: 0)
    }

    /// Waits (really) until `deadline` or a stop, with nothing in flight.
    private func idle(until deadline: ContinuousClock.Instant) {
        // Nothing is in flight, so a poll can only return what the scheduler no longer tracks (it would
        // ignore it): it serves as the wait.
        while !interrupted, case let left = deadline - .now, left > .zero {
            _ = transport.poll(timeoutMilliseconds: max(1, Int(left.wholeMilliseconds)))
        }
    }

    /// Waits up to `milliseconds` for answers; `timedOut` when the whole time passed without any.
    private func awaitAnswers(milliseconds: Int64) -> (arrived: [TransportResult], timedOut: Bool) {
        let deadline = ContinuousClock.now + .milliseconds(milliseconds)
        var arrived = transport.poll(timeoutMilliseconds: Int(milliseconds))
        while arrived.isEmpty, !interrupted, case let left = deadline - .now, left > .zero {
            arrived = transport.poll(timeoutMilliseconds: max(1, Int(left.wholeMilliseconds)))
        }
        return (arrived, arrived.isEmpty && !interrupted)
    }

    /// Runs until every trigger is delivered or given up, `end` is reached, or a stop is requested.
    /// Whatever is still pending then is cancelled, so the ledger balances. `onEvent` sees every event
    /// in order (journal lines, downlink answers).
    @discardableResult
    public func run<Source: TriggerSource>(
        source: inout Source,
        until end: SimulationTime? = nil,
        onEvent: (DeliveryEvent) -> Void
    ) -> Ledger {
        let clock = ContinuousClock()
        var lookaheadSteps = 0
        var lastDrive = clock.now
        var anchorReal = clock.now
        var anchorSim = now
        // Real and scaled time: when one turn began, and how long the loop meant to wait since, so a turn
        // that begins much later than that tells the process stood still (SIGSTOP, a suspended machine).
        var lastTop: ContinuousClock.Instant?
        var plannedWait = Duration.zero
        /// Called at the top of each turn and after each wait, before answers are judged.
        func noteIfStoodStill() {
            guard mode != .virtual else { return }
            let top = clock.now
            if let last = lastTop, case let stood = top - last - plannedWait, stood > .seconds(2) {
                // No answer could be read meanwhile: tries in flight are not judged on that time.
                scheduler.notePause(SimulationDuration(milliseconds: stood.wholeMilliseconds))
            }
            lastTop = top
            plannedWait = .zero
        }
        func handle(_ events: [DeliveryEvent]) {
            for event in events {
                onEvent(event)
                if case .downlinkAnswer(let id, let answer, let at) = event {
                    for trigger in source.receiveDownlinkAnswer(answer, for: id, at: at) {
                        engine.dispatch(trigger, into: &scheduler)
                    }
                }
            }
        }
        func anchorIfJumped() {
            if mode != .real {
                // Virtual and scaled time jumped: real time counts again from here. Real time keeps its one
                // anchor, so waking late never makes the simulation clock fall behind.
                anchorReal = clock.now
                anchorSim = now
            }
        }
        func advanceAfterWait(_ waited: Duration) {
            guard case .scaled(let factor) = mode else { return }
            now = now + SimulationDuration(milliseconds: Int64(Double(waited.wholeMilliseconds) * factor))
        }
        while !stopping {
            wakeRequested.store(false, ordering: .relaxed)
            noteIfStoodStill()
            if mode == .real {
                // Real time is wall time since the start, whatever the loop did meanwhile.
                now = max(now, anchorSim + SimulationDuration(milliseconds: (clock.now - anchorReal).wholeMilliseconds))
            }
            if let update = source.takeEngineUpdate() { engine = update }
            let drain = draining
            if !drain {
                for trigger in source.advance(to: now) { engine.dispatch(trigger, into: &scheduler) }
            }
            handle(scheduler.expireDeadlines(now: now))
            // A try past its deadline is a failure already: off the wire with it, so no more sockets are
            // open than the in-flight cap allows.
            let expired = scheduler.takeExpiredTries()
            if !expired.isEmpty { transport.cancel(expired) }
            var outgoing = [TransportRequest]()
            if !drain {
                let (requests, failures) = scheduler.takeDue(now: now)
                handle(failures)
                outgoing = requests
            }
            guard source.endTurn(scheduler: &scheduler, now: now) else {
                // The turn could not be recorded (a full disk): none of its tries goes on the wire. They wait
                // as they were, and the loop tries again in a moment, taking the answers of tries already
                // sent meanwhile.
                scheduler.putBack(outgoing)
                let waitStart = clock.now
                plannedWait += .milliseconds(250)
                let (arrived, _) = awaitAnswers(milliseconds: 250)
                noteIfStoodStill()
                if mode != .real { advanceAfterWait(clock.now - waitStart) }
                for result in arrived { handle(scheduler.complete(result, now: now)) }
                if drain && scheduler.inFlightCount == 0 { break }
                continue
            }
            for request in outgoing { send(request) }
            if drain && scheduler.inFlightCount == 0 { break }
            let next = drain ? scheduler.nextDeadline : Self.earliest(source.nextDue, scheduler.nextWakeup)
            if scheduler.inFlightCount == 0 {
                let live = source.isLive && end == nil
                guard let next, end.map({ next <= $0 }) ?? true else {
                    guard live else { break }
                    // A live source with nothing due: wait for a wake-up (or a second, to look again).
                    let waitStart = clock.now
                    plannedWait += .seconds(1)
                    idle(until: waitStart + .seconds(1))
                    if mode != .real { advanceAfterWait(clock.now - waitStart) }
                    continue
                }
                if next > now {
                    if let wait = realWait(for: next - now) {
                        let waitStart = clock.now
                        plannedWait += .nanoseconds(Int64(wait * 1_000_000))
                        idle(until: waitStart + .nanoseconds(Int64(wait * 1_000_000)))
                        if stopping { break }
                        if interrupted {
                            // Woken before `next`: the clock moves by the time really waited.
                            if mode != .real { advanceAfterWait(clock.now - waitStart) }
                            anchorIfJumped()
                            continue
                        }
                    }
                    now = next
                }
                anchorIfJumped()
                continue
            }
            if looksAhead {
                // Lookahead: what was answered meanwhile is judged; then the clock moves on to the next event
                // if it comes before the earliest deadline of a try in flight (no try's outcome can change
                // anything before it: a retry comes a minute or more after a failure, a downlink answer is
                // needed only when the device's window opens) and before a barrier; otherwise the loop
                // waits for answers in real time, each try against its own real 10 s.
                func complete(_ results: [TransportResult]) {
                    for result in results {
                        openSends.remove(result.id)
                        handle(scheduler.complete(result, now: now))
                    }
                    handle(expireReally())
                }
                // The transport is driven (answers taken, new requests put on the wire) at least every 64
                // steps or millisecond: one pass over the transfers serves many steps.
                lookaheadSteps += 1
                if lookaheadSteps >= 64 || clock.now - lastDrive >= .microseconds(1_000) {
                    complete(answersNow())
                    lookaheadSteps = 0
                    lastDrive = clock.now
                    guard scheduler.inFlightCount > 0 else { continue }
                }
                let work = drain ? nil : Self.earliest(source.nextDue, scheduler.nextWork)
                if let work, scheduler.hasRoomInFlight, let horizon = scheduler.nextDeadline, work < horizon,
                    source.nextBarrier.map({ work < $0 }) ?? true, end.map({ work <= $0 }) ?? true
                {
                    now = max(now, work)
                    continue
                }
                lookaheadSteps = 0
                lastDrive = clock.now
                let wait = untilRealDeadline().map { max(0, min($0.wholeMilliseconds + 1, 1_000)) } ?? 1_000
                var (arrived, _) = awaitAnswers(milliseconds: wait)
                if !scheduler.hasRoomInFlight, arrived.count < 16, !interrupted {
                    // The cap is reached and answers come one by one: a quarter of a millisecond more gathers
                    // a batch, so one pass over the transfers serves many answers (a pass visits every
                    // transfer in flight) and the cap refills many at a time.
                    usleep(250)
                    arrived += answersNow()
                }
                complete(arrived)
                continue
            }
            // Something is in flight: the simulation clock follows real time until an answer comes or the
            // next thing falls due (a deadline at the latest).
            let gap = next.map { $0 - now }?.milliseconds ?? 1_000
            let waitMilliseconds = max(0, min(gap, 1_000))
            plannedWait += .milliseconds(waitMilliseconds)
            let (arrived, timedOut) = awaitAnswers(milliseconds: waitMilliseconds)
            noteIfStoodStill()
            // The anchors stay put while requests are in flight: re-anchoring on every answer would drop
            // the fraction of a millisecond each time, and under load the clock would stand still.
            let elapsed = clock.now - anchorReal
            now = max(now, anchorSim + SimulationDuration(milliseconds: elapsed.wholeMilliseconds))
            if let next, timedOut, gap <= 1_000, next > now {
                // The whole gap was waited: time has reached `next` (within the timer's precision).
                now = next
            }
            for result in arrived { handle(scheduler.complete(result, now: now)) }
        }
        if draining && !stopping {
            // A graceful end: what waits for a retry stays pending for a later resume.
            _ = source.endTurn(scheduler: &scheduler, now: now)
            return scheduler.ledger
        }
        handle(scheduler.cancelAll(now: now))
        _ = source.endTurn(scheduler: &scheduler, now: now)
        return scheduler.ledger
    }

    /// How long to really wait for `gap` of simulation time when nothing is in flight, or nil.
    private func realWait(for gap: SimulationDuration) -> Double? {
        switch mode {
        case .virtual: return nil
        case .real: return Double(gap.milliseconds)
        case .scaled(let factor): return Double(gap.milliseconds) / max(factor, 1e-9)
        }
    }
}

/// `@unchecked Sendable`: only ``DeliveryLoop/requestStop()``, ``DeliveryLoop/requestDrain()`` and
/// ``DeliveryLoop/wake()`` may be called from other threads than the one running the loop; they touch only
/// atomics and the transport's thread-safe interrupt.
extension DeliveryLoop: @unchecked Sendable {}
