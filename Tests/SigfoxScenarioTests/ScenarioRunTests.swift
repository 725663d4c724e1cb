import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxSimulation
import SigfoxTesting
import Testing

/// The repository's `Scenarios/` folder.
let scenariosFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scenarios")

/// Runs a scenario file off the pool.
func runScenario(_ path: String, options: RunOptions = RunOptions()) async throws -> RunResult {
    try await offPool { () -> Result<RunResult, ScenarioRunError> in
        do {
            return .success(try ScenarioRunner(path: path, options: options).run())
        } catch let error as ConfigError {
            return .failure(.configuration(error))
        } catch let error as ScenarioRunError {
            return .failure(error)
        } catch {
            return .failure(.receiver("\(error)"))
        }
    }.get()
}

@Suite("Scenarios run with their expectations", .timeLimit(.minutes(2)))
struct ScenarioRunTests {
    static let files = [
        "quickstart.yaml", "retries.yaml", "bidir-downlink.yaml", "batch.yaml", "email.yaml",
        "keepalive-and-outage.yaml",
        "legacy-duplicates.yaml", "api-v2-import.yaml", "repeater.yaml", "events.yaml",
    ]

    @Test("every scenario in Scenarios/ holds its expectations", arguments: files)
    func scenarioHolds(file: String) async throws {
        let result = try await runScenario(scenariosFolder.appendingPathComponent(file).path)
        for failed in result.expectations where !failed.passed {
            Issue.record("\(file): \(failed.expectation.summary): found \(failed.actual)")
        }
        #expect(!result.expectations.isEmpty && result.passed)
        #expect(result.ledger.balances && result.ledger.pending == 0)
    }

    @Test("every scenario file in Scenarios/ is covered by this suite")
    func allCovered() throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: scenariosFolder.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(present == Self.files.sorted())
    }

    @Test("the same seed twice gives the same journal, apart from latencies", arguments: files)
    func deterministic(file: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var normalized = [[String]]()
        var written = [[String]]()
        for run in 0..<2 {
            let journal = folder.appendingPathComponent("journal-\(run).jsonl").path
            let result = try await runScenario(
                scenariosFolder.appendingPathComponent(file).path,
                options: RunOptions(journalPath: journal)
            )
            normalized.append(result.normalizedJournal)
            // The journal file as written: the same lines once normalised the same way (tries in flight
            // together may end in any order, so the file is compared in canonical order).
            let text = try String(contentsOfFile: journal, encoding: .utf8)
            written.append(
                text.split(separator: "\n").map {
                    GoldenJournal.normalize(line: String($0), receiverURL: result.receiverURL)
                }.sorted()
            )
        }
        #expect(!normalized[0].isEmpty)
        #expect(normalized[0] == normalized[1])
        #expect(written[0] == written[1])
        #expect(written[0] == normalized[0].sorted())
        #expect(normalized[0].allSatisfy { !$0.contains("latencyMs") && !$0.contains("127.0.0.1") })
    }

    @Test("a failing expectation is reported with what was found")
    func failingExpectation() async throws {
        let text = try String(
            contentsOf: scenariosFolder.appendingPathComponent("quickstart.yaml"),
            encoding: .utf8
        ).replacingOccurrences(of: "delivered: 6\n  - service: SERVICE", with: "delivered: 5\n  - service: SERVICE")
        let scenario = try Scenario.parse(text, file: "quickstart-broken.yaml")
        let result = try await offPool { () -> Result<RunResult, ScenarioRunError> in
            Result { () throws(ScenarioRunError) in try ScenarioRunner(scenario: scenario).run() }
        }.get()
        #expect(!result.passed)
        let failed = try #require(result.expectations.first { !$0.passed })
        #expect(failed.actual == "delivered 6")
        #expect(result.text.contains("✗ DATA/UPLINK: delivered 5  (found delivered 6; quickstart-broken.yaml:"))
        #expect(
            result.junit.contains(
                "<failure message=\"expected DATA/UPLINK: delivered 5; found delivered 6\" type=\"expectation\">"
            )
        )
        #expect(result.junit.contains("tests=\"4\" failures=\"1\""))
        // The test case keeps the name it has when the count is right, so a CI's history follows it.
        let line = try #require(failed.expectation.line)
        #expect(
            result.junit.contains(
                "<testcase classname=\"quickstart-broken\" name=\"DATA/UPLINK: delivered\" "
                    + "file=\"quickstart-broken.yaml\" line=\"\(line)\" time=\""
            )
        )
        #expect(result.junit.contains("<testsuites name=\"sigfox-sim run\" tests=\"4\" failures=\"1\""))
        #expect(result.json.contains("\"passed\":false"))
    }

    @Test("a different seed changes the radio, not the outcome")
    func otherSeed() async throws {
        let path = scenariosFolder.appendingPathComponent("quickstart.yaml").path
        let result = try await runScenario(path, options: RunOptions(seed: 12345))
        #expect(result.seed == 12345 && result.passed)
    }

    @Test("{receiver} without an embedded receiver is a configuration error with its place")
    func receiverMissing() throws {
        let scenario = try Scenario.parse(
            """
            deviceTypes:
              - name: T
                callbacks:
                  - { service: DATA/UPLINK, url: "{receiver}/up" }
            """,
            file: "no-receiver.yaml"
        )
        #expect {
            _ = try ScenarioRunner(scenario: scenario).run()
        } throws: { error in
            "\(error)".hasPrefix("no-receiver.yaml:4:9: deviceTypes[0].callbacks[0]: uses {receiver} but")
        }
    }

    @Test("the traffic source sends each uplink at its time before handing out the network's triggers")
    func trafficSource() throws {
        let scenario = try Scenario.parse(
            """
            start: 1000
            network: { frameLossProbability: 0 }
            baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
            deviceTypes: [{ name: T }]
            devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
            traffic:
              - { at: +10s, device: 2C30EA, payload: "01" }
              - { at: +1m, device: 2C30EA, payload: "02" }
            """
        )
        var traffic = try ScenarioBuilder(scenario).traffic()
        #expect(traffic.nextDue == SimulationTime(seconds: 1010))
        #expect(traffic.advance(to: SimulationTime(seconds: 1010)).isEmpty)
        #expect(traffic.outcomes.count == 1)
        let due = try #require(traffic.nextDue)
        #expect(due > SimulationTime(seconds: 1010) && due < SimulationTime(seconds: 1020))
        let triggers = traffic.advance(to: due)
        #expect(triggers.map(\.service).contains(.dataUplink))
        _ = traffic.advance(to: SimulationTime(seconds: 1060))
        #expect(traffic.outcomes.count == 2 && traffic.outcomes.allSatisfy { $0.message != nil })
    }
}
