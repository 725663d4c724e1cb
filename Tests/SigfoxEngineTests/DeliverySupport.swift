import Dispatch
import SigfoxEngine
import SigfoxModel
import Synchronization

let testDeviceType = DeviceTypeID("5964a10570c85b51ccbaf497")!
let t0 = SimulationTime(seconds: 1_763_805_600)

/// A callback definition from the readable form, as JSON text.
func definition(_ json: String) throws -> CallbackDefinition {
    try CallbackDefinition(from: JSONParser.parse(json))
}

/// A DATA/UPLINK trigger for `device` at `time`.
func uplinkTrigger(
    device: UInt32 = 0x2C30EA,
    at time: SimulationTime = t0,
    service: CallbackService = .dataUplink,
    seq: Int = 1,
    expectsDownlink: Bool = false
) -> CallbackTrigger {
    var bindings = VariableBindings()
    bindings[.device] = .text(DeviceID(device).description)
    bindings[.time] = .integer(time.epochSeconds)
    bindings[.data] = .text("0102")
    bindings[.seqNumber] = .integer(Int64(seq))
    bindings[.ack] = .bool(expectsDownlink)
    bindings.payload = [1, 2]
    return CallbackTrigger(
        service: service,
        deviceType: testDeviceType,
        device: DeviceID(device),
        due: time,
        firstReception: time,
        bindings: bindings,
        message: MessageID(device: DeviceID(device), seqNumber: seq, firstReception: time),
        expectsDownlink: expectsDownlink
    )
}

/// The attempt records among `events`.
func attempts(_ events: [DeliveryEvent]) -> [AttemptRecord] {
    events.compactMap {
        if case .attempt(let record) = $0 { return record }
        return nil
    }
}

/// A transport that answers from a rule after a real delay, driven by the loop's own thread
/// (``PolledTransport``), for loop tests: an answer is ready `delaySeconds` after its request was submitted
/// and comes out of the first poll after that.
final class FakePolledTransport: PolledTransport, @unchecked Sendable {
    struct Answer: Sendable {
        var outcome: TransportResult.Outcome
        var delaySeconds: Double = 0
        /// Never answers (the scheduler's deadline must act).
        var hang = false
    }

    // Safe: `submit`, `poll` and `shutdown` run on the loop's thread only; `interrupt` signals a semaphore.
    private let rule: @Sendable (TransportRequest, Int) -> Answer
    private var waiting: [(ready: ContinuousClock.Instant, result: TransportResult)] = []
    private var hanging: [UInt64] = []
    private var count = 0
    private let wake = DispatchSemaphore(value: 0)
    private(set) var requests: [TransportRequest] = []
    /// Polls that returned nothing although they had time to wait.
    private(set) var emptyPolls = 0
    /// The requests the loop cancelled (their deadline passed).
    private(set) var cancelled: [UInt64] = []

    init(_ rule: @escaping @Sendable (TransportRequest, Int) -> Answer) {
        self.rule = rule
    }

    func submit(_ request: TransportRequest) {
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

    func poll(timeoutMilliseconds: Int) -> [TransportResult] {
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

    func interrupt() { wake.signal() }

    func cancel(_ ids: [UInt64]) {
        cancelled += ids
        hanging.removeAll { ids.contains($0) }
        waiting.removeAll { ids.contains($0.result.id) }
    }

    func shutdown() -> [TransportResult] {
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
