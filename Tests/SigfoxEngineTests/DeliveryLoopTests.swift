import Dispatch
import SigfoxEngine
import SigfoxModel
import SigfoxTesting
import Testing

@Suite("Delivery loop in virtual time, fake transport", .timeLimit(.minutes(1)))
struct DeliveryLoopTests {
    let post = try! definition(#"{"service": "UPLINK", "url": "http://h/x", "method": "POST", "body": "d={device}"}"#)

    /// Runs `triggers` through a loop whose transport answers by `rule`, driven on the loop's own thread.
    func run(
        triggers: [CallbackTrigger],
        mode: TimeMode = .virtual,
        rule: @escaping @Sendable (TransportRequest, Int) -> FakePolledTransport.Answer
    ) -> ([AttemptRecord], Ledger, Duration) {
        let engine = CallbackEngine(callbacks: [testDeviceType: [post]])
        let loop = DeliveryLoop(
            engine: engine,
            configuration: DeliveryConfiguration(),
            transport: FakePolledTransport(rule),
            mode: mode,
            start: t0
        )
        var source = TriggerList(triggers)
        var records = [AttemptRecord]()
        let clock = ContinuousClock()
        let started = clock.now
        let ledger = loop.run(source: &source) { event in
            if case .attempt(let record) = event { records.append(record) }
        }
        return (records, ledger, clock.now - started)
    }

    @Test("a seven-minute retry ladder takes well under a second of real time")
    func virtualLadder() {
        let (records, ledger, elapsed) = run(triggers: [uplinkTrigger()]) { _, index in
            .init(outcome: .http(status: index < 4 ? 500 : 200, body: [], truncated: false), delaySeconds: 0.002)
        }
        #expect(records.map(\.scheduledAt) == [t0, t0 + .seconds(60), t0 + .seconds(180), t0 + .seconds(420)])
        #expect(ledger.delivered == 1 && ledger.balances)
        #expect(elapsed < .seconds(5))
    }

    @Test("many deliveries, each with its own ladder, all accounted for")
    func manyDeliveries() {
        let triggers = (UInt32(1)...40).map { uplinkTrigger(device: $0, at: t0 + .seconds(Int64($0))) }
        let (records, ledger, _) = run(triggers: triggers) { request, _ in
            guard case .http(let http) = request.payload else { return .init(outcome: .mailSent) }
            // Even devices always fail, odd ones succeed at once.
            let even = http.body?.last.map { Int(String($0), radix: 16)! % 2 == 0 } ?? false
            return .init(outcome: .http(status: even ? 500 : 204, body: [], truncated: false))
        }
        #expect(ledger.created == 40 && ledger.delivered == 20 && ledger.failed == 20 && ledger.balances)
        #expect(records.count == 20 + 20 * 4)
    }

    @Test("scaled time waits each idle gap in full, even after many answers arrived at once")
    func scaledWaitsTheWholeGap() {
        let triggers = (UInt32(1)...20).map { uplinkTrigger(device: $0, at: t0) }
        let (records, ledger, elapsed) = run(triggers: triggers, mode: .scaled(1_000)) { _, _ in
            .init(outcome: .http(status: 500, body: [], truncated: false))
        }
        // The ladder spans 420 simulated seconds: 0.42 s of real time at 1000 times faster.
        #expect(records.count == 80 && ledger.failed == 20 && ledger.balances)
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(5))
    }

    @Test(
        "the loop sleeps inside the transport: a hanging try meets its deadline, answers are not polled for in vain"
    )
    func polledDeadline() {
        let transport = FakePolledTransport { _, index in
            index == 1
                ? .init(outcome: .mailSent, hang: true)
                : .init(outcome: .http(status: 204, body: [], truncated: false), delaySeconds: 0.01)
        }
        let loop = DeliveryLoop(
            engine: CallbackEngine(callbacks: [testDeviceType: [post]]),
            configuration: DeliveryConfiguration(
                retry: RetryPolicy(
                    deadline: SimulationDuration(milliseconds: 300),
                    delays: [SimulationDuration(milliseconds: 100)]
                )
            ),
            transport: transport,
            mode: .real,
            start: t0
        )
        var source = TriggerList([uplinkTrigger()])
        var records = [AttemptRecord]()
        let clock = ContinuousClock()
        let started = clock.now
        let ledger = loop.run(source: &source) { event in
            if case .attempt(let record) = event { records.append(record) }
        }
        let elapsed = clock.now - started
        #expect(
            records.map(\.outcome) == [.retrying(t0 + SimulationDuration(milliseconds: 400)), .delivered],
            "\(records)"
        )
        #expect(records.first?.message.hasPrefix("Timeout") == true)
        #expect(ledger.delivered == 1 && ledger.balances)
        // 300 ms deadline + 100 ms wait + 10 ms answer; each wait was one poll, not a busy loop.
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(3))
        #expect(transport.emptyPolls < 20)
    }

    @Test("a try past its deadline is taken off the transport at once (no socket beyond the in-flight cap)")
    func expiredTryLeavesTheTransport() {
        let transport = FakePolledTransport { _, _ in .init(outcome: .mailSent, hang: true) }
        let loop = DeliveryLoop(
            engine: CallbackEngine(callbacks: [testDeviceType: [post]]),
            configuration: DeliveryConfiguration(
                retry: RetryPolicy(deadline: SimulationDuration(milliseconds: 300), delays: [])
            ),
            transport: transport,
            mode: .virtual,
            start: t0
        )
        var source = TriggerList([uplinkTrigger()])
        let ledger = loop.run(source: &source) { _ in }
        #expect(ledger.failed == 1 && ledger.balances)
        #expect(transport.cancelled == transport.requests.map(\.id))
        #expect(transport.cancelled.count == 1)
    }

    @Test("a stop from another thread ends the loop's wait at once, with the hanging try cancelled")
    func polledStop() {
        let transport = FakePolledTransport { _, _ in .init(outcome: .mailSent, hang: true) }
        let loop = DeliveryLoop(
            engine: CallbackEngine(callbacks: [testDeviceType: [post]]),
            configuration: DeliveryConfiguration(),
            transport: transport,
            mode: .real,
            start: t0
        )
        // The loop is not Sendable; `requestStop` is documented as callable from any thread.
        nonisolated(unsafe) let stopping = loop
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { stopping.requestStop() }
        var source = TriggerList([uplinkTrigger()])
        let clock = ContinuousClock()
        let started = clock.now
        let ledger = loop.run(source: &source) { _ in }
        #expect(clock.now - started < .seconds(3))
        #expect(ledger.cancelled == 1 && ledger.balances)
    }
}
