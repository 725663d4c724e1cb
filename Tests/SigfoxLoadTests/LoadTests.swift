import Foundation
import SigfoxEngine
import SigfoxLoad
import SigfoxModel
import SigfoxReceiverModel
import SigfoxScenario
import SigfoxServices
import SigfoxTesting
import Testing

/// Runs a load test against a fresh embedded receiver answering by `rules`.
func loadTest(
    _ plan: LoadPlan,
    rules: ReceiverRules = ReceiverRules(),
    stopAfter: Duration? = nil
) async throws -> (LoadReport, [RecordedRequest]) {
    let receiver = try await EmbeddedReceiver.start(rules: rules)
    let runner = try LoadRunner(plan: plan, target: receiver.baseURL + "/sigfox/uplink")
    if let stopAfter {
        // From a dispatch queue, as the signal handler does: a Task would wait for a thread of the
        // cooperative pool, which the suite's blocking tests can hold for seconds on 2 cores.
        DispatchQueue.global().asyncAfter(deadline: .now() + stopAfter.inSeconds) { runner.stop() }
    }
    let result = await offPool { () -> Result<LoadReport, LoadError> in
        do throws(LoadError) { return .success(try runner.run()) } catch { return .failure(error) }
    }
    let requests = receiver.requests
    try await receiver.shutdown()
    return (try result.get(), requests)
}

@Suite("Load: the open model's timetable")
struct ArrivalScheduleTests {
    @Test("a fixed rate: arrival k at k / rate, rate × duration arrivals")
    func fixedRate() {
        let schedule = ArrivalSchedule(from: 200, to: 200, duration: 10)
        #expect(schedule.count == 2_000)
        #expect(schedule.seconds(of: 0) == 0)
        #expect(abs(schedule.seconds(of: 1) - 0.005) < 1e-12)
        #expect(abs(schedule.seconds(of: 1_999) - 9.995) < 1e-9)
        let start = SimulationTime(seconds: 1_000)
        #expect(schedule.due(of: 3, start: start) == start + SimulationDuration(milliseconds: 15))
    }

    @Test("a ramp: arrivals follow the integral of the rate, and keep their order")
    func ramp() {
        let schedule = ArrivalSchedule(from: 0, to: 200, duration: 10)
        // N(t) = 10 t²: 1,000 in all, 250 in the first half.
        #expect(schedule.count == 1_000)
        let firstHalf = (0..<schedule.count).filter { schedule.seconds(of: $0) < 5 }.count
        #expect(firstHalf == 250)
        let times = (0..<schedule.count).map(schedule.seconds(of:))
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(times.last! < 10)
        // Ramping down is the mirror image.
        let down = ArrivalSchedule(from: 200, to: 0, duration: 10)
        #expect(down.count == 1_000)
        #expect((0..<down.count).filter { down.seconds(of: $0) < 5 }.count == 750)
    }

    @Test("a fractional total rounds up: the arrival at t = 0 counts")
    func fractional() {
        #expect(ArrivalSchedule(from: 1.5, to: 1.5, duration: 1).count == 2)
        #expect(ArrivalSchedule(from: 3, to: 3, duration: 1).count == 3)
    }

    @Test("retries: Sigfox's 1, 2, 4 minutes, scaled by --time, or none")
    func retryPolicy() {
        #expect(LoadPlan().retryPolicy == .sigfox)
        let scaled = LoadPlan(timeScale: 60).retryPolicy
        #expect(scaled.delays == [.seconds(1), .seconds(2), .seconds(4)])
        #expect(scaled.deadline == .seconds(10))
        #expect(LoadPlan(retries: false).retryPolicy.maximumTries == 1)
    }
}

@Suite("Load: real requests through libcurl to a receiver on loopback", .timeLimit(.minutes(2)))
struct LoadRunTests {
    @Test("every planned uplink becomes one POST; latency, ledger and reports add up")
    func steadyRate() async throws {
        let plan = LoadPlan(arrivals: .rate(from: 200, to: 200), duration: 1, devices: 50)
        let (report, requests) = try await loadTest(plan)
        #expect(report.uplinks == 200)
        #expect(report.tries == 200)
        #expect(report.delivered == 200)
        #expect(requests.count == 200)
        #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/sigfox/uplink" })
        let devices = Set(
            requests.compactMap { request -> String? in
                let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
                return body?["device"] as? String
            }
        )
        #expect(devices.count == 50)
        #expect(report.ledger.balances)
        #expect(report.ledger.delivered == 200)
        #expect(report.fromSchedule.count == 200)
        #expect(report.fromSchedule.p50 > 0)
        #expect(report.fromSchedule.max >= report.fromSchedule.p99)
        #expect(report.fromSchedule.p99 >= report.service.p99 - 0.01)
        #expect(report.bodyBytes > 100)
        #expect(report.statuses == [200: 200])
        #expect(!report.interrupted)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        let requestsField = try #require(json["requests"] as? [String: Any])
        #expect(requestsField["completed"] as? Int == 200)
        // The rate itself depends on the machine (the full suite on 2 cores starves the run): check the figure
        // is the tries over the run's time, not a speed.
        let perSecond = requestsField["perSecond"] as? Double ?? 0
        #expect(abs(perSecond - Double(report.tries) / report.elapsedSeconds) < 1e-6 && perSecond > 0)
        let latency = try #require(json["latency"] as? [String: Any])
        #expect((latency["service"] as? [String: Any])?["p99Ms"] is Double)
        #expect(json["bodyBytes"] as? Int == report.bodyBytes)
        #expect(report.text.contains("ledger (deliveries): created 200 = delivered 200"))
        let html = report.html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count == 5)
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://www.w3.org/2000/svg\" href"))
    }

    @Test("a ramp from 20 to 380 a second for 1 s sends its integral: 200 uplinks")
    func ramp() async throws {
        let plan = LoadPlan(arrivals: .rate(from: 20, to: 380), duration: 1, devices: 10)
        let (report, requests) = try await loadTest(plan)
        #expect(report.uplinks == 200)
        #expect(requests.count == 200)
        #expect(report.ledger.balances)
    }

    @Test("a failing receiver gets Sigfox's retries (scaled), or one try with --no-retries")
    func retryStorm() async throws {
        let failing = ReceiverRules(default: .status(500))
        // scaled:600 turns 1, 2, 4 minutes into 100, 200, 400 ms.
        let plan = LoadPlan(arrivals: .rate(from: 20, to: 20), duration: 1.5, devices: 5, timeScale: 600)
        let (report, requests) = try await loadTest(plan, rules: failing)
        #expect(report.uplinks == 30)
        #expect(report.retries > 0)
        #expect(report.delivered == 0)
        #expect(requests.count == report.tries)
        #expect(report.ledger.failed > 0)
        #expect(report.ledger.failed + report.ledger.cancelled == 30)
        #expect(report.ledger.balances)
        #expect(report.failures.first?.message == "HTTP 500")
        #expect(report.text.contains("HTTP 500"))

        let once = LoadPlan(arrivals: .rate(from: 20, to: 20), duration: 1, devices: 5, retries: false)
        let (single, singleRequests) = try await loadTest(once, rules: failing)
        #expect(single.tries == 20)
        #expect(singleRequests.count == 20)
        #expect(single.retries == 0)
        #expect(single.ledger.failed == 20)
        #expect(single.ledger.balances)
    }

    @Test("a retry storm never holds the timetable back; --max-pending does, and the report says so")
    func pendingDoesNotStopTheTimetable() async throws {
        let failing = ReceiverRules(default: .status(500))
        // Retries a minute away: every delivery stays pending for the whole run.
        let plan = LoadPlan(arrivals: .rate(from: 200, to: 200), duration: 1, devices: 20)
        let (report, _) = try await loadTest(plan, rules: failing)
        #expect(report.uplinks == 200)
        #expect(!report.heldBackByPendingLimit)
        var limited = plan
        limited.maximumPending = 20
        let (held, _) = try await loadTest(limited, rules: failing)
        #expect(held.uplinks < 200)
        #expect(held.heldBackByPendingLimit)
        #expect(held.text.contains("--max-pending 20 held uplinks back"))
    }

    @Test("--rate max keeps exactly --concurrency requests going until the end")
    func closedModel() async throws {
        let plan = LoadPlan(arrivals: .max, duration: 0.5, devices: 10, concurrency: 4)
        let (report, requests) = try await loadTest(plan)
        #expect(report.tries > 20)
        #expect(requests.count == report.tries)
        #expect(report.ledger.balances)
        #expect(report.ledger.delivered == report.tries)
        #expect(report.json.contains("\"model\":\"closed\""))
    }

    @Test(
        "a stop (Ctrl-C) ends a hanging run at once, with a balanced ledger that counts the cancelled",
        arguments: [1, 2]
    )
    func stopEarly(engineThreads: Int) async throws {
        let plan = LoadPlan(arrivals: .rate(from: 50, to: 50), duration: 30, devices: 5, engineThreads: engineThreads)
        let (report, _) = try await loadTest(plan, rules: ReceiverRules(default: .hang), stopAfter: .milliseconds(500))
        // The run's own time, from its start to its end: without the stop, the hanging tries alone would
        // hold it 10 s. (Timed around the helper, it also counted the receiver's start, which waits for a
        // thread of the cooperative pool: up to 9 s when the whole suite runs on 2 cores.)
        #expect(report.elapsedSeconds < 10)
        #expect(report.interrupted)
        #expect(report.uplinks > 0 && report.uplinks < 1_500)
        #expect(report.ledger.balances)
        #expect(report.ledger.cancelled > 0)
        #expect(report.ledger.pending == 0)
        #expect(report.text.contains("INTERRUPTED"))
    }

    @Test("engine threads share one timetable: each planned uplink once, each device on one thread, one ledger")
    func engineThreads() async throws {
        let plan = LoadPlan(
            arrivals: .rate(from: 101, to: 101),
            duration: 1,
            devices: 7,
            concurrency: 8,
            engineThreads: 2
        )
        let (report, requests) = try await loadTest(plan)
        #expect(report.uplinks == 101)
        #expect(requests.count == 101)
        #expect(report.tries == 101 && report.delivered == 101)
        #expect(report.ledger.created == 101 && report.ledger.delivered == 101 && report.ledger.balances)
        #expect(report.fromSchedule.count == 101)
        #expect(report.text.contains("7 devices, 2 engine threads, to "))
        #expect(report.text.contains("ledger (deliveries): created 101 = delivered 101"))
        #expect(report.json.contains("\"engineThreads\":2"))
        var sequences = [String: [Int]]()
        var payloads = Set<String>()
        for request in requests {
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            let device = try #require(body["device"] as? String)
            sequences[device, default: []].append(try #require(body["seqNumber"] as? Int))
            payloads.insert(try #require(body["data"] as? String))
        }
        // Seven devices; a device on two threads would repeat its sequence numbers.
        #expect(sequences.count == 7)
        for (device, numbers) in sequences {
            #expect(Set(numbers).count == numbers.count, "\(device) repeats sequence numbers: \(numbers.sorted())")
        }
        // The counter payload numbers the arrivals of the one timetable: 101 different payloads.
        #expect(payloads.count == 101)

        let ramp = LoadPlan(arrivals: .rate(from: 20, to: 380), duration: 1, devices: 10, engineThreads: 3)
        let (rampReport, rampRequests) = try await loadTest(ramp)
        #expect(rampReport.uplinks == 200 && rampRequests.count == 200 && rampReport.ledger.balances)

        let closed = LoadPlan(arrivals: .max, duration: 0.5, devices: 10, concurrency: 5, engineThreads: 2)
        let (closedReport, closedRequests) = try await loadTest(closed)
        #expect(closedReport.tries > 20)
        #expect(closedRequests.count == closedReport.tries)
        #expect(closedReport.ledger.delivered == closedReport.tries && closedReport.ledger.balances)
    }

    @Test("the network writes {reception} only for device types whose callbacks use it, and then in full")
    func receptionLists() async throws {
        let receiver = try await EmbeddedReceiver.start()
        let text = LoadRunner.defaultScenario(target: "{receiver}/uplink")
            .replacingOccurrences(of: #""ack":{ack}}"#, with: #""ack":{ack},"reception":{reception}}"#)
        let scenario = try Scenario.parse(text, file: "reception.yaml")
        let runner = try LoadRunner(
            plan: LoadPlan(arrivals: .rate(from: 50, to: 50), duration: 0.4, devices: 4),
            scenario: scenario,
            target: receiver.baseURL
        )
        #expect(runner.scenario.deviceTypes.allSatisfy { $0.type.writesReceptionLists })
        let plain = try LoadRunner(plan: LoadPlan(), target: receiver.baseURL)
        #expect(plain.scenario.deviceTypes.allSatisfy { !$0.type.writesReceptionLists })
        let result = await offPool { () -> Result<LoadReport, LoadError> in
            do throws(LoadError) { return .success(try runner.run()) } catch { return .failure(error) }
        }
        let report = try result.get()
        let requests = receiver.requests
        try await receiver.shutdown()
        #expect(report.delivered == 20 && requests.count == 20)
        for request in requests {
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            let receptions = try #require(body["reception"] as? [[String: Any]], "\(body)")
            #expect(receptions.first?["id"] as? String == "1D44")
        }
    }

    @Test("a generator that cannot keep up says so: late sends count, latency counts from the schedule")
    func lateSends() async throws {
        // One slot and a receiver that takes 20 ms: 100 uplinks a second cannot go out on time.
        let slow = ReceiverRules(default: ReceiverResponse.status(200).delayed(by: .milliseconds(20)))
        let plan = LoadPlan(arrivals: .rate(from: 100, to: 100), duration: 1, devices: 5, concurrency: 1)
        let (report, _) = try await loadTest(plan, rules: slow)
        #expect(report.late > 0)
        #expect(!report.keptRate)
        #expect(report.fromSchedule.max > report.service.max + 100)
        #expect(report.text.contains("COULD NOT KEEP THE RATE"))
        #expect(report.text.contains("slower than --concurrency 1 allows"))
        #expect(report.ledger.balances)
    }
}
