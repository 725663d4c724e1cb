import Dispatch
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxTesting
import Synchronization
import Testing

/// Virtual time's lookahead (DeliveryLoop): the loop that sends later events while tries are in flight gives
/// the journal the loop that waits for each answer gives, on random scenarios.
@Suite("Virtual time lookahead", .timeLimit(.minutes(3)))
struct LookaheadTests {
    static let receiver = "http://receiver.invalid"

    /// A small random scenario: 1 to 4 devices of a type with DATA/UPLINK, DATA/BIDIR (some uplinks ask
    /// for a downlink), DATA_ADVANCED, ACKNOWLEDGE and a BATCH_URL callback, uplinks at random whole
    /// seconds over ten minutes.
    static func scenario(seed: UInt64) throws -> Scenario {
        var random = SplitMix(seed: seed)
        let devices = Int(random.next() % 4) + 1
        var yaml = """
            name: lookahead-\(seed)
            seed: \(seed)
            start: 2026-01-01T00:00:00Z
            time: virtual
            baseStations:
              - { id: 1D44, lat: 43.61, lng: 1.45 }
              - { id: A9DC, lat: 43.59, lng: 1.43 }
            deviceTypes:
              - id: 5f1d3a2b4c6e8f0a1b2c3d4e
                name: t
                callbacks:
                  - { id: up, service: DATA/UPLINK, url: "{receiver}/up?d={device}&s={seqNumber}", method: POST, body: "{data}" }
                  - { id: bidir, service: DATA/BIDIR, url: "{receiver}/bidir/{device}?s={seqNumber}", method: POST, body: "{data}" }
                  - { id: adv, service: DATA_ADVANCED, url: "{receiver}/adv?d={device}&s={seqNumber}" }
                  - { id: ack, service: ACKNOWLEDGE, url: "{receiver}/ack?d={device}&m={infoMessage}" }
                  - { id: batch, service: DATA/UPLINK, channel: BATCH_URL, url: "{receiver}/batch", linePattern: "{device};{seqNumber}" }
            devices:

            """
        for index in 0..<devices {
            yaml +=
                "  - { id: \(String(0x2C30EA + index, radix: 16, uppercase: true)), deviceType: t, lat: 43.60, lng: 1.44 }\n"
        }
        yaml += "traffic:\n"
        for _ in 0..<(Int(random.next() % 12) + 3) {
            let device = String(0x2C30EA + Int(random.next() % UInt64(devices)), radix: 16, uppercase: true)
            let at = random.next() % 600
            let ack = random.next() % 3 == 0
            yaml += "  - { at: +\(at)s, device: \(device), payload: \"0\(random.next() % 10)\", ack: \(ack) }\n"
        }
        yaml += "receiver: embedded\n"
        return try Scenario.parse(yaml)
    }

    /// Runs the scenario's traffic through a loop with or without lookahead, on a thread of its own (the
    /// loop blocks it); the normalised journal.
    static func journal(_ scenario: Scenario, lookahead: Bool, transport: ContentTransport) async throws -> [String] {
        try await offPool { Result { try blockingJournal(scenario, lookahead: lookahead, transport: transport) } }.get()
    }

    static func blockingJournal(_ scenario: Scenario, lookahead: Bool, transport: ContentTransport) throws -> [String] {
        let builder = ScenarioBuilder(scenario)
        var traffic = try builder.traffic()
        let loop = DeliveryLoop(
            engine: try builder.callbackEngine(receiverURL: receiver),
            configuration: DeliveryConfiguration(),
            transport: PolledAdapter(transport),
            mode: .virtual,
            start: scenario.start
        )
        loop.lookahead = lookahead
        var records = [AttemptRecord]()
        let ledger = loop.run(source: &traffic) { event in
            if case .attempt(let record) = event { records.append(record) }
        }
        #expect(ledger.balances && ledger.pending == 0 && ledger.cancelled == 0)
        return GoldenJournal.normalize(records, receiverURL: receiver)
    }

    @Test("random scenarios give the same journal with and without lookahead", arguments: 1...12)
    func sameJournal(seed: UInt64) async throws {
        let scenario = try Self.scenario(seed: seed)
        let without = try await Self.journal(scenario, lookahead: false, transport: ContentTransport(seed: seed))
        let with = try await Self.journal(scenario, lookahead: true, transport: ContentTransport(seed: seed))
        #expect(!without.isEmpty)
        #expect(with == without, "\(GoldenJournal.lineDifferences(golden: without, run: with).prefix(6))")
    }

    @Test("with lookahead, tries due while others are in flight are sent at once, each judged on its own")
    func overlaps() async throws {
        // Twenty uplinks a second apart; every answer takes 150 ms of real time. Without lookahead each
        // waits for the one before; with it they are all in flight together.
        var yaml = """
            name: overlap
            seed: 1
            start: 2026-01-01T00:00:00Z
            baseStations: [{ id: 1D44, lat: 43.61, lng: 1.45 }]
            deviceTypes:
              - id: 5f1d3a2b4c6e8f0a1b2c3d4e
                name: t
                callbacks: [{ service: DATA/UPLINK, url: "{receiver}/up?s={seqNumber}" }]
            devices: [{ id: 2C30EA, deviceType: t, lat: 43.60, lng: 1.44 }]
            traffic:

            """
        for second in 0..<20 { yaml += "  - { at: +\(second)s, device: 2C30EA, payload: \"01\" }\n" }
        yaml += "receiver: embedded\n"
        let scenario = try Scenario.parse(yaml)
        let transport = ContentTransport(seed: 0, realDelay: 0.15, failEvery: 0)
        let journal = try await Self.journal(scenario, lookahead: true, transport: transport)
        #expect(journal.count == 20)
        #expect(transport.mostInFlight >= 10, "at most \(transport.mostInFlight) in flight at once")
        let without = ContentTransport(seed: 0, realDelay: 0.15, failEvery: 0)
        #expect(try await Self.journal(scenario, lookahead: false, transport: without) == journal)
        // Without lookahead only triggers that fall due within one answer's 150 ms overlap (the network's
        // delay varies from message to message).
        #expect(without.mostInFlight < 5)
    }

    @Test("with lookahead, a hanging try fails at its own deadline while later ones go on, and retries on time")
    func hangingTry() async {
        let post = try! CallbackDefinition(
            from: JSONParser.parse(
                #"{"service": "UPLINK", "url": "http://h/x", "method": "POST", "body": "d={device}"}"#
            )
        )
        let type = DeviceTypeID("5964a10570c85b51ccbaf497")!
        let start = SimulationTime(seconds: 1_763_805_600)
        let triggers = (0..<4).map { index in
            var bindings = VariableBindings()
            bindings[.device] = .text(DeviceID(UInt32(0x100 + index)).description)
            let due = start + SimulationDuration(milliseconds: Int64(index) * 100)
            return CallbackTrigger(
                service: .dataUplink,
                deviceType: type,
                device: DeviceID(UInt32(0x100 + index)),
                due: due,
                firstReception: due,
                bindings: bindings,
                message: MessageID(device: DeviceID(UInt32(0x100 + index)), seqNumber: 1, firstReception: due),
                expectsDownlink: false
            )
        }
        // The first device's first try never gets an answer; everything else is answered at once.
        let transport = ContentTransport(
            seed: 0,
            failEvery: 0,
            hang: { body, seen in body.hasSuffix("100") && seen == 1 }
        )
        let loop = DeliveryLoop(
            engine: CallbackEngine(callbacks: [type: [post]]),
            configuration: DeliveryConfiguration(
                retry: RetryPolicy(deadline: SimulationDuration(milliseconds: 500), delays: [.seconds(60)])
            ),
            transport: PolledAdapter(transport),
            mode: .virtual,
            start: start
        )
        let (records, ledger) = await offPool {
            var source = TriggerList(triggers)
            var records = [AttemptRecord]()
            let ledger = loop.run(source: &source) { event in
                if case .attempt(let record) = event { records.append(record) }
            }
            return (records, ledger)
        }
        #expect(ledger.delivered == 4 && ledger.balances)
        let hung = records.first { $0.message.hasPrefix("Timeout") }
        // Failed at its own deadline (due + 500 ms), retried 60 s after that.
        #expect(hung?.outcome == .retrying(start + SimulationDuration(milliseconds: 60_500)))
        // The other three were sent while it hung, not after its deadline.
        #expect(transport.mostInFlight >= 2)
        #expect(records.count == 5, "\(records.map { "\($0.attempt) \($0.message) \($0.outcome)" })")
    }
}

/// SplitMix64: a seeded generator for the random scenarios.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A transport behind the `Transport` seam whose answer depends only on the request's content and how
/// many times that content was seen, never on timing or order: 200, 500, 404, a refused connection, a
/// 2xx reported as taking 1.5 s (so the next try's time moves by a second) or 11 s (too late), and for
/// BIDIR a downlink. Answers come from another thread after `realDelay`.
final class ContentTransport: Transport, Sendable {
    private struct State {
        var seen: [String: Int] = [:]
        var inFlight = 0
        var mostInFlight = 0
    }

    private let state = Mutex(State())
    /// Answers come from a queue of the transport's own, not one shared with the test runner's threads.
    private let queue = DispatchQueue(label: "content-transport", attributes: .concurrent)
    private let seed: UInt64
    private let realDelay: Double
    private let failEvery: UInt64
    private let hang: @Sendable (String, Int) -> Bool

    init(
        seed: UInt64,
        realDelay: Double = 0,
        failEvery: UInt64 = 1,
        hang: @escaping @Sendable (String, Int) -> Bool = { _, _ in false }
    ) {
        self.seed = seed
        self.realDelay = realDelay
        self.failEvery = failEvery
        self.hang = hang
    }

    var mostInFlight: Int { state.withLock { $0.mostInFlight } }

    func start(_ request: TransportRequest, completion: @escaping @Sendable (TransportResult) -> Void) {
        guard case .http(let http) = request.payload else { return }
        let key = http.url + "|" + (http.body ?? "")
        let seen = state.withLock { state -> Int in
            state.seen[key, default: 0] += 1
            state.inFlight += 1
            state.mostInFlight = max(state.mostInFlight, state.inFlight)
            return state.seen[key]!
        }
        if hang(key, seen) { return }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        hash = (hash ^ UInt64(seen)) &* 0x100_0000_01B3
        let outcome: TransportResult.Outcome
        var latency = 5.0
        switch failEvery == 0 ? 0 : hash % 10 {
        case 1: outcome = .http(status: 500, body: [], truncated: false)
        case 2: outcome = .http(status: 404, body: [], truncated: false)
        case 3: outcome = .failure(code: 7, message: "Connection refused")
        case 4:
            outcome = .http(status: 200, body: [], truncated: false)
            latency = 1_500
        case 5:
            outcome = .http(status: 200, body: [], truncated: false)
            latency = 11_000
        default:
            if http.url.contains("/bidir/"), let device = http.url.split(separator: "/").last?.prefix(6) {
                let body = "{\"\(device)\":{\"downlinkData\":\"0102030405060708\"}}"
                outcome = .http(status: 200, body: Array(body.utf8), truncated: false)
            } else {
                outcome = .http(status: 204, body: [], truncated: false)
            }
        }
        queue.asyncAfter(deadline: .now() + realDelay) { [self, latency] in
            self.state.withLock { $0.inFlight -= 1 }
            completion(TransportResult(id: request.id, outcome: outcome, latencyMilliseconds: latency))
        }
    }

    func shutdown() {}
}
