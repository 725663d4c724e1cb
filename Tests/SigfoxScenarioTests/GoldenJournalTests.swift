import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxSimulation
import Testing

@testable import SigfoxScenario

@Suite("Golden journals: normalised, compared line by line, rewritten on request", .timeLimit(.minutes(2)))
struct GoldenJournalTests {
    static let scenario = """
        name: golden
        seed: 4
        start: 2026-01-01T00:00:00Z
        network: { frameLossProbability: 0 }
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes:
          - name: T
            callbacks: [{ id: up, service: DATA/UPLINK, url: "{receiver}/up?device={device}&data={data}" }]
        devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
        traffic:
          - { every: 1m, devices: all, count: 3, payload: counter }
        receiver: embedded
        expect:
          - golden: expected/golden.jsonl
        """

    func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("a journal line loses its latency and gets {receiver} back")
    func normalizeLine() {
        let line = #"{"time":1,"request":{"url":"http://127.0.0.1:4242/up"},"nextTry":null,"latencyMs":3.25}"#
        #expect(
            GoldenJournal.normalize(line: line, receiverURL: "http://127.0.0.1:4242")
                == #"{"time":1,"request":{"url":"{receiver}/up"},"nextTry":null}"#
        )
        #expect(GoldenJournal.normalize(line: #"{"a":1}"#, receiverURL: nil) == #"{"a":1}"#)
    }

    @Test("what libcurl measured in a failure's message is normalised; request bodies are left as they are")
    func normalizeMeasuredMessage() {
        let refused =
            #"{"request":{"body":"late \"message\":\"after 5 ms\""},"status":600,"#
            + #""message":"Connection refused (Failed to connect to 127.0.0.1 port 4242 after 3 ms: Couldn't connect to server)","#
            + #""response":"after 7 ms","outcome":"retrying","nextTry":60000,"latencyMs":3.25}"#
        #expect(
            GoldenJournal.normalize(line: refused, receiverURL: "http://127.0.0.1:4242")
                == #"{"request":{"body":"late \"message\":\"after 5 ms\""},"status":600,"#
                + #""message":"Connection refused (Failed to connect to {receiver} after {ms} ms: Couldn't connect to server)","#
                + #""response":"after 7 ms","outcome":"retrying","nextTry":60000}"#
        )
        let timeout =
            #"{"status":600,"message":"Timeout (Operation timed out after 10001 milliseconds with 0 bytes received)","nextTry":null,"latencyMs":10001}"#
        #expect(
            GoldenJournal.normalize(line: timeout, receiverURL: nil)
                == #"{"status":600,"message":"Timeout (Operation timed out after {ms} milliseconds with 0 bytes received)","nextTry":null}"#
        )
    }

    @Test(
        "a golden path that leaves the scenario's folder is a configuration error naming the field",
        arguments: ["/proc/self/environ", "../outside/x.jsonl", "golden/../../x.jsonl", "~/x.jsonl"]
    )
    func confinedPaths(file: String) throws {
        let text = Self.scenario.replacingOccurrences(of: "golden: expected/golden.jsonl", with: "golden: \(file)")
        #expect {
            _ = try Scenario.parse(text, file: "golden.yaml")
        } throws: { error in
            let description = "\(error)"
            return description.contains("expect[0].golden")
                && description.contains("a golden file lives in the scenario's folder")
        }
    }

    @Test("a link that leads out of the scenario's folder is neither read nor written")
    func linkOutOfTheFolder() async throws {
        let folder = try folder()
        let outside = try self.folder()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: outside)
        }
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("expected"),
            withDestinationURL: outside
        )
        let path = folder.appendingPathComponent("golden.yaml").path
        try Self.scenario.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try await runScenario(path, options: RunOptions(updateGolden: true))
        #expect(!run.passed)
        #expect(run.expectations[0].actual.contains("is outside the scenario's folder"))
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("golden.jsonl").path))
    }

    @Test("--update-golden writes the file; the next run matches it; a change shows the differing lines")
    func cycle() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("golden.yaml").path
        try Self.scenario.write(toFile: path, atomically: true, encoding: .utf8)
        let golden = folder.appendingPathComponent("expected/golden.jsonl").path

        let missing = try await runScenario(path)
        #expect(!missing.passed)
        #expect(missing.expectations[0].actual == "no golden file \(golden)")

        let written = try await runScenario(path, options: RunOptions(updateGolden: true))
        #expect(written.passed && written.expectations[0].actual == "wrote \(golden), 3 lines")
        #expect(written.expectations[0].wrote == golden)
        #expect(written.text.contains("(wrote \(golden), 3 lines)"))
        let lines = try String(contentsOfFile: golden, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == written.normalizedJournal && lines.count == 3)
        #expect(lines.allSatisfy { $0.contains("\"url\":\"{receiver}/up?device=2C30EA") && !$0.contains("latencyMs") })

        let again = try await runScenario(path)
        #expect(again.passed && again.expectations[0].actual == "3 lines match")

        // Change the second line's data and drop the third: two differences, shown like a diff.
        var edited = lines
        edited[1] = edited[1].replacingOccurrences(of: "data=0001", with: "data=00ff")
        edited.removeLast()
        try (edited.joined(separator: "\n") + "\n").write(toFile: golden, atomically: true, encoding: .utf8)
        let changed = try await runScenario(path)
        let result = changed.expectations[0]
        #expect(!result.passed)
        #expect(result.actual == "2 lines differ, first at line 2; golden 2 lines, run 3")
        // A journal line is JSON: the field that changed, by name, golden then run.
        #expect(result.detail[0] == "line 2: 1 field differs:")
        #expect(result.detail[1].hasPrefix("  request.url: \"{receiver}/up?device=2C30EA&data=00ff"))
        #expect(result.detail[1].hasSuffix(" → \"{receiver}/up?device=2C30EA&data=0001\""))
        #expect(result.detail[2] == "line 3: not in the golden file")
        #expect(result.detail.last == "if the change is intended: sigfox-sim run SCENARIO --update-golden")
        #expect(changed.text.contains("      line 2: 1 field differs:\n        request.url: "))
        #expect(changed.junit.contains("line 3: not in the golden file"))
    }

    @Test("the diff aligns lines: one line removed from a journal is one difference, not every line after it")
    func alignedDifferences() {
        let run = (1...30).map { "{\"line\":\($0)}" }
        var golden = run
        golden.remove(at: 4)  // the golden file lacks run line 5
        golden[19] = "{\"line\":21,\"changed\":true}"  // and golden line 20 (run line 21) differs
        let differences = GoldenJournal.differences(golden: golden, run: run)
        #expect(differences.count == 2)
        #expect(differences[0].text[0] == "line 5: not in the golden file")
        #expect(differences[1].text == ["line 20 (run line 21): 1 field differs:", "  changed: true → (absent)"])
        // Lines that are not JSON are cut where they part.
        #expect(
            GoldenJournal.differences(golden: ["line 21 changed"], run: ["line 21"])[0].text[0] == "line 1, column 8:"
        )
        // Line by line (the fallback past the alignment limit) the shift makes every later line differ.
        #expect(GoldenJournal.differences(golden: golden, run: run, alignmentLimit: 0).count > 10)
        // A line missing from the run, at the end and in the middle.
        #expect(GoldenJournal.differences(golden: run, run: Array(run.dropLast())).map(\.line) == [30])
        var shorter = run
        shorter.remove(at: 9)
        let missing = GoldenJournal.differences(golden: run, run: shorter)
        #expect(missing.count == 1 && missing[0].text[0] == "line 10: missing from the run")
        #expect(GoldenJournal.differences(golden: run, run: run).isEmpty)
        #expect(GoldenJournal.differences(golden: [], run: ["a"]).map(\.line) == [1])
    }

    @Test("a long differing line is cut around the first difference")
    func longLine() {
        let golden = String(repeating: "a", count: 300) + "X" + String(repeating: "b", count: 100)
        let run = String(repeating: "a", count: 300) + "Y" + String(repeating: "b", count: 100)
        let result = GoldenJournalTests.differences(golden, run)
        #expect(result[0] == "line 1, column 301:")
        #expect(result[1] == "  - …" + String(repeating: "a", count: 59) + "X" + String(repeating: "b", count: 100))
        #expect(result[2].count == 4 + 1 + 160)
    }

    static func differences(_ golden: String, _ run: String) -> [String] {
        GoldenJournal.lineDifferences(golden: [golden], run: [run])
    }
}
