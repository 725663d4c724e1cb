import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Deliveries waiting for a retry are kept small and rendered again, identically")
struct FrozenDeliveryTests {
    let json = try! definition(
        #"{"service": "UPLINK", "url": "http://127.0.0.1:9/x?d={device}", "method": "POST", "contentType": "application/json", "#
            + #""headers": {"X-Seq": "{seqNumber}"}, "body": "{\"d\":\"{device}\",\"t\":{time},\"x\":\"{data}\",\"a\":{ack}}"}"#
    )

    /// Fails every try of every due delivery at its due time; returns every request sent, in order.
    func failEverything(_ scheduler: inout DeliveryScheduler, limit: Int = 100) -> [TransportRequest] {
        var sent = [TransportRequest]()
        for _ in 0..<limit {
            guard let due = scheduler.nextWakeup else { break }
            let (requests, _) = scheduler.takeDue(now: due)
            for request in requests {
                sent.append(request)
                let result = TransportResult(
                    id: request.id,
                    outcome: .failure(code: 7, message: "Connection refused"),
                    latencyMilliseconds: 1
                )
                _ = scheduler.complete(result, now: due)
            }
        }
        return sent
    }

    @Test("every retry sends the first try's request byte for byte; the journal keeps device, data and parameters")
    func retriesAreIdentical() {
        var scheduler = DeliveryScheduler()
        let engine = CallbackEngine(callbacks: [testDeviceType: [json]])
        engine.dispatch(uplinkTrigger(seq: 7), into: &scheduler)
        engine.dispatch(uplinkTrigger(device: 0xABC, seq: 8, expectsDownlink: true), into: &scheduler)
        // After the first tries fail, both wait for a retry a minute later.
        let (first, _) = scheduler.takeDue(now: t0)
        var records = [AttemptRecord]()
        for request in first {
            let result = TransportResult(
                id: request.id,
                outcome: .failure(code: 7, message: "Connection refused"),
                latencyMilliseconds: 1
            )
            records += attempts(scheduler.complete(result, now: t0))
        }
        #expect(scheduler.ledger.pending == 2)
        #expect(scheduler.ledger.balances)
        let rest = failEverything(&scheduler)
        #expect(rest.count == 6)
        for request in rest {
            let original = first.first { $0.payload.httpURL == request.payload.httpURL }
            #expect(original?.payload == request.payload)
        }
        #expect(scheduler.ledger.failed == 2)
        #expect(scheduler.ledger.pending == 0)
        #expect(records.first?.messages.first?.bindings[.data] == .text("0102"))
    }

    @Test("a stop cancels frozen deliveries too, with their requests; the ledger balances")
    func cancelFrozen() throws {
        var scheduler = DeliveryScheduler()
        let engine = CallbackEngine(callbacks: [testDeviceType: [json]])
        for seq in 1...5 { engine.dispatch(uplinkTrigger(seq: seq), into: &scheduler) }
        let (first, _) = scheduler.takeDue(now: t0)
        for request in first {
            let result = TransportResult(
                id: request.id,
                outcome: .http(status: 503, body: [], truncated: false),
                latencyMilliseconds: 1
            )
            _ = scheduler.complete(result, now: t0)
        }
        #expect(scheduler.ledger.pending == 5)
        let cancelled = attempts(scheduler.cancelAll(now: t0 + .seconds(5)))
        #expect(cancelled.count == 5)
        #expect(cancelled.allSatisfy { $0.outcome == .cancelled && $0.request != nil })
        #expect(scheduler.ledger.cancelled == 5)
        #expect(scheduler.ledger.pending == 0)
        #expect(scheduler.ledger.balances)
    }

    @Test("bindings kept compact render and compare like the full ones")
    func compactBindings() {
        let full = uplinkTrigger().bindings
        let kept = full.keeping([.device, .data, .seqNumber], payload: true)
        #expect(kept[.device] == full[.device])
        #expect(kept[.time] == nil)
        #expect(kept.payload == [1, 2])
        #expect(kept.boundVariables.map(\.0) == [.device, .data, .seqNumber].sorted { $0.ordinal < $1.ordinal })
        var written = kept
        written[.time] = .integer(5)
        #expect(written[.time] == .integer(5))
        #expect(written[.device] == full[.device])
        #expect(full.keeping(StandardVariable.allCases, payload: true) == full)
    }
}

extension RenderedCallback {
    fileprivate var httpURL: String? {
        if case .http(let request) = self { return request.url }
        return nil
    }
}
