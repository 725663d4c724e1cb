import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxSimulation
import SigfoxTesting
import Testing

@testable import SigfoxScenario

/// Runs whose memory does not grow with their length: traffic generated as it falls due, tries counted as
/// they end, bounded failure examples, the golden comparison streamed; and the `receiver` traffic item.
@Suite("Streaming runs and receiver outages", .timeLimit(.minutes(3)))
struct StreamingRunTests {
    static let fleet = """
        name: streaming
        seed: 5
        start: 2026-01-01T00:00:00Z
        network: { frameLossProbability: 0, networkDelay: 3s }
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes:
          - name: T
            callbacks: [{ id: up, service: DATA/UPLINK, url: "{receiver}/up?s={seqNumber}" }]
        devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
        """

    static func run(_ scenario: Scenario, options: RunOptions = RunOptions()) async throws -> RunResult {
        try await offPool { () -> Result<RunResult, ScenarioRunError> in
            Result { () throws(ScenarioRunError) in try ScenarioRunner(scenario: scenario, options: options).run() }
        }.get()
    }

    @Test("receiver: 503 from +3m to +5m fails exactly the tries due in that span; retries keep their times")
    func receiverOutage() async throws {
        let scenario = try Scenario.parse(
            Self.fleet + """

                traffic:
                  - { every: 1m, devices: all, count: 8, payload: "01" }
                  - { receiver: 503, from: +3m, to: +5m }
                receiver: embedded
                expect:
                  - { service: DATA/UPLINK, delivered: 8, retries: 3 }
                  - ledgerBalances: true
                """
        )
        let result = try await Self.run(scenario)
        let from = scenario.start + .minutes(3)
        let to = scenario.start + .minutes(5)
        #expect(result.attempts.count == 11)
        for attempt in result.attempts {
            if attempt.scheduledAt >= from && attempt.scheduledAt < to {
                // In the outage: 503, and the next try 1 then 2 minutes later, to the millisecond.
                #expect(attempt.status == 503)
                let delay: SimulationDuration = attempt.attempt == 1 ? .minutes(1) : .minutes(2)
                #expect(attempt.outcome == .retrying(attempt.scheduledAt + delay))
            } else {
                #expect(attempt.outcome == .delivered, "\(attempt.jsonLine)")
            }
        }
        #expect(result.passed, "\(result.text)")
    }

    @Test("a receiver item needs the embedded receiver; a bad answer names its field")
    func receiverItemErrors() {
        #expect(throws: ConfigError.self) {
            try Scenario.parse(Self.fleet + "\ntraffic:\n  - { receiver: 503, from: +1m }\n")
        }
        do {
            _ = try Scenario.parse(Self.fleet + "\ntraffic:\n  - { receiver: 503, from: +1m }\n")
        } catch {
            #expect(error.path == "traffic[0].receiver" && error.message.contains("receiver: embedded"))
        }
        do {
            _ = try Scenario.parse(Self.fleet + "\ntraffic:\n  - { receiver: nope, from: +1m }\nreceiver: embedded\n")
            Issue.record("accepted receiver: nope")
        } catch {
            #expect(
                error.path == "traffic[0].receiver" && error.message.contains("expected a status (503), reset, hang")
            )
        }
        do {
            _ = try Scenario.parse(
                Self.fleet + "\ntraffic:\n  - { receiver: 503, from: +2m, to: +1m }\nreceiver: embedded\n"
            )
            Issue.record("accepted to before from")
        } catch {
            #expect(error.path == "traffic[0].to" && error.message == "must be after from")
        }
    }

    @Test("periodic traffic generated as it falls due gives the events of the whole list, sorted")
    func streamEqualsWholeList() throws {
        // Jitter longer than the period (a device's events overlap), several items, singles at equal times,
        // random payloads and a silence.
        let scenario = try Scenario.parse(
            """
            start: 2026-01-01T00:00:00Z
            seed: 9
            baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
            deviceTypes: [{ name: T }]
            devices: [{ count: 12, deviceType: T, area: { lat: 43.6, lng: 1.44, sizeKm: 2 } }]
            traffic:
              - { at: +10m, device: "1000", payload: "aa" }
              - { every: 5m, devices: all, count: 20, jitter: 12m, payload: "random:3" }
              - { at: +10m, device: "1001", payload: "bb" }
              - { every: 1m, devices: ["1002", "1003"], count: 30, payload: counter }
              - { silence: ["1004"], from: +20m, to: +40m }
              - { every: 7m, devices: ["1005"], count: 5, jitter: 30s, status: { batt: { min: 3.0, max: 3.6 } } }
            """
        )
        let plan = scenario.trafficPlan
        // The whole list, as it was built before streaming: every event with its place in writing order,
        // sorted by (time, place), silences removed.
        var whole = plan.explicit.map { (event: $0.event, position: $0.position) }
        for item in plan.periodic {
            for device in item.devices.indices {
                var random = item.starts[device]
                for index in 0..<item.count {
                    whole.append(
                        (
                            try item.event(device: device, index: index, random: &random),
                            item.base + device * item.count + index
                        )
                    )
                }
            }
        }
        let expected = whole.sorted { ($0.event.time, $0.position) < ($1.event.time, $1.position) }.map(\.event)
            .filter { event in !plan.silences.contains { $0.silences(event) } }
        let streamed = plan.events
        #expect(streamed.count == expected.count)
        #expect(streamed == expected)
        #expect(zip(streamed, streamed.dropFirst()).allSatisfy { $0.time <= $1.time })
        #expect(plan.plannedCount == 2 + 12 * 20 + 2 * 30 + 5)
        // The random state each device starts from is the one the whole list reached there.
        var random = plan.periodic[0].starts[0]
        for index in 0..<20 { _ = try plan.periodic[0].event(device: 0, index: index, random: &random) }
        #expect(random == plan.periodic[0].starts[1])
    }

    @Test("without keeping tries a run counts them: expectations, failure examples bounded, the total given")
    func boundedFailures() async throws {
        let scenario = try Scenario.parse(
            Self.fleet + """

                traffic:
                  - { every: 1m, devices: all, count: 40, payload: "01" }
                receiver: { embedded: { status: 500 } }
                expect:
                  - { service: DATA/UPLINK, delivered: 0, failed: 40, retries: 120, tries: 160 }
                """
        )
        var options = RunOptions()
        options.keepAttempts = false
        let result = try await Self.run(scenario, options: options)
        #expect(result.passed, "\(result.text)")
        #expect(result.attempts.isEmpty)
        #expect(result.failureCount == 160 && result.failures.count == RunTally.failureExamplesKept)
        #expect(result.text.contains("failures (160 tries; first 5)"))
        #expect(result.json.contains("\"failureCount\":160"))
        #expect(result.callbackCounts.first?.outcomes == ["failed": 40, "retry": 120])
    }

    @Test("a long journal that differs from its golden file is aligned on a window from the first difference")
    func longGoldenDifference() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = (0..<60_000).map { "{\"time\":\($0),\"x\":1}" }
        var run = lines
        run[55_000] = "{\"time\":55000,\"x\":2}"
        run.remove(at: 57_000)
        try (lines.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("g.jsonl"),
            atomically: true,
            encoding: .utf8
        )
        let runFile = folder.appendingPathComponent("run.jsonl").path
        try (run.joined(separator: "\n") + "\n").write(toFile: runFile, atomically: true, encoding: .utf8)
        let golden = GoldenJournal(runFile: runFile, runCount: run.count, folder: folder.path)
        let result = golden.check(file: "g.jsonl", expectation: Expectation(.golden("g.jsonl")))
        #expect(!result.passed)
        #expect(result.actual == "at least 2 lines differ, first at line 55001; golden 60000 lines, run 59999")
        #expect(result.detail.contains { $0 == "line 55001: 1 field differs:" })
        #expect(result.detail.contains { $0 == "  x: 1 → 2" })
        #expect(result.detail.contains { $0 == "line 57001: missing from the run" })
        #expect(result.detail.contains { $0.contains("aligned on the 5000 lines") })
        // The same file matches itself, streamed.
        let same = GoldenJournal(
            runFile: folder.appendingPathComponent("g.jsonl").path,
            runCount: 60_000,
            folder: folder.path
        )
        #expect(same.check(file: "g.jsonl", expectation: Expectation(.golden("g.jsonl"))).actual == "60000 lines match")
    }
}
