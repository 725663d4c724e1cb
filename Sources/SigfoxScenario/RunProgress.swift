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

        /// `12:00:10Z  traffic 3/10  tries 5  delivered 4  failed 0  pending 2`.
        public var line: String {
            let clock = now.map { ScenarioTime.format($0) } ?? "-"
            return "\(clock)  traffic \(eventsApplied)/\(eventsTotal)  tries \(tries)  delivered \(delivered)  "
                + "failed \(failed)  pending \(pending)"
        }
    }

    private let state: Mutex<Snapshot>

    public init(eventsTotal: Int = 0) {
        state = Mutex(Snapshot(eventsTotal: eventsTotal))
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    func setTotal(_ total: Int) {
        state.withLock { $0.eventsTotal = total }
    }

    func update(now: SimulationTime, eventsApplied: Int) {
        state.withLock {
            $0.now = now
            $0.eventsApplied = eventsApplied
        }
    }

    func record(_ attempt: AttemptRecord, pending: Int) {
        state.withLock {
            $0.tries += 1
            if attempt.outcome == .delivered { $0.delivered += 1 }
            if attempt.outcome == .failed { $0.failed += 1 }
            $0.pending = pending
        }
    }

    func finish(pending: Int) {
        state.withLock {
            $0.pending = pending
            $0.finished = true
        }
    }
}
