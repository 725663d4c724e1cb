import Dispatch
import SigfoxEngine
import Synchronization

/// A threaded ``Transport`` (a fake that answers from a queue of its own) driven as the delivery loop's
/// ``PolledTransport``: answers wait in a mailbox until the loop's thread polls for them.
public final class PolledAdapter<Wrapped: Transport>: PolledTransport {
    public let wrapped: Wrapped
    private let mailbox = Mutex<[TransportResult]>([])
    private let wake = DispatchSemaphore(value: 0)

    public init(_ wrapped: Wrapped) {
        self.wrapped = wrapped
    }

    public func submit(_ request: TransportRequest) {
        wrapped.start(request) { result in
            self.mailbox.withLock { $0.append(result) }
            self.wake.signal()
        }
    }

    /// The answers that came; waits up to the timeout for one when none has. It may return nothing early
    /// (a signal left by an answer already taken, or ``interrupt()``): the loop polls again.
    public func poll(timeoutMilliseconds: Int) -> [TransportResult] {
        var ready = take()
        if ready.isEmpty, timeoutMilliseconds > 0 {
            _ = wake.wait(timeout: .now() + .milliseconds(timeoutMilliseconds))
            ready = take()
        }
        return ready
    }

    public func interrupt() { wake.signal() }

    public func shutdown() -> [TransportResult] {
        wrapped.shutdown()
        return take()
    }

    private func take() -> [TransportResult] {
        mailbox.withLock { waiting in
            defer { waiting.removeAll() }
            return waiting
        }
    }
}
