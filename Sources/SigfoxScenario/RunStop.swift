import SigfoxEngine
import Synchronization

/// A stop asked of a running scenario (Ctrl-C, SIGTERM): the delivery loop stops at once, what is left is
/// cancelled, and the run's report, JUnit file and journal are still written, marked as interrupted.
public final class RunStop: Sendable {
    private let loop = Mutex<DeliveryLoop?>(nil)
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Stops the run (from any thread, e.g. a signal handler); a run not started yet stops when it starts.
    public func request() {
        requested.store(true, ordering: .sequentiallyConsistent)
        loop.withLock { $0 }?.requestStop()
    }

    public var isRequested: Bool { requested.load(ordering: .sequentiallyConsistent) }

    /// The loop of the run, to stop when asked.
    package func attach(_ running: DeliveryLoop) {
        loop.withLock { $0 = running }
        if isRequested { running.requestStop() }
    }
}
