import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Delivery scheduler (SIGFOX.md section 4), manual clock")
struct DeliverySchedulerTests {
    let post = try! definition(
        #"{"service": "UPLINK", "url": "http://127.0.0.1:9/x", "method": "POST", "body": "d={device}"}"#
    )

    func scheduler(
        _ configuration: DeliveryConfiguration = DeliveryConfiguration()
    ) -> (DeliveryScheduler, CallbackEngine) {
        (DeliveryScheduler(configuration: configuration), CallbackEngine(callbacks: [testDeviceType: [post]]))
    }

    /// Runs one delivery against a sequence of answers given as (status or nil for no answer), judging
    /// each try at its due time; returns the records.
    func ladder(_ answers: [Int?], latencyMilliseconds: Double = 3) -> [AttemptRecord] {
        var (scheduler, engine) = scheduler()
        engine.dispatch(uplinkTrigger(), into: &scheduler)
        var records = [AttemptRecord]()
        for answer in answers {
            guard let due = scheduler.nextWakeup else { break }
            let (requests, _) = scheduler.takeDue(now: due)
            guard let request = requests.first else { break }
            if let status = answer {
                let result = TransportResult(
                    id: request.id,
                    outcome: .http(status: status, body: [], truncated: false),
                    latencyMilliseconds: latencyMilliseconds
                )
                records += attempts(
                    scheduler.complete(result, now: due + SimulationDuration(milliseconds: Int64(latencyMilliseconds)))
                )
            } else {
                records += attempts(scheduler.expireDeadlines(now: scheduler.nextWakeup!))
            }
        }
        #expect(scheduler.ledger.balances)
        return records
    }

    @Test(
        "a try's message is the status line's reason phrase as received; a 2xx without one gets its own, never '204 OK'"
    )
    func reasonPhrases() {
        func message(_ status: Int, _ phrase: String?, headers: String? = nil) -> AttemptRecord? {
            var (scheduler, engine) = scheduler()
            engine.dispatch(uplinkTrigger(), into: &scheduler)
            let (requests, _) = scheduler.takeDue(now: scheduler.nextWakeup!)
            var result = TransportResult(
                id: requests[0].id,
                outcome: .http(status: status, body: [], truncated: false),
                latencyMilliseconds: 2
            )
            result.reasonPhrase = phrase
            result.requestHeaders = headers
            return attempts(scheduler.complete(result, now: t0 + .seconds(4))).first
        }
        #expect(message(204, "No Content")?.message == "No Content")
        #expect(message(204, nil)?.message == "No Content")
        #expect(message(200, "Okay then")?.message == "Okay then")
        #expect(message(299, nil)?.message == "OK")
        #expect(message(503, "Service Unavailable")?.message == "Service Unavailable")
        #expect(message(500, nil)?.message == "HTTP 500")
        #expect(message(302, "Found")?.message == "302 Found: redirects are not followed")
        // The header block the transport saw go out stays with the try (serve shows it).
        let sent = "POST /x HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n"
        #expect(message(200, "OK", headers: sent)?.requestHeaders == sent)
        #expect(
            message(200, "OK", headers: sent)?.jsonLine.contains(#""requestHeaders":"POST /x HTTP/1.1\r\n"#) == true
        )
    }

    @Test("500, 500, 500, then 200: tries at t, t+60 s, t+180 s, t+420 s")
    func failingThenRecovering() {
        let records = ladder([500, 500, 500, 200])
        #expect(records.map(\.scheduledAt) == [t0, t0 + .seconds(60), t0 + .seconds(180), t0 + .seconds(420)])
        #expect(records.map(\.outcome.name) == ["retry", "retry", "retry", "delivered"])
        #expect(records.map(\.status) == [500, 500, 500, 200])
        #expect(records.map(\.attempt) == [1, 2, 3, 4])
    }

    @Test("no answer at all: tries at t, t+70 s, t+200 s, t+450 s, then dead")
    func neverAnswering() {
        let records = ladder([nil, nil, nil, nil])
        #expect(records.map(\.scheduledAt) == [t0, t0 + .seconds(70), t0 + .seconds(200), t0 + .seconds(450)])
        #expect(
            records.map(\.outcome) == [
                .retrying(t0 + .seconds(70)), .retrying(t0 + .seconds(200)), .retrying(t0 + .seconds(450)), .failed,
            ]
        )
        #expect(records.allSatisfy { $0.status == 600 && $0.message == "Timeout: no answer within 10 s" })
        #expect(records.flatMap(\.notDeliveredEntries).count == 4)
    }

    @Test("always failing: four tries, the last one final, one failed delivery in the ledger")
    func alwaysFailing() {
        var (scheduler, engine) = scheduler()
        engine.dispatch(uplinkTrigger(), into: &scheduler)
        var records = [AttemptRecord]()
        while let due = scheduler.nextWakeup {
            let (requests, _) = scheduler.takeDue(now: due)
            for request in requests {
                records += attempts(
                    scheduler.complete(
                        TransportResult(
                            id: request.id,
                            outcome: .failure(code: 7, message: "Connection refused"),
                            latencyMilliseconds: 1
                        ),
                        now: due
                    )
                )
            }
        }
        #expect(records.count == 4)
        #expect(records.last?.outcome == .failed)
        #expect(scheduler.ledger.failed == 1 && scheduler.ledger.tries == 4 && scheduler.ledger.balances)
    }

    @Test("slow answers: the latency counts in whole seconds in virtual time")
    func latencyCounts() {
        let records = ladder([500, 200], latencyMilliseconds: 2_600)
        #expect(records.map(\.scheduledAt) == [t0, t0 + .seconds(62)])
    }

    @Test("an answer after the deadline is a failure and is retried, even a 200")
    func lateAnswer() {
        var (scheduler, engine) = scheduler()
        engine.dispatch(uplinkTrigger(), into: &scheduler)
        let (requests, _) = scheduler.takeDue(now: t0)
        let late = TransportResult(
            id: requests[0].id,
            outcome: .http(status: 200, body: [], truncated: false),
            latencyMilliseconds: 10_500
        )
        let records = attempts(scheduler.complete(late, now: t0 + .seconds(11)))
        #expect(records.count == 1)
        #expect(records[0].message == "Answered after the 10 s deadline")
        #expect(records[0].outcome == .retrying(t0 + .seconds(70)))
        // The deadline already fired for the same try: the result is not judged twice.
        #expect(attempts(scheduler.expireDeadlines(now: t0 + .seconds(11))).isEmpty)
    }

    @Test("redirects are failures, not followed")
    func redirect() {
        let records = ladder([302])
        #expect(records[0].message == "HTTP 302: redirects are not followed")
        #expect(records[0].outcome == .retrying(t0 + .seconds(60)))
    }

    @Test("the in-flight cap holds work back with its due time kept")
    func inFlightCap() {
        var (scheduler, engine) = scheduler(DeliveryConfiguration(maximumInFlight: 2))
        for device in UInt32(1)...5 { engine.dispatch(uplinkTrigger(device: device), into: &scheduler) }
        let first = scheduler.takeDue(now: t0).requests
        #expect(first.count == 2)
        #expect(scheduler.takeDue(now: t0 + .seconds(1)).requests.isEmpty)
        let done = scheduler.complete(
            TransportResult(
                id: first[0].id,
                outcome: .http(status: 204, body: [], truncated: false),
                latencyMilliseconds: 1
            ),
            now: t0 + .seconds(1)
        )
        #expect(attempts(done).first?.scheduledAt == t0)
        let next = scheduler.takeDue(now: t0 + .seconds(1)).requests
        #expect(next.count == 1)
        #expect(scheduler.inFlightCount == 2)
        #expect(scheduler.ledger.pending == 4 && scheduler.ledger.balances)
    }

    @Test("BATCH_URL: messages of the same 1 s window go in one request, sent when the window closes")
    func batchWindows() throws {
        let batch = try definition(#"{"service": "UPLINK", "url": "http://h/b", "linePattern": "{device};{data}"}"#)
        var scheduler = DeliveryScheduler()
        let engine = CallbackEngine(callbacks: [testDeviceType: [batch]])
        engine.dispatch(uplinkTrigger(device: 1, at: t0 + SimulationDuration(milliseconds: 200)), into: &scheduler)
        engine.dispatch(uplinkTrigger(device: 2, at: t0 + SimulationDuration(milliseconds: 900)), into: &scheduler)
        engine.dispatch(uplinkTrigger(device: 3, at: t0 + SimulationDuration(milliseconds: 1_100)), into: &scheduler)
        #expect(scheduler.openBatchCount == 2)
        #expect(scheduler.nextWakeup == t0 + .seconds(1))
        let first = scheduler.takeDue(now: t0 + .seconds(1)).requests
        #expect(first.count == 1)
        guard case .http(let request) = first[0].payload else {
            Issue.record("not http")
            return
        }
        #expect(request.body == "1;0102\n2;0102")
        let second = scheduler.takeDue(now: t0 + .seconds(2)).requests
        guard case .http(let other) = second.first?.payload else {
            Issue.record("no second batch")
            return
        }
        #expect(other.body == "3;0102")
        #expect(scheduler.ledger.created == 2)
    }

    @Test("a body that cannot be rendered fails each try without sending, status 600")
    func renderFailure() throws {
        let json = try definition(
            #"{"service": "UPLINK", "url": "http://h/", "method": "POST", "contentType": "application/json", "body": "{\"d\":{device}}"}"#
        )
        var scheduler = DeliveryScheduler()
        CallbackEngine(callbacks: [testDeviceType: [json]]).dispatch(uplinkTrigger(), into: &scheduler)
        var records = [AttemptRecord]()
        while let due = scheduler.nextWakeup {
            let (requests, events) = scheduler.takeDue(now: due)
            #expect(requests.isEmpty)
            records += attempts(events)
        }
        #expect(records.map(\.scheduledAt) == [t0, t0 + .seconds(60), t0 + .seconds(180), t0 + .seconds(420)])
        #expect(
            records.allSatisfy {
                $0.status == 600 && $0.message == "JSON body could not be evaluated" && $0.request == nil
            }
        )
    }

    @Test("BIDIR: the first try's answer goes back for the waiting device; retries are too late")
    func bidirAnswers() throws {
        let bidir = try definition(#"{"service": "BIDIR", "url": "http://h/", "method": "POST", "body": "d={device}"}"#)
        var scheduler = DeliveryScheduler()
        let engine = CallbackEngine(callbacks: [testDeviceType: [bidir]])
        engine.dispatch(uplinkTrigger(service: .dataBidir, expectsDownlink: true), into: &scheduler)
        let (requests, _) = scheduler.takeDue(now: t0)
        let body = Array(#"{"2C30EA": {"downlinkData": "0102030405060708"}}"#.utf8)
        let events = scheduler.complete(
            TransportResult(
                id: requests[0].id,
                outcome: .http(status: 200, body: body, truncated: false),
                latencyMilliseconds: 5
            ),
            now: t0
        )
        let id = MessageID(device: DeviceID(0x2C30EA), seqNumber: 1, firstReception: t0)
        #expect(events.contains(.downlinkAnswer(id, .downlink([1, 2, 3, 4, 5, 6, 7, 8]), at: t0)))

        engine.dispatch(uplinkTrigger(service: .dataBidir, seq: 2, expectsDownlink: true), into: &scheduler)
        let second = scheduler.takeDue(now: t0).requests
        let failed = scheduler.complete(
            TransportResult(
                id: second[0].id,
                outcome: .http(status: 500, body: [], truncated: false),
                latencyMilliseconds: 5
            ),
            now: t0
        )
        let id2 = MessageID(device: DeviceID(0x2C30EA), seqNumber: 2, firstReception: t0)
        #expect(failed.contains(.downlinkAnswer(id2, .noAnswer("HTTP 500"), at: t0)))
        let retry = scheduler.takeDue(now: t0 + .seconds(60)).requests
        let retried = scheduler.complete(
            TransportResult(
                id: retry[0].id,
                outcome: .http(status: 200, body: body, truncated: false),
                latencyMilliseconds: 5
            ),
            now: t0 + .seconds(60)
        )
        #expect(retried.count == 1)
    }

    @Test("cancelling at shutdown balances the ledger")
    func cancel() {
        var (scheduler, engine) = scheduler()
        for device in UInt32(1)...3 { engine.dispatch(uplinkTrigger(device: device), into: &scheduler) }
        _ = scheduler.takeDue(now: t0)
        let records = attempts(scheduler.cancelAll(now: t0 + .seconds(1)))
        #expect(records.count == 3 && records.allSatisfy { $0.outcome == .cancelled })
        #expect(scheduler.ledger.cancelled == 3 && scheduler.ledger.pending == 0 && scheduler.ledger.balances)
        #expect(scheduler.isIdle)
    }

    @Test("journal lines and not-delivered entries are JSON in the documented shape")
    func journalShape() throws {
        let records = ladder([503])
        let line = records[0].jsonLine
        let node = try JSONParser.parse(line)
        #expect(
            node.entries?.map(\.key) == [
                "time", "delivery", "callback", "service", "channel", "attempt", "devices", "request", "status",
                "message", "response", "outcome", "nextTry", "latencyMs",
            ]
        )
        #expect(node["nextTry"]?.value == .number(String((t0 + .seconds(60)).milliseconds)))
        let entry = try JSONParser.parse(try #require(records[0].notDeliveredEntries.first))
        #expect(
            entry.entries?.map(\.key) == [
                "deviceId", "deviceTypeId", "time", "data", "status", "message", "callback", "parameters",
            ]
        )
        #expect(entry["callback"]?["method"]?.value == .string("POST"))
        #expect(entry["parameters"]?["device"]?.value == .string("2C30EA"))
    }

    @Test("GEOLOC never fires; legacy duplicates reach only sendDuplicate callbacks")
    func dispatchRules() throws {
        let plain = try definition(#"{"service": "UPLINK", "url": "http://h/a"}"#)
        let legacy = try definition(#"{"service": "UPLINK", "url": "http://h/b", "sendDuplicate": true}"#)
        let geoloc = try definition(#"{"service": "GEOLOC", "url": "http://h/c"}"#)
        let engine = CallbackEngine(callbacks: [testDeviceType: [plain, legacy, geoloc]])
        var scheduler = DeliveryScheduler()
        #expect(engine.dispatch(uplinkTrigger(), into: &scheduler) == 2)
        var duplicate = uplinkTrigger()
        duplicate.isLegacyDuplicate = true
        #expect(engine.dispatch(duplicate, into: &scheduler) == 1)
        #expect(engine.dispatch(uplinkTrigger(service: .geoloc), into: &scheduler) == 0)
    }
}
