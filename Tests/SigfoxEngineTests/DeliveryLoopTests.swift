import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Delivery loop in virtual time, fake transport", .timeLimit(.minutes(1)))
struct DeliveryLoopTests {
    let post = try! definition(#"{"service": "UPLINK", "url": "http://h/x", "method": "POST", "body": "d={device}"}"#)

    func run(
        _ transport: FakeTransport,
        triggers: [CallbackTrigger],
        mode: TimeMode = .virtual
    ) -> ([AttemptRecord], Ledger, Duration) {
        let loop = DeliveryLoop(
            engine: CallbackEngine(callbacks: [testDeviceType: [post]]),
            configuration: DeliveryConfiguration(),
            transport: transport,
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
        let transport = FakeTransport { _, index in
            .init(outcome: .http(status: index < 4 ? 500 : 200, body: [], truncated: false), delaySeconds: 0.002)
        }
        let (records, ledger, elapsed) = run(transport, triggers: [uplinkTrigger()])
        #expect(records.map(\.scheduledAt) == [t0, t0 + .seconds(60), t0 + .seconds(180), t0 + .seconds(420)])
        #expect(ledger.delivered == 1 && ledger.balances)
        #expect(elapsed < .seconds(5))
    }

    @Test("many deliveries, each with its own ladder, all accounted for")
    func manyDeliveries() {
        let transport = FakeTransport { request, _ in
            guard case .http(let http) = request.payload else { return .init(outcome: .mailSent) }
            // Even devices always fail, odd ones succeed at once.
            let even = http.body?.last.map { Int(String($0), radix: 16)! % 2 == 0 } ?? false
            return .init(outcome: .http(status: even ? 500 : 204, body: [], truncated: false))
        }
        let triggers = (UInt32(1)...40).map { uplinkTrigger(device: $0, at: t0 + .seconds(Int64($0))) }
        let (records, ledger, _) = run(transport, triggers: triggers)
        #expect(ledger.created == 40 && ledger.delivered == 20 && ledger.failed == 20 && ledger.balances)
        #expect(records.count == 20 + 20 * 4)
    }

    @Test("scaled time waits each idle gap in full, even after many answers arrived at once")
    func scaledWaitsTheWholeGap() {
        let transport = FakeTransport { _, _ in .init(outcome: .http(status: 500, body: [], truncated: false)) }
        let triggers = (UInt32(1)...20).map { uplinkTrigger(device: $0, at: t0) }
        let (records, ledger, elapsed) = run(transport, triggers: triggers, mode: .scaled(1_000))
        // The ladder spans 420 simulated seconds: 0.42 s of real time at 1000 times faster.
        #expect(records.count == 80 && ledger.failed == 20 && ledger.balances)
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(5))
    }
}
