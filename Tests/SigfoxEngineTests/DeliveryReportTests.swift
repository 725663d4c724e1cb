import Foundation
import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Delivery report: journal file, not-delivered list")
struct DeliveryReportTests {
    @Test("every try becomes one flushed journal line; failed ones also a not-delivered entry")
    func journal() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString).jsonl")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try JournalWriter(path: path)
        var report = DeliveryReport(journal: writer)
        let callback = try definition(#"{"service": "UPLINK", "url": "http://h/x"}"#)
        var scheduler = DeliveryScheduler()
        CallbackEngine(callbacks: [testDeviceType: [callback]]).dispatch(uplinkTrigger(), into: &scheduler)
        let statuses = [500, 200]
        for status in statuses {
            let due = try #require(scheduler.nextWakeup)
            let request = try #require(scheduler.takeDue(now: due).requests.first)
            let result = TransportResult(
                id: request.id,
                outcome: .http(status: status, body: Array("answer".utf8), truncated: false),
                latencyMilliseconds: 2
            )
            for event in scheduler.complete(result, now: due) { report.record(event) }
        }
        // Written and flushed before the writer is closed.
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { JSONParser.isValid(String($0)) })
        #expect(lines[0].contains(#""outcome":"retry""#) && lines[1].contains(#""outcome":"delivered""#))
        #expect(report.notDelivered.count == 1)
        #expect(JSONParser.isValid(report.notDeliveredJSON))
        let reference = CallbackReference(
            deviceType: testDeviceType,
            index: 0,
            id: nil,
            service: .dataUplink,
            channel: .url
        )
        #expect(report.outcomes[reference] == ["retry": 1, "delivered": 1])
        writer.close()
    }

    @Test("a journal that cannot be written is a clear error")
    func unwritable() {
        #expect(throws: JournalError.self) { try JournalWriter(path: "/nonexistent-folder/journal.jsonl") }
    }

    @Test("a failure's message without curl's measured times reads the same on every try")
    func messageWithoutTimings() {
        let refused =
            "Connection refused (Failed to connect to 127.0.0.1 port 9 after 1 ms: Couldn't connect to server)"
        #expect(
            AttemptRecord.withoutTimings(refused, placeholder: "…")
                == "Connection refused (Failed to connect to 127.0.0.1 port 9 after … ms: Couldn't connect to server)"
        )
        let timeout = "Timeout (Operation timed out after 10001 milliseconds with 0 bytes received)"
        #expect(
            AttemptRecord.withoutTimings(timeout, placeholder: "{ms}")
                == "Timeout (Operation timed out after {ms} milliseconds with 0 bytes received)"
        )
        #expect(AttemptRecord.withoutTimings("HTTP 500", placeholder: "…") == "HTTP 500")
        #expect(AttemptRecord.withoutTimings("after lunch", placeholder: "…") == "after lunch")
    }
}
