import SigfoxEngine
import Synchronization

/// How far a running scenario is, shared between the run's thread (which writes) and a progress display
/// (which reads, on a thread of its own).
public final class RunProgress: Sendable {
    /// One reading of the counters.
    public struct Snapshot: Sendable, Equatable {
        /// The simulation clock.
        public var now: SimulationTime?
        /// Traffic events (uplinks, status messages, outages) applied so far, and in all.
        public var eventsApplied = 0
        public var eventsTotal = 0
        public var tries = 0
        public var delivered = 0
        public var failed = 0
        /// Deliveries waiting for a try or in flight.
        public var pending = 0
        public var finished = false
        /// The scenario's start and its last traffic event, for the share done.
        public var start: SimulationTime?
        public var end: SimulationTime?
        /// Simulation milliseconds per real millisecond while the loop waits (1 in real time, N scaled),
        /// nil in virtual time, where the clock jumps.
        public var speed: Double?
        /// When `now` was last set.
        public var updatedAt: ContinuousClock.Instant?

        /// The simulation clock at `instant`: in real and scaled time it moves while the loop waits for
        /// the next event (a DATA_ADVANCED 25 s away), so the display never looks frozen.
        public func clock(at instant: ContinuousClock.Instant) -> SimulationTime? {
            guard let now, let speed, let updatedAt, !finished else { return now }
            let waited = max(0, (instant - updatedAt).wholeMilliseconds)
            return now + SimulationDuration(milliseconds: Int64(Double(waited) * speed))
        }

        /// `12:00:10Z  42 %  traffic 3/10 · tries 5 · delivered 4 · failed 0 · pending 2`; the share is of
        /// the simulated time from the start to the last traffic event.
        public func line(at instant: ContinuousClock.Instant = .now) -> String {
            let clock = clock(at: instant)
            var head = clock.map { ScenarioTime.format($0) } ?? "-"
            if let clock, let start, let end {
                let span = max(1, (end - start).milliseconds)
                let share = min(100, max(0, (clock - start).milliseconds * 100 / span))
                head += "  \(share) %"
            }
            let traffic =
                eventsTotal > 0 && eventsApplied >= eventsTotal && pending > 0
                ? "traffic done, waiting for \(pending) pending"
                : "traffic \(eventsApplied)/\(eventsTotal)"
            return
                "\(head)  \(traffic) · tries \(tries) · delivered \(delivered) · failed \(failed) · pending \(pending)"
        }

        /// The line now.
        public var line: String { line() }
    }

    private let state: Mutex<Snapshot>

    public init(eventsTotal: Int = 0) {
        state = Mutex(Snapshot(eventsTotal: eventsTotal))
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    package func setTotal(_ total: Int) {
        state.withLock { $0.eventsTotal = total }
    }

    /// The scenario's span and how its clock moves while the loop waits.
    package func configureClock(start: SimulationTime, end: SimulationTime?, mode: TimeMode) {
        state.withLock {
            $0.start = start
            $0.end = end
            switch mode {
            case .virtual: $0.speed = nil
            case .real: $0.speed = 1
            case .scaled(let factor): $0.speed = factor
            }
        }
    }

    func update(now: SimulationTime, eventsApplied: Int) {
        let instant = ContinuousClock.now
        state.withLock {
            $0.now = now
            $0.updatedAt = instant
            $0.eventsApplied = eventsApplied
        }
    }

    package func record(_ attempt: AttemptRecord, pending: Int) {
        state.withLock {
            $0.tries += 1
            if attempt.outcome == .delivered { $0.delivered += 1 }
            if attempt.outcome == .failed { $0.failed += 1 }
            $0.pending = pending
        }
    }

    package func finish(pending: Int) {
        state.withLock {
            $0.pending = pending
            $0.finished = true
        }
    }

    /// `line` cut to one row of `columns` (an ellipsis at the cut): a progress line longer than the
    /// terminal would wrap, and the carriage return that redraws it would then smear a new row each time.
    public static func fitted(_ line: String, columns: Int) -> String {
        let room = max(columns - 1, 1)
        guard line.count > room else { return line }
        return String(line.prefix(max(room - 1, 0))) + "…"
    }
}
