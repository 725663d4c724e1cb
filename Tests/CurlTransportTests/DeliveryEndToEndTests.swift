import CurlTransport
import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel
import SigfoxServices
import SigfoxTesting
import Testing

let deviceType = DeviceTypeID("5964a10570c85b51ccbaf497")!
let start = SimulationTime(seconds: 1_763_805_600)

func trigger(
    _ service: CallbackService = .dataUplink,
    device: UInt32 = 0x2C30EA,
    at time: SimulationTime = start,
    ack: Bool = false
) -> CallbackTrigger {
    var bindings = VariableBindings()
    bindings[.device] = .text(DeviceID(device).description)
    bindings[.time] = .integer(time.epochSeconds)
    bindings[.data] = .text("ff3842")
    bindings[.ack] = .bool(ack)
    bindings.payload = [0xFF, 0x38, 0x42]
    return CallbackTrigger(
        service: service,
        deviceType: deviceType,
        device: DeviceID(device),
        due: time,
        firstReception: time,
        bindings: bindings,
        message: MessageID(device: DeviceID(device), seqNumber: 1, firstReception: time),
        expectsDownlink: ack
    )
}

/// Runs triggers through the real engine (libcurl) in virtual time; returns every event.
func deliver(
    _ callbacks: [CallbackDefinition],
    _ triggers: [CallbackTrigger],
    deadline: SimulationDuration = .seconds(10)
) async -> ([DeliveryEvent], Ledger) {
    await offPool { deliverBlocking(callbacks, triggers, deadline: deadline) }
}

func deliverBlocking(
    _ callbacks: [CallbackDefinition],
    _ triggers: [CallbackTrigger],
    deadline: SimulationDuration
) -> ([DeliveryEvent], Ledger) {
    let transport = PolledCurlTransport()
    defer { _ = transport.shutdown() }
    let loop = DeliveryLoop(
        engine: CallbackEngine(callbacks: [deviceType: callbacks]),
        configuration: DeliveryConfiguration(retry: RetryPolicy(deadline: deadline)),
        transport: transport,
        mode: .virtual,
        start: start
    )
    var source = TriggerList(triggers)
    var events = [DeliveryEvent]()
    let ledger = loop.run(source: &source) { events.append($0) }
    return (events, ledger)
}

func records(_ events: [DeliveryEvent]) -> [AttemptRecord] {
    events.compactMap {
        if case .attempt(let record) = $0 { return record }
        return nil
    }
}

@Suite("Delivery end to end: scheduler + libcurl + embedded receiver, virtual time", .timeLimit(.minutes(2)))
struct DeliveryEndToEndTests {
    @Test("500, 500, 500 then 200: tries at t, t+60 s, t+180 s, t+420 s, in well under a minute")
    func recovering() async throws {
        var rules = ReceiverRules()
        rules.setSequence([.status(500), .status(500), .status(500), .status(200)], for: "/flaky")
        let receiver = try await EmbeddedReceiver.start(rules: rules)
        let callback = try CallbackDefinition(
            from: JSONParser.parse(
                #"{"service": "UPLINK", "url": "\#(receiver.baseURL)/flaky", "method": "POST", "body": "d={device}"}"#
            )
        )
        let clock = ContinuousClock()
        let began = clock.now
        let (events, ledger) = await deliver([callback], [trigger()])
        let tries = records(events)
        #expect(
            tries.map(\.scheduledAt) == [start, start + .seconds(60), start + .seconds(180), start + .seconds(420)]
        )
        #expect(tries.map(\.status) == [500, 500, 500, 200])
        #expect(ledger.delivered == 1 && ledger.balances)
        #expect(clock.now - began < .seconds(20))
        #expect(receiver.requests.count == 4)
        try await receiver.shutdown()
    }

    @Test("a receiver that never answers: tries at t, t+70 s, t+200 s, t+450 s, then not delivered")
    func neverAnswering() async throws {
        let receiver = try await EmbeddedReceiver.start(rules: ReceiverRules(default: .hang))
        let callback = try CallbackDefinition(
            from: JSONParser.parse(#"{"service": "UPLINK", "url": "\#(receiver.baseURL)/hang"}"#)
        )
        let (events, ledger) = await deliver([callback], [trigger()])
        let tries = records(events)
        #expect(
            tries.map(\.scheduledAt) == [start, start + .seconds(70), start + .seconds(200), start + .seconds(450)]
        )
        #expect(tries.last?.outcome == .failed && tries.allSatisfy { $0.status == 600 })
        #expect(ledger.failed == 1 && ledger.balances)
        #expect(tries.flatMap(\.notDeliveredEntries).count == 4)
        try await receiver.shutdown()
    }

    @Test("refused, reset, redirect and bad JSON are recorded and the run goes on to deliver the rest")
    func failuresDoNotStopTheRun() async throws {
        var rules = ReceiverRules()
        rules.set(.reset, for: "/reset")
        rules.set(.redirect(to: "/x"), for: "/moved")
        let receiver = try await EmbeddedReceiver.start(rules: rules)
        let base = receiver.baseURL
        let closed = RefusingPort()
        let callbacks = try [
            #"{"service": "UPLINK", "url": "\#(closed.url)/refused"}"#,
            #"{"service": "UPLINK", "url": "\#(base)/reset"}"#,
            #"{"service": "UPLINK", "url": "\#(base)/moved"}"#,
            #"{"service": "UPLINK", "url": "\#(base)/json", "method": "POST", "contentType": "application/json", "body": "{\"d\":{device}}"}"#,
            #"{"service": "UPLINK", "url": "\#(base)/ok"}"#,
        ].map { try CallbackDefinition(from: JSONParser.parse($0)) }
        let (events, ledger) = await deliver(callbacks, [trigger()])
        let tries = records(events)
        #expect(ledger.created == 5 && ledger.delivered == 1 && ledger.failed == 4 && ledger.balances)
        let firsts = Dictionary(grouping: tries.filter { $0.attempt == 1 }, by: { $0.callback.index })
        #expect(firsts[0]?.first?.message.hasPrefix("Connection refused") == true)
        #expect(firsts[1]?.first?.status == 600)
        #expect(firsts[2]?.first?.message == "HTTP 302: redirects are not followed")
        #expect(firsts[3]?.first?.message == "JSON body could not be evaluated")
        #expect(firsts[4]?.first?.outcome == .delivered)
        try await receiver.shutdown()
    }

    @Test(
        "BIDIR: each kind of answer gives the right downlink or none",
        arguments: [
            (BidirAnswer.fixed("0102030405060708"), DownlinkAnswer.downlink([1, 2, 3, 4, 5, 6, 7, 8])),
            (.echo, .downlink([0xFF, 0x38, 0x42, 0, 0, 0, 0, 0])),
            (.noContent, .noData),
            (.noData, .noData),
            (.badLength, .invalidPayload("downlinkData '0102030405' is not 16 hex characters")),
        ]
    )
    func bidir(_ kind: BidirAnswer, _ expected: DownlinkAnswer) async throws {
        let receiver = try await EmbeddedReceiver.start(rules: ReceiverRules(default: .bidir(kind)))
        let callback = try CallbackDefinition(
            from: JSONParser.parse(
                #"{"service": "BIDIR", "url": "\#(receiver.baseURL)/bidir", "method": "POST", "contentType": "application/json", "body": "{\"device\":\"{device}\",\"data\":\"{data}\",\"ack\":{ack}}"}"#
            )
        )
        let (events, _) = await deliver([callback], [trigger(.dataBidir, ack: true)])
        let answers = events.compactMap { event -> DownlinkAnswer? in
            if case .downlinkAnswer(_, let answer, _) = event { return answer }
            return nil
        }
        #expect(answers == [expected])
        try await receiver.shutdown()
    }

    @Test("BIDIR: malformed JSON is an invalid payload; a failed first try is no answer")
    func bidirFailures() async throws {
        let receiver = try await EmbeddedReceiver.start(rules: ReceiverRules(default: .bidir(.malformed)))
        let callback = try CallbackDefinition(
            from: JSONParser.parse(#"{"service": "BIDIR", "url": "\#(receiver.baseURL)/b?device={device}"}"#)
        )
        let (events, _) = await deliver([callback], [trigger(.dataBidir, ack: true)])
        guard
            case .downlinkAnswer(_, .invalidPayload, _)? = events.first(where: {
                if case .downlinkAnswer = $0 { true } else { false }
            })
        else {
            Issue.record("expected an invalid payload, got \(events)")
            return
        }
        receiver.setRules(ReceiverRules(default: .status(503)))
        let (failed, _) = await deliver([callback], [trigger(.dataBidir, ack: true)])
        #expect(failed.contains { if case .downlinkAnswer(_, .noAnswer("HTTP 503"), _) = $0 { true } else { false } })
        try await receiver.shutdown()
    }

    @Test("BATCH_URL end to end: one request per 1 s window, lines joined with \\n")
    func batch() async throws {
        let receiver = try await EmbeddedReceiver.start()
        let callback = try CallbackDefinition(
            from: JSONParser.parse(
                #"{"service": "UPLINK", "url": "\#(receiver.baseURL)/batch", "linePattern": "{device};{time};{data}"}"#
            )
        )
        let triggers = [
            trigger(device: 1, at: start + SimulationDuration(milliseconds: 100)),
            trigger(device: 2, at: start + SimulationDuration(milliseconds: 800)),
            trigger(device: 3, at: start + SimulationDuration(milliseconds: 1_500)),
        ]
        let (events, ledger) = await deliver([callback], triggers)
        #expect(records(events).map(\.scheduledAt) == [start + .seconds(1), start + .seconds(2)])
        #expect(
            receiver.requests.map(\.bodyText) == ["1;1763805600;ff3842\n2;1763805600;ff3842", "3;1763805601;ff3842"]
        )
        #expect(receiver.requests.first?.header("Content-Type") == "text/plain")
        #expect(ledger.delivered == 2)
        try await receiver.shutdown()
    }
}
