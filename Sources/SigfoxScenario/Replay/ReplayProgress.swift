import Synchronization

/// How far a replay is, shared between the replay's thread (which writes) and a progress display (which
/// reads, on a thread of its own).
public final class ReplayProgress: Sendable {
    /// One reading of the counters.
    public struct Snapshot: Sendable, Equatable {
        /// HTTP requests to send in all, sent so far, answered so far (any answer, failures included).
        public var total = 0
        public var sent = 0
        public var answered = 0
        /// Answers that were not a 2xx (a status, a refused or reset connection, a timeout).
        public var notDelivered = 0

        public init(total: Int = 0, sent: Int = 0, answered: Int = 0, notDelivered: Int = 0) {
            self.total = total
            self.sent = sent
            self.answered = answered
            self.notDelivered = notDelivered
        }

        /// `replay 12/40 sent · 10 answered · 2 not delivered`.
        public var line: String {
            "replay \(sent)/\(total) sent · \(answered) answered · \(notDelivered) not delivered"
        }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    package func start(total: Int) {
        state.withLock { $0.total = total }
    }

    package func sent() {
        state.withLock { $0.sent += 1 }
    }

    package func answered(delivered: Bool) {
        state.withLock {
            $0.answered += 1
            if !delivered { $0.notDelivered += 1 }
        }
    }
}
