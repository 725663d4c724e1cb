import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxSimulation
import SigfoxTesting
import Testing

@testable import SigfoxScenario

@Suite("Reports that say why: lost uplinks, JUnit causes and transcripts, golden fields", .timeLimit(.minutes(2)))
struct ReportsThatSayWhyTests {
    /// One station near Toulouse; 2C30EA beside it, 2C30EB in Paris.
    static func scenario(expect: String, stations: String = "[{ id: 1D44, lat: 43.61, lng: 1.45 }]") -> String {
        """
        name: reach
        seed: 3
        network: { frameLossProbability: 0 }
        baseStations: \(stations)
        deviceTypes:
          - id: 5f1d3a2b4c6e8f0a1b2c3d4e
            name: T
            callbacks:
              - { service: DATA/UPLINK, url: "{receiver}/up", method: POST, contentType: application/json, body: '{"d":"{device}","data":"{data}"}' }
        devices:
          - { id: 2C30EA, deviceType: T, lat: 43.60, lng: 1.44 }
          - { id: 2C30EB, deviceType: T, lat: 48.85, lng: 2.35 }
        traffic:
          - { every: 1m, devices: all, count: 2, payload: "0102" }
        receiver: embedded
        expect:
        \(expect)
        """
    }

    @Test("a device out of every station's reach is a warning naming it and its line; an error when expected")
    func reachAtLoad() throws {
        let plain = try Scenario.parse(Self.scenario(expect: "  - ledgerBalances: true"), file: "reach.yaml")
        let warnings = plain.reachWarnings(sendersOnly: true)
        #expect(warnings.count == 1)
        let warning = try #require(warnings.first)
        #expect(warning.location?.line == 12 && warning.path == "devices[1]")
        #expect(
            warning.description.hasPrefix(
                "reach.yaml:12:5: devices[1]: device 2C30EB is out of every base station's reach: the nearest, 1D44, is"
            )
        )
        #expect(
            warning.message.hasSuffix(
                "every uplink it sends is lost and fires no callback; move it closer or add a base station near it"
            )
        )
        try plain.checkReach()

        // An expectation about the device that cannot be heard: an error at its line.
        let needs = try Scenario.parse(
            Self.scenario(expect: "  - { service: DATA/UPLINK, device: 2C30EB, delivered: 2 }"),
            file: "reach.yaml"
        )
        #expect(throws: ConfigError.self) { try needs.checkReach() }
        do {
            try needs.checkReach()
        } catch {
            #expect(error.path == "expect[0]" && error.location?.line == 17)
            #expect(
                error.message.contains(
                    "'DATA/UPLINK for device 2C30EB: delivered 2' needs messages no base station can hear"
                )
            )
        }
        // Losses expected: only the warning.
        let lossy = try Scenario.parse(Self.scenario(expect: "  - network: { lost: 2 }"), file: "reach.yaml")
        try lossy.checkReach()

        // No station at all: one warning for the scenario, and an error as soon as anything is expected.
        let none = try Scenario.parse(
            Self.scenario(expect: "  - { service: DATA/UPLINK, delivered: 4 }", stations: "[]"),
            file: "none.yaml"
        )
        #expect(none.reachWarnings(sendersOnly: true).map(\.path) == ["baseStations"])
        #expect(throws: ConfigError.self) { try none.checkReach() }
    }

    @Test("a mistyped top-level field is named first, with a suggestion, before what it leaves missing")
    func didYouMean() throws {
        let text = Self.scenario(expect: "  - ledgerBalances: true").replacingOccurrences(
            of: "devices:\n  - {",
            with: "devics:\n  - {"
        )
        do {
            _ = try Scenario.parse(text, file: "typo.yaml")
            Issue.record("a scenario with 'devics' loaded")
        } catch {
            #expect(error.description == "typo.yaml:10:1: devics: unknown field 'devics'; did you mean 'devices'?")
        }
    }

    @Test("the report says why each uplink was lost; JUnit's failure gives the cause, each case its transcript")
    func reportAndJUnit() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-why-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("reach.yaml").path
        try Self.scenario(expect: "  - { service: DATA/UPLINK, delivered: 4 }\n  - network: { lost: 0 }")
            .write(toFile: path, atomically: true, encoding: .utf8)
        var result = try await runScenario(path, options: RunOptions(keepAttempts: false))
        #expect(result.network.lost == 2 && !result.passed)
        #expect(result.losses.map(\.device) == [DeviceID(0x2C30EB)] && result.losses.first?.reason == .outOfReach)
        #expect(
            result.text.contains(
                "lost uplinks, why no station heard them:\n  2C30EB: 2 lost, out of every base station's reach: the nearest, 1D44, is "
            )
        )
        #expect(
            result.json.contains(
                #""losses":[{"device":"2C30EB","reason":"out of reach","count":2,"explanation":"out of every"#
            )
        )
        // The unnamed callback is called as serve calls it.
        #expect(result.callbackCounts.first?.callback.description == "5f1d3a2b4c6e8f0a00000000")

        let junit = result.junit
        #expect(junit.contains("<failure message=\"expected DATA/UPLINK: delivered 4; found delivered 2\""))
        #expect(
            junit.contains(
                "lost uplinks, why no station heard them:\n  2C30EB: 2 lost, out of every base station&apos;s reach"
            )
        )
        #expect(junit.components(separatedBy: "<system-out>requests and answers: 2 tries").count == 3)
        #expect(junit.contains("  POST http://127.0.0.1:") && junit.contains("  → 200 OK in "))
        #expect(!junit.contains("INTERRUPTED"))
        result.interrupted = true
        let stopped = result.junit
        #expect(stopped.contains("tests=\"3\" failures=\"2\" errors=\"1\""))
        #expect(stopped.contains("<error message=\"INTERRUPTED: the run was stopped by a signal before its end"))
    }

    @Test("a failed try's answer is in the JUnit failure: its status line as received and its body")
    func failureCause() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-why-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("down.yaml").path
        try """
        name: down
        network: { frameLossProbability: 0 }
        baseStations: [{ id: 1D44, lat: 43.61, lng: 1.45 }]
        deviceTypes:
          - name: T
            callbacks: [{ id: up, service: DATA/UPLINK, url: "{receiver}/up" }]
        devices: [{ id: 2C30EA, deviceType: T, lat: 43.60, lng: 1.44 }]
        traffic: [{ at: +1s, device: 2C30EA, payload: "01" }]
        receiver:
          embedded: { sequences: { /up: "503,204" } }
        expect:
          - { callback: up, delivered: 1, retries: 0 }
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await runScenario(path, options: RunOptions(keepAttempts: false))
        #expect(!result.passed)
        let junit = result.junit
        #expect(junit.contains("found delivered 1, retries 1; first try not delivered: 503 Service Unavailable\""))
        #expect(junit.contains("tries not delivered: 1\n  2026-01-01T00:00:0"))
        #expect(
            junit.contains("up (DATA/UPLINK) try 1: retry, 503 Service Unavailable\n    request: GET http://127.0.0.1:")
        )
        // The second answer, a 204, reads as received.
        #expect(junit.contains("→ 204 No Content in "))
    }

    @Test("a golden line whose JSON body changed shows the fields that changed, not two escaped strings")
    func goldenFields() {
        let golden =
            #"{"time":1,"request":{"kind":"http","body":"{\"temp\":215,\"hum\":40,\"d\":\"2C30EA\"}"},"status":200}"#
        let run =
            #"{"time":1,"request":{"kind":"http","body":"{\"temp\":216,\"hum\":40,\"d\":\"2C30EA\",\"x\":1}"},"status":200}"#
        let text = GoldenJournal.lineDifferences(golden: [golden], run: [run])
        #expect(
            text == ["line 1: 2 fields differ:", "  request.body.temp: 215 → 216", "  request.body.x: (absent) → 1"]
        )
        // A text body (a batch) still shows the two lines cut where they part, and names the field.
        let batchGolden =
            #"{"request":{"body":"4A0001;1767247273;0005dcd70000;1500;215;false\n4A0003;1767247273;0005dcd70000;1500;215;false"}}"#
        let batchRun =
            #"{"request":{"body":"4A0001;1767247273;0005dcd80000;1500;216;false\n4A0003;1767247273;0005dcd70000;1500;215;false"}}"#
        let batch = GoldenJournal.lineDifferences(golden: [batchGolden], run: [batchRun])
        #expect(batch.first == "line 1, column 46: request.body differs:")
        #expect(batch.count == 3 && batch[1].hasPrefix("  - ") && batch[2].hasPrefix("  + "))
        // Lines that are not JSON: as before.
        #expect(
            GoldenJournal.lineDifferences(golden: ["abc"], run: ["abd"]) == ["line 1, column 3:", "  - abc", "  + abd"]
        )
    }
}
