import Dispatch
import SigfoxEngine
import Synchronization

/// Sends e-mails for a ``PolledCurlTransport``, each on a thread of its own with a libcurl multi handle of
/// its own.
///
/// libcurl waits for the server's answer to the end of an e-mail's DATA in a blocking loop (its SMTP
/// `done` phase), so a slow mail server would stall every other transfer of a shared multi handle: an HTTP
/// callback answered in 1 s would be recorded as timed out. Here only the e-mail waits. Each e-mail also
/// gets a connection of its own, so one that ended late can never leave another's dialogue out of step.
/// At most ``maximumConcurrent`` e-mails go at once; the others wait their turn.
final class MailSender: Sendable {
    private let configuration: CurlConfiguration
    private let results = Mutex<[TransportResult]>([])
    /// Mails sent and not yet answered, so a shutdown can answer them as stopped.
    private let outstanding = Mutex<Set<UInt64>>([])
    private let slots = DispatchSemaphore(value: MailSender.maximumConcurrent)
    /// Called when a result is ready (wakes the poll).
    private let ready: @Sendable () -> Void
    static let maximumConcurrent = 32

    init(configuration: CurlConfiguration, ready: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.ready = ready
    }

    func send(_ request: TransportRequest, bodyCap: Int) {
        outstanding.withLock { _ = $0.insert(request.id) }
        let configuration = self.configuration
        DispatchQueue.global().async { [self] in
            slots.wait()
            defer { slots.signal() }
            let transfer = CurlTransfer(request: request, bodyCap: bodyCap)
            let multi = CurlMulti(configuration: configuration)
            var result = multi.add(transfer)
            while result == nil {
                multi.perform()
                multi.drainCompleted { _, finished in result = finished }
                if result == nil { multi.wait(timeoutMilliseconds: 100) }
            }
            guard let result, outstanding.withLock({ $0.remove(request.id) != nil }) else { return }
            results.withLock { $0.append(result) }
            ready()
        }
    }

    /// The e-mails answered since the last call.
    func take() -> [TransportResult] {
        results.withLock { finished in
            defer { finished.removeAll() }
            return finished
        }
    }

    /// Every e-mail not answered yet, answered as stopped (their threads end on their own; their late
    /// results are dropped).
    func stopAll() -> [TransportResult] {
        let ids = outstanding.withLock { ids in
            defer { ids.removeAll() }
            return ids
        }
        return ids.sorted().map {
            TransportResult(id: $0, outcome: .failure(code: -1, message: "transport stopped"), latencyMilliseconds: 0)
        }
    }
}

/// A value handed to another thread that is only used there in a thread-safe way (the multi handle's
/// ``CurlMulti/wakeup()``, which libcurl documents as callable from any thread).
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
