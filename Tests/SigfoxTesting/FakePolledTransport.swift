import Dispatch
import SigfoxEngine

/// A transport that answers from a rule after a real delay, driven by the loop's own thread
/// (``PolledTransport``), for loop tests: an answer is ready `delaySeconds` after its request was submitted
/// and comes out of the first poll after that.
public final class FakePolledTransport: PolledTransport, @unchecked Sendable {
    public struct Answer: Sendable {
        public var outcome: TransportResult.Outcome
        public var delaySeconds: Double = 0
        /// Never answers (the scheduler's deadline must act).
        public var hang = false

        public init(outcome: TransportResult.Outcome, delaySeconds: Double = 0, hang: Bool = false) {
            self.outcome = outcome
            self.delaySeconds = delaySeconds
            self.hang = hang
        }
    }

    // Safe: `submit`, `poll` and `shutdown` run on the loop's thread only; `interrupt` signals a semaphore.
    private let rule: @Sendable (TransportRequest, Int) -> Answer
    private var waiting: [(ready: ContinuousClock.Instant, result: TransportResult)] = []
    private var hanging: [UInt64] = []
    private var count = 0
    private let wake = DispatchSemaphore(value: 0)
    public private(set) var requests: [TransportRequest] = []
    /// Polls that returned nothing although they had time to wait.
    public private(set) var emptyPolls = 0
    /// The requests the loop cancelled (their deadline passed).
    public private(set) var cancelled: [UInt64] = []

    public init(_ rule: @escaping @Sendable (TransportRequest, Int) -> Answer) {
        self.rule = rule
    }

    public func submit(_ request: TransportRequest) {
        count += 1
        requests.append(request)
        let answer = rule(request, count)
        guard !answer.hang else {
            hanging.append(request.id)
            return
        }
        let result = TransportResult(
            id: request.id,
            outcome: answer.outcome,
            latencyMilliseconds: answer.delaySeconds * 1000
        )
        waiting.append((.now + .milliseconds(Int64(answer.delaySeconds * 1000)), result))
    }

    public func poll(timeoutMilliseconds: Int) -> [TransportResult] {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        var ready = take()
        while ready.isEmpty, case let now = ContinuousClock.now, now < deadline {
            let next = min(deadline, waiting.map(\.ready).min() ?? deadline)
            if wake.wait(timeout: .now() + .nanoseconds(max(0, Int((next - now).inSeconds * 1e9)))) == .success {
                break
            }
            ready = take()
        }
        if ready.isEmpty && timeoutMilliseconds > 0 { emptyPolls += 1 }
        return ready
    }

    public func interrupt() { wake.signal() }

    public func cancel(_ ids: [UInt64]) {
        cancelled += ids
        hanging.removeAll { ids.contains($0) }
        waiting.removeAll { ids.contains($0.result.id) }
    }

    public func shutdown() -> [TransportResult] {
        let stopped =
            waiting.map(\.result.id) + hanging
        waiting.removeAll()
        hanging.removeAll()
        return stopped.map {
            TransportResult(id: $0, outcome: .failure(code: -1, message: "transport stopped"), latencyMilliseconds: 0)
        }
    }

    private func take() -> [TransportResult] {
        let now = ContinuousClock.now
        let ready = waiting.filter { $0.ready <= now }.map(\.result)
        waiting.removeAll { $0.ready <= now }
        return ready
    }
}
