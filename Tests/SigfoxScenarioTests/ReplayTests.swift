import Foundation
import SigfoxModel
import SigfoxReceiverModel
import SigfoxScenario
import SigfoxServices
import SigfoxSimulation
import SigfoxTesting
import Testing

/// A journal line as `run --journal` writes it.
func journalLine(
    time: Int64,
    callback: String = "uplink",
    service: String = "DATA/UPLINK",
    attempt: Int = 1,
    method: String = "GET",
    url: String,
    body: String? = nil,
    status: Int = 200,
    message: String = "OK",
    response: String = "",
    outcome: String = "delivered"
) -> String {
    let request =
        "{\"kind\":\"http\",\"method\":\"\(method)\",\"url\":\(JSONText.quoted(url)),\"headers\":"
        + (body == nil ? "{}" : "{\"Content-Type\":\"application/json\"}") + ",\"body\":"
        + (body.map(JSONText.quoted) ?? "null") + "}"
    return
        "{\"time\":\(time),\"delivery\":1,\"callback\":\"\(callback)\",\"service\":\"\(service)\",\"channel\":\"URL\","
        + "\"attempt\":\(attempt),\"devices\":[\"2C30EA\"],\"request\":\(request),\"status\":\(status),"
        + "\"message\":\(JSONText.quoted(message)),\"response\":\(JSONText.quoted(response)),"
        + "\"outcome\":\"\(outcome)\",\"nextTry\":null,\"latencyMs\":1.00}"
}

/// Starts an embedded receiver, runs `body`, and always shuts the receiver down.
func withReplayReceiver(
    _ rules: ReceiverRules = ReceiverRules(),
    _ body: (EmbeddedReceiver) async throws -> Void
) async throws {
    let receiver = try await EmbeddedReceiver.start(rules: rules)
    do {
        try await body(receiver)
        try await receiver.shutdown()
    } catch {
        try? await receiver.shutdown()
        throw error
    }
}

/// Replays `entries` off the cooperative pool (the runner blocks its thread).
func replay(_ entries: [JournalEntry], _ options: ReplayOptions) async -> ReplayReport {
    await offPool { ReplayRunner(options: options).run(entries, journal: "test.jsonl") }
}

@Suite("replay: a journal's requests sent again and compared", .timeLimit(.minutes(1)))
struct ReplayTests {
    static let start: Int64 = 1_767_225_600_000

    @Test("a recorded run replays the same against a receiver with the same rules, and differs when they change")
    func recordedRunAgainstEmbeddedReceiver() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = folder.appendingPathComponent("retries.jsonl").path
        _ = try await runScenario(
            scenariosFolder.appendingPathComponent("retries.yaml").path,
            options: RunOptions(journalPath: journal)
        )
        let entries = try ReplayJournal.load(path: journal)
        #expect(entries.count == 8)
        // The scenario's receiver is gone; this one answers by the same rules on another port.
        var rules = ReceiverRules()
        rules.setSequence([.status(500), .status(500), .status(200)], for: "/flaky")
        rules.set(.status(500), for: "/down")
        try await withReplayReceiver(rules) { receiver in
            let progress = ReplayProgress()
            var options = ReplayOptions(target: try ReplayTarget(receiver.baseURL), speed: .asFastAsPossible)
            options.progress = progress
            let same = await replay(entries, options)
            #expect(same.passed, "\(same.text)")
            // The progress counters saw every request go and every answer come: 4 /down and 2 /flaky failed.
            #expect(progress.snapshot == ReplayProgress.Snapshot(total: 8, sent: 8, answered: 8, notDelivered: 6))
            #expect(progress.snapshot.line == "replay 8/8 sent · 8 answered · 6 not delivered")
            #expect(same.results.count == 8 && same.same == 8)
            #expect(receiver.requests.count == 8)
            #expect(receiver.requests.allSatisfy { $0.header("Host") == "127.0.0.1:\(receiver.port)" })

            // The receiver now accepts what it refused: the four /down tries and the first two /flaky ones differ.
            rules.set(.status(200), for: "/down")
            rules.set(.status(200), for: "/flaky")
            receiver.setRules(rules)
            let changed = await replay(entries, options)
            #expect(!changed.passed)
            #expect(changed.different.count == 4 + 2)
            let down = try #require(changed.different.first { $0.entry.callback == "down" })
            #expect(down.differences.map(\.field) == ["delivered", "status"])
            #expect(changed.text.contains("line \(down.entry.line): down (DATA/UPLINK), try \(down.entry.attempt!)"))
            #expect(changed.text.contains("status:    recorded 500 (Internal Server Error), now 200 (OK)"))
            #expect(changed.text.hasSuffix("DIFFERENT: 6 of 8 answers differ from the recording\n"))
        }
    }

    @Test("recorded gaps are kept, divided by --speed; max does not wait")
    func timingCompression() async throws {
        try await withReplayReceiver { receiver in
            let text = [0, 2_000, 4_000].map {
                journalLine(time: Self.start + $0, url: "http://recorded.invalid/t\($0)")
            }
            .joined(separator: "\n")
            let entries = try ReplayJournal.parse(text)
            let scaled = await replay(
                entries,
                ReplayOptions(target: try ReplayTarget(receiver.baseURL), speed: .factor(4))
            )
            #expect(scaled.passed, "\(scaled.text)")
            let times = receiver.requests.map(\.receivedAt)
            #expect(receiver.requests.map(\.path) == ["/t0", "/t2000", "/t4000"])
            try #require(times.count == 3)
            // 2 s recorded / 4 = 0.5 s each, measured loosely on a busy machine.
            for gap in [times[1] - times[0], times[2] - times[1]] { #expect(gap > 0.4 && gap < 1.5, "gap \(gap)") }
            #expect(scaled.wallSeconds >= 0.95)

            receiver.reset()
            let fast = await replay(
                entries,
                ReplayOptions(target: try ReplayTarget(receiver.baseURL), speed: .asFastAsPossible)
            )
            #expect(fast.passed && fast.wallSeconds < 0.9)
            #expect(receiver.requests.map(\.path) == ["/t0", "/t2000", "/t4000"])
        }
    }

    @Test(
        "--target replaces scheme, host and port, adds a base path, keeps query and credentials",
        arguments: [
            (
                "http://127.0.0.1:8080", "", "https://iot.example.com/sigfox/up?d=1",
                "http://127.0.0.1:8080/sigfox/up?d=1"
            ),
            ("https://staging.example.com/api/", "", "http://127.0.0.1:40353/up", "https://staging.example.com/api/up"),
            ("http://h:1/v2", "/sigfox", "http://127.0.0.1:9/sigfox/up?x=%20", "http://h:1/v2/up?x=%20"),
            ("http://h:1", "/sig", "http://127.0.0.1:9/sigfox/up", "http://h:1/sigfox/up"),
            ("http://h:1", "", "http://user:pass@old:9/p", "http://user:pass@h:1/p"),
            ("http://me:pw@h:1", "", "http://user:pass@old:9", "http://me:pw@h:1"),
        ]
    )
    func targetRewriting(target: String, strip: String, recorded: String, expected: String) throws {
        #expect(try ReplayTarget(target, stripPrefix: strip).rewrite(recorded) == expected)
    }

    @Test(
        "a bad --target is refused with what to write",
        arguments: ["ftp://h", "127.0.0.1:8080", "http://", "http://h/a?b"]
    )
    func badTarget(text: String) {
        #expect(throws: ReplayError.self) { try ReplayTarget(text) }
    }

    @Test("the target's base path reaches the receiver")
    func targetBasePath() async throws {
        try await withReplayReceiver { receiver in
            let entries = try ReplayJournal.parse(
                journalLine(
                    time: Self.start,
                    method: "POST",
                    url: "https://iot.example.com/sigfox/up?seq=3",
                    body: "{}"
                )
            )
            let target = try ReplayTarget(receiver.baseURL + "/staging", stripPrefix: "/sigfox")
            let report = await replay(entries, ReplayOptions(target: target, speed: .asFastAsPossible))
            #expect(report.passed)
            #expect(report.credentialsToNewTarget == 0)
            #expect(receiver.requests.map(\.uri) == ["/staging/up?seq=3"])
            #expect(receiver.requests.first?.bodyText == "{}")
        }
    }

    @Test(
        "a malformed journal line is an error naming file, line, column and field",
        arguments: [
            (
                "{\"time\":1,\"request\":null,\"status\":200,\"outcome\":\"delivered\"}\nnot json\n",
                "j.jsonl:2:1: not a journal line: invalid JSON"
            ),
            ("\n\n[1,2]\n", "j.jsonl:3:1: expected an object, found a list"),
            ("{\"request\":null,\"status\":200,\"outcome\":\"delivered\"}", "j.jsonl:1:1: time: missing 'time'"),
            (
                "{\"time\":\"soon\",\"request\":null,\"status\":200,\"outcome\":\"x\"}",
                "j.jsonl:1:9: time: expected an integer"
            ),
            ("{\"time\":1,\"status\":200,\"outcome\":\"delivered\"}", "j.jsonl:1:1: request: missing 'request'"),
            (
                "{\"time\":1,\"request\":null,\"status\":200,\"outcome\":\"done\"}",
                "j.jsonl:1:49: outcome: expected delivered, retry, failed or cancelled"
            ),
            (
                "{\"time\":1,\"request\":{\"kind\":\"http\",\"method\":\"DELETE\",\"url\":\"http://h/\"},\"status\":200,\"outcome\":\"failed\"}",
                "request.method: expected GET, POST or PUT, found 'DELETE'"
            ),
            (
                "{\"time\":1,\"request\":{\"kind\":\"http\",\"method\":\"GET\"},\"status\":200,\"outcome\":\"failed\"}",
                "j.jsonl:1:21: request.url: missing 'url'"
            ),
            (
                "{\"time\":1,\"request\":{\"method\":\"GET\",\"url\":\"http://h/\",\"headers\":{\"A\":1}},\"status\":200,\"outcome\":\"failed\"}",
                "request.headers.A: a header value must be a string"
            ),
            ("\n  \n", "j.jsonl: the journal holds no try"),
            (
                "{\"time\":1,\"request\":{\"method\":\"GET\",\"url\":\"127.0.0.1:9/x\"},\"status\":200,\"outcome\":\"failed\"}",
                "request.url: expected an http:// or https:// URL"
            ),
            (
                "{\"time\":1,\"request\":{\"method\":\"GET\",\"url\":\"http://h/\",\"headers\":{\"A\":\"x\\r\\nB: y\"}},\"status\":200,\"outcome\":\"failed\"}",
                "request.headers.A: a header value cannot contain a line break"
            ),
            (
                "{\"time\":1,\"request\":{\"method\":\"GET\",\"url\":\"http://h/\",\"headers\":{\"A\\r\\nB\":\"x\"}},\"status\":200,\"outcome\":\"failed\"}",
                "a header name must be a token"
            ),
        ]
    )
    func malformedJournal(text: String, expected: String) {
        do {
            _ = try ReplayJournal.parse(text, file: "j.jsonl")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test("recorded credentials sent to a new --target are said in the report")
    func credentialsToNewTarget() async throws {
        try await withReplayReceiver { receiver in
            let entries = try ReplayJournal.parse(
                journalLine(time: Self.start, method: "GET", url: "https://user:secret@iot.example.com/up", body: nil)
            )
            let report = await replay(
                entries,
                ReplayOptions(target: try ReplayTarget(receiver.baseURL), speed: .asFastAsPossible)
            )
            #expect(report.credentialsToNewTarget == 1)
            #expect(report.text.contains("note: 1 requests carried the recording's credentials"))
            #expect(report.json.contains("\"credentialsToNewTarget\":1"))
        }
    }

    @Test("e-mail tries and tries without a request are skipped and counted")
    func skipped() async throws {
        try await withReplayReceiver { receiver in
            let text = [
                journalLine(time: Self.start, url: receiver.baseURL + "/a"),
                "{\"time\":\(Self.start),\"request\":{\"kind\":\"email\",\"recipient\":\"a@b\",\"subject\":\"s\",\"message\":\"m\"},"
                    + "\"status\":250,\"outcome\":\"delivered\"}",
                "{\"time\":\(Self.start),\"request\":null,\"status\":600,\"message\":\"JSON body could not be evaluated\","
                    + "\"outcome\":\"retry\"}",
            ].joined(separator: "\n")
            let report = await replay(try ReplayJournal.parse(text), ReplayOptions(speed: .asFastAsPossible))
            #expect(report.passed && report.results.count == 1)
            #expect(report.skippedEmail == 1 && report.skippedNotRendered == 1)
            #expect(report.text.contains("skipped: 1 e-mail try (replay sends HTTP only), 1 try without a request"))
            #expect(report.json.contains("\"skipped\":{\"email\":1,\"notRendered\":1}"))
        }
    }

    @Test("a receiver that refuses, resets or hangs gives a clear result per request within the deadline")
    func failingReceivers() async throws {
        var rules = ReceiverRules()
        rules.set(.reset, for: "/reset")
        rules.set(.hang, for: "/hang")
        try await withReplayReceiver(rules) { receiver in
            let closed = try await EmbeddedReceiver.start()
            let closedURL = closed.baseURL
            try await closed.shutdown()
            let text = [
                journalLine(time: Self.start, callback: "refused", url: closedURL + "/refused"),
                journalLine(time: Self.start + 1, callback: "reset", url: receiver.baseURL + "/reset"),
                journalLine(time: Self.start + 2, callback: "hang", url: receiver.baseURL + "/hang"),
                journalLine(
                    time: Self.start + 3,
                    callback: "timeout",
                    url: receiver.baseURL + "/hang",
                    status: 600,
                    message: "Timeout: no answer within 1 s",
                    outcome: "retry"
                ),
            ].joined(separator: "\n")
            let clock = ContinuousClock()
            let started = clock.now
            let report = await replay(
                try ReplayJournal.parse(text),
                ReplayOptions(speed: .factor(1), deadline: .seconds(1))
            )
            #expect(clock.now - started < .seconds(6))
            let byName = Dictionary(uniqueKeysWithValues: report.results.map { ($0.entry.callback, $0) })
            #expect(byName["refused"]?.answer.status == 600)
            #expect(byName["refused"]?.answer.message.hasPrefix("Connection refused") == true)
            #expect(byName["reset"]?.answer.status == 600)
            #expect(byName["reset"]?.answer.message.hasPrefix("Connection") == true)
            #expect(byName["hang"]?.answer.message == "Timeout: no answer within 1 s")
            #expect(byName["timeout"]?.differences.isEmpty == true)
            #expect(report.different.count == 3 && report.same == 1)
        }
    }

    @Test("a BIDIR answer is compared as JSON; another downlink is a difference")
    func bidirAnswers() async throws {
        var rules = ReceiverRules()
        rules.set(ReceiverResponse(.bidir(.fixed("0102030405060708"))), for: "/bidir")
        try await withReplayReceiver(rules) { receiver in
            let line = journalLine(
                time: Self.start,
                callback: "downlink",
                service: "DATA/BIDIR",
                method: "POST",
                url: receiver.baseURL + "/bidir",
                body: "{\"device\":\"2C30EA\",\"ack\":true}",
                response: "{ \"2C30EA\": { \"downlinkData\": \"0102030405060708\" } }"
            )
            let entries = try ReplayJournal.parse(line)
            let same = await replay(entries, ReplayOptions(speed: .asFastAsPossible))
            #expect(same.passed, "\(same.text)")

            rules.set(ReceiverResponse(.bidir(.fixed("1111111111111111"))), for: "/bidir")
            receiver.setRules(rules)
            let changed = await replay(entries, ReplayOptions(speed: .asFastAsPossible))
            let result = try #require(changed.different.first)
            #expect(result.differences.map(\.field) == ["answer"])
            #expect(result.differences.first?.now.contains("1111111111111111") == true)
            #expect(changed.json.contains("\"field\":\"answer\""))
        }
    }
}
