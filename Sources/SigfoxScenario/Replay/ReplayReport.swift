import Foundation
import SigfoxModel

/// One replayed request: the recorded try, what was sent, what came back and how they differ.
public struct ReplayResult: Sendable, Equatable {
    /// One way the new answer differs from the recorded one.
    public struct Difference: Sendable, Equatable {
        /// `delivered`, `status`, `failure` or `answer`.
        public var field: String
        public var recorded: String
        public var now: String
    }

    public var entry: JournalEntry
    /// The request as sent (with the URL rewritten by `--target`).
    public var request: HTTPRequest
    public var answer: ReplayAnswer

    public init(entry: JournalEntry, request: HTTPRequest, answer: ReplayAnswer) {
        self.entry = entry
        self.request = request
        self.answer = answer
    }

    /// Whether the recording has an answer to compare with (a try cancelled at shutdown has none).
    public var compared: Bool { entry.outcome != "cancelled" }

    /// How the answer differs from the recorded one: success, exact status, the kind of a failure that
    /// is not an HTTP status, and for DATA/BIDIR the answer's body (SIGFOX.md section 5).
    public var differences: [Difference] {
        guard compared else { return [] }
        var found = [Difference]()
        if entry.delivered != answer.delivered {
            found.append(Difference(field: "delivered", recorded: yesNo(entry.delivered), now: yesNo(answer.delivered)))
        }
        if entry.status != answer.status {
            found.append(
                Difference(
                    field: "status",
                    recorded: "\(entry.status) (\(entry.message))",
                    now: "\(answer.status) (\(answer.message))"
                )
            )
        } else if entry.status == 600, Self.failureKind(entry.message) != Self.failureKind(answer.message) {
            found.append(Difference(field: "failure", recorded: entry.message, now: answer.message))
        }
        if entry.service == "DATA/BIDIR", entry.delivered, answer.delivered,
            !Self.sameAnswer(entry.response, answer.response)
        {
            found.append(Difference(field: "answer", recorded: entry.response, now: answer.response))
        }
        return found
    }

    private func yesNo(_ flag: Bool) -> String { flag ? "yes" : "no" }

    /// `Connection refused` of `Connection refused (Failed to connect ...)`, `Timeout` of `Timeout: no ...`.
    static func failureKind(_ message: String) -> String {
        let end = message.firstIndex(where: { $0 == "(" || $0 == ":" }) ?? message.endIndex
        return message[..<end].trimmedASCIIWhitespace
    }

    /// The same text, or the same JSON value written differently (spaces, key order).
    static func sameAnswer(_ recorded: String, _ now: String) -> Bool {
        let a = recorded.trimmedASCIIWhitespace
        let b = now.trimmedASCIIWhitespace
        if a == b { return true }
        guard let left = try? JSONParser.parse(a), let right = try? JSONParser.parse(b) else { return false }
        return canonical(left) == canonical(right)
    }

    /// A JSON value with its keys sorted and no spaces.
    static func canonical(_ node: ConfigNode) -> String {
        switch node.value {
        case .object(let entries):
            let fields = entries.sorted { $0.key < $1.key }.map { JSONText.quoted($0.key) + ":" + canonical($0.node) }
            return "{" + fields.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
        case .string(let text): return JSONText.quoted(text)
        case .number(let text): return Double(text).map { String($0) } ?? text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        }
    }
}

/// Everything `sigfox-sim replay` found, with the text and JSON reports.
public struct ReplayReport: Sendable {
    public var journal: String
    public var target: ReplayTarget?
    public var speed: ReplaySpeed
    /// In journal order.
    public var results: [ReplayResult]
    /// E-mail tries: replay sends HTTP only.
    public var skippedEmail: Int
    /// Tries recorded without a request (it could not be rendered, so nothing was ever sent).
    public var skippedNotRendered: Int
    public var wallSeconds: Double
    /// Set when the replay was stopped early (a signal): how many planned requests were not sent.
    public var interrupted: Int? = nil
    /// Requests sent to the new `--target` with the recording's credentials (an `Authorization` header, or
    /// `user:password@` in the URL): said in the report, since they now go to another server.
    public var credentialsToNewTarget = 0

    /// The memberwise initialiser, for the replay runner beside the simulation host.
    package init(
        journal: String,
        target: ReplayTarget?,
        speed: ReplaySpeed,
        results: [ReplayResult],
        skippedEmail: Int,
        skippedNotRendered: Int,
        wallSeconds: Double,
        interrupted: Int? = nil,
        credentialsToNewTarget: Int = 0
    ) {
        self.journal = journal
        self.target = target
        self.speed = speed
        self.results = results
        self.skippedEmail = skippedEmail
        self.skippedNotRendered = skippedNotRendered
        self.wallSeconds = wallSeconds
        self.interrupted = interrupted
        self.credentialsToNewTarget = credentialsToNewTarget
    }

    public var different: [ReplayResult] { results.filter { !$0.differences.isEmpty } }
    public var notCompared: Int { results.filter { !$0.compared }.count }
    public var same: Int { results.count - different.count - notCompared }
    /// No answer differs from the recorded one.
    public var passed: Bool { different.isEmpty && interrupted == nil }

    /// For people: each difference with its journal line, callback, request, recorded and new answer;
    /// then a summary.
    public var text: String {
        var lines = [
            "replay \(journal): \(results.count) requests to \(target?.description ?? "the recorded URLs") "
                + "(speed \(speed))"
        ]
        for result in different {
            let entry = result.entry
            var title = "line \(entry.line): \(entry.callback.isEmpty ? "callback" : entry.callback)"
            if !entry.service.isEmpty && !entry.callback.contains(entry.service) { title += " (\(entry.service))" }
            if let attempt = entry.attempt { title += ", try \(attempt)" }
            lines.append("")
            lines.append(title)
            lines.append("  \(result.request.method.rawValue) \(result.request.url)")
            let width = result.differences.map(\.field.count).max() ?? 0
            for difference in result.differences {
                let label = difference.field + ":" + String(repeating: " ", count: width - difference.field.count)
                lines.append(
                    "  \(label) recorded \(Self.shown(difference.recorded)), now \(Self.shown(difference.now))"
                )
            }
        }
        lines.append("")
        var summary = "\(results.count) sent: \(same) same, \(different.count) different"
        if notCompared > 0 { summary += ", \(notCompared) not compared (cancelled in the recording)" }
        lines.append(summary + String(format: " (%.2f s)", wallSeconds))
        if skippedEmail + skippedNotRendered > 0 {
            lines.append(
                "skipped: \(skippedEmail) e-mail \(skippedEmail == 1 ? "try" : "tries") (replay sends HTTP only), "
                    + "\(skippedNotRendered) \(skippedNotRendered == 1 ? "try" : "tries") without a request "
                    + "(never rendered, never sent)"
            )
        }
        if credentialsToNewTarget > 0, let target {
            lines.append(
                "note: \(credentialsToNewTarget) requests carried the recording's credentials (Authorization header or "
                    + "user:password in the URL) to \(target.description)"
            )
        }
        if let interrupted {
            lines.append(
                "INTERRUPTED: stopped; \(interrupted) planned requests not sent, the tries in flight ended as stopped"
            )
        }
        lines.append(
            different.isEmpty
                ? "SAME: every answer matches the recording"
                : "DIFFERENT: \(different.count) of \(results.count) answers differ from the recording"
        )
        return lines.joined(separator: "\n") + "\n"
    }

    /// For machines: one JSON object.
    public var json: String {
        var fields = [
            "\"journal\":" + JSONText.quoted(journal),
            "\"target\":" + (target.map { JSONText.quoted($0.description) } ?? "null"),
            "\"speed\":" + JSONText.quoted(speed.description),
            "\"passed\":\(passed)", "\"interrupted\":\(interrupted != nil)",
            "\"sent\":\(results.count)", "\"same\":\(same)", "\"different\":\(different.count)",
            "\"notCompared\":\(notCompared)", "\"credentialsToNewTarget\":\(credentialsToNewTarget)",
            "\"skipped\":{\"email\":\(skippedEmail),\"notRendered\":\(skippedNotRendered)}",
            "\"wallSeconds\":" + VariableValue.twoDecimals(wallSeconds),
        ]
        fields.append("\"results\":[" + results.map(Self.json).joined(separator: ",") + "]")
        return "{" + fields.joined(separator: ",") + "}"
    }

    private static func json(_ result: ReplayResult) -> String {
        let entry = result.entry
        let differences = result.differences.map {
            "{\"field\":\(JSONText.quoted($0.field)),\"recorded\":\(JSONText.quoted($0.recorded)),"
                + "\"now\":\(JSONText.quoted($0.now))}"
        }
        return "{\"line\":\(entry.line),\"callback\":\(JSONText.quoted(entry.callback)),"
            + "\"service\":\(JSONText.quoted(entry.service)),\"attempt\":\(entry.attempt.map(String.init) ?? "null"),"
            + "\"method\":\(JSONText.quoted(result.request.method.rawValue)),\"url\":\(JSONText.quoted(result.request.url)),"
            + "\"recorded\":{\"status\":\(entry.status),\"outcome\":\(JSONText.quoted(entry.outcome)),"
            + "\"message\":\(JSONText.quoted(entry.message)),\"response\":\(JSONText.quoted(entry.response))},"
            + "\"now\":{\"status\":\(result.answer.status),\"delivered\":\(result.answer.delivered),"
            + "\"message\":\(JSONText.quoted(result.answer.message)),\"response\":\(JSONText.quoted(result.answer.response)),"
            + "\"latencyMs\":\(VariableValue.twoDecimals(result.answer.latencyMilliseconds))},"
            + "\"compared\":\(result.compared),\"differences\":[\(differences.joined(separator: ","))]}"
    }

    /// A value on one line: empty shown as `(empty)`, long ones cut.
    private static func shown(_ text: String) -> String {
        guard !text.isEmpty else { return "(empty)" }
        let flat = text.replacingOccurrences(of: "\n", with: "\\n")
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }
}
