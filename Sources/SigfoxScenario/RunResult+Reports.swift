import SigfoxEngine
import SigfoxModel

extension RunResult {
    /// How many failed tries the readable report shows in full.
    public static let failuresShown = 5

    /// The readable report: ledger, per-callback counts, failures with request and answer, downlinks and
    /// acknowledgements, expectations with ✓/✗.
    public var text: String {
        var lines = [String]()
        lines.append("scenario \(name) (seed \(seed))")
        lines.append(
            "network: \(network.uplinks) uplinks, \(network.messages) messages, \(network.lost) lost, "
                + "\(network.downlinksEmitted) downlinks"
                + (network.overLimit > 0 ? ", \(network.overLimit) over the daily limit" : "")
                + (network.sequenceWarnings > 0 ? ", \(network.sequenceWarnings) with a sequence gap" : "")
                + (network.rejectedOutOfSequence > 0
                    ? ", \(network.rejectedOutOfSequence) rejected out of sequence" : "")
                + (network.rejectedOffContract > 0 ? ", \(network.rejectedOffContract) rejected off contract" : "")
        )
        lines.append(
            "ledger: created \(ledger.created), delivered \(ledger.delivered), failed \(ledger.failed), "
                + "pending \(ledger.pending), cancelled \(ledger.cancelled), tries \(ledger.tries)"
                + (ledger.balances ? " (balances)" : " (DOES NOT BALANCE)")
        )
        if tally.lateStarts > 0 {
            lines.append(
                "late starts: \(tally.lateStarts) tries went out a second or more after they were due (up to "
                    + "\(tally.latestStart / 1000) s): the in-flight cap was full"
            )
        }
        lines.append("")
        lines.append("callbacks:")
        for (callback, target, outcomes) in callbackCounts {
            let parts = ["delivered", "retry", "failed", "cancelled"].compactMap { key in
                outcomes[key].map { "\(key) \($0)" }
            }
            lines.append(
                "  \(callback.description) (\(callback.service.rawValue))  \(Self.stripQuery(target))  "
                    + parts.joined(separator: ", ")
            )
        }
        if callbackCounts.isEmpty { lines.append("  (none fired)") }
        let failures = failures
        if !failures.isEmpty {
            lines.append("")
            lines.append("failures (\(failureCount) tries; first \(min(failures.count, Self.failuresShown))):")
            for attempt in failures.prefix(Self.failuresShown) {
                lines.append(
                    "  \(ScenarioTime.format(attempt.scheduledAt)) \(attempt.callback.service.rawValue) try "
                        + "\(attempt.attempt) \(attempt.outcome.name): \(attempt.status) \(attempt.message)"
                )
                lines.append("    request: \(attempt.target)")
                if case .http(let http)? = attempt.request, let body = http.body, !body.isEmpty {
                    lines.append("    body: \(body.prefix(200))")
                }
                if !attempt.responseExcerpt.isEmpty {
                    lines.append("    answer: \(attempt.responseExcerpt.prefix(200))")
                }
            }
        }
        if !downlinks.isEmpty || !acknowledgements.isEmpty {
            lines.append("")
            lines.append("downlinks:")
            for downlink in downlinks {
                lines.append(
                    "  \(ScenarioTime.format(downlink.time)) device \(downlink.device) ← \(Hex.lowercase(downlink.data)) "
                        + "via \(downlink.station)"
                )
            }
            if downlinks.isEmpty { lines.append("  (none)") }
            lines.append("acknowledgements:")
            for ack in acknowledgements {
                lines.append("  \(ScenarioTime.format(ack.time)) device \(ack.device) \(ack.infoMessage)")
            }
            if acknowledgements.isEmpty { lines.append("  (none)") }
        }
        if let smtpURL {
            lines.append("")
            lines.append("e-mails: \(mails.count) received by the embedded SMTP sink (\(smtpURL))")
            if mails.isEmpty && callbackCounts.contains(where: { $0.callback.channel == .email }) {
                lines[lines.count - 1] = "e-mails: sent to \(smtpURL)"
            }
            for mail in mails.prefix(Self.failuresShown) {
                lines.append("  to \(mail.recipients.joined(separator: ", ")): \(mail.header("Subject") ?? "")")
            }
            if mails.count > Self.failuresShown { lines.append("  … \(mails.count - Self.failuresShown) more") }
        }
        lines.append("")
        lines.append("expectations:")
        for result in expectations {
            let mark = result.passed ? "✓" : "✗"
            var line = "  \(mark) \(result.expectation.summary)"
            if !result.passed { line += "  (found \(result.actual); \(file):\(result.expectation.location))" }
            if result.wrote != nil { line += "  (\(result.actual))" }
            lines.append(line)
            if !result.passed { lines += result.detail.map { "      " + $0 } }
        }
        if expectations.isEmpty { lines.append("  (none)") }
        let held = expectations.filter(\.passed).count
        lines.append("")
        if interrupted {
            lines.append("INTERRUPTED: the run was stopped; what was left is cancelled and counted above")
        }
        lines.append(
            (passed ? "PASSED" : "FAILED") + ": \(held)/\(expectations.count) expectations held"
                + (journalPath.map { "; journal: \($0)" } ?? "")
        )
        return lines.joined(separator: "\n") + "\n"
    }

    static func stripQuery(_ target: String) -> String {
        String(target.prefix { $0 != "?" })
    }

    /// The report as one JSON object.
    public var json: String {
        func q(_ text: String) -> String { JSONText.quoted(text) }
        var fields = [String]()
        fields.append("\"scenario\":" + q(name))
        fields.append("\"file\":" + q(file))
        fields.append("\"seed\":\(seed)")
        fields.append("\"passed\":\(passed)")
        fields.append("\"interrupted\":\(interrupted)")
        fields.append(
            "\"network\":{\"uplinks\":\(network.uplinks),\"messages\":\(network.messages),\"lost\":\(network.lost),"
                + "\"downlinks\":\(network.downlinksEmitted),\"overLimit\":\(network.overLimit),"
                + "\"sequenceWarnings\":\(network.sequenceWarnings),\"outOfSequence\":\(network.rejectedOutOfSequence),"
                + "\"offContract\":\(network.rejectedOffContract)}"
        )
        fields.append(
            "\"ledger\":{\"created\":\(ledger.created),\"delivered\":\(ledger.delivered),\"failed\":\(ledger.failed),"
                + "\"pending\":\(ledger.pending),\"cancelled\":\(ledger.cancelled),\"tries\":\(ledger.tries),"
                + "\"balances\":\(ledger.balances)}"
        )
        let callbacks = callbackCounts.map { callback, target, outcomes in
            let counts = outcomes.keys.sorted().map { "\(q($0)):\(outcomes[$0]!)" }.joined(separator: ",")
            return "{\"callback\":\(q(callback.description)),\"service\":\(q(callback.service.rawValue)),"
                + "\"target\":\(q(target)),\"outcomes\":{\(counts)}}"
        }
        fields.append("\"callbacks\":[" + callbacks.joined(separator: ",") + "]")
        fields.append("\"failureCount\":\(failureCount)")
        fields.append("\"failures\":[" + failures.map(\.jsonLine).joined(separator: ",") + "]")
        let downlinkItems = downlinks.map {
            "{\"device\":\(q($0.device.description)),\"data\":\(q(Hex.lowercase($0.data))),"
                + "\"time\":\($0.time.milliseconds),\"station\":\(q($0.station.description))}"
        }
        fields.append("\"downlinks\":[" + downlinkItems.joined(separator: ",") + "]")
        let ackItems = acknowledgements.map {
            "{\"device\":\(q($0.device.description)),\"infoMessage\":\(q($0.infoMessage)),"
                + "\"time\":\($0.time.milliseconds)}"
        }
        fields.append("\"acknowledgements\":[" + ackItems.joined(separator: ",") + "]")
        let mailItems = mails.map {
            "{\"from\":\(q($0.from)),\"to\":[\($0.recipients.map(q).joined(separator: ","))],"
                + "\"subject\":\(q($0.header("Subject") ?? ""))}"
        }
        fields.append("\"mails\":[" + mailItems.joined(separator: ",") + "]")
        let expectationItems = expectations.map {
            "{\"expectation\":\(q($0.expectation.summary)),\"passed\":\($0.passed),\"actual\":\(q($0.actual)),"
                + "\"location\":\(q($0.expectation.location)),"
                + "\"detail\":[\($0.detail.map(q).joined(separator: ","))]}"
        }
        fields.append("\"expectations\":[" + expectationItems.joined(separator: ",") + "]")
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// JUnit XML as CI reporters read it (Jenkins, GitLab, GitHub actions such as dorny/test-reporter):
    /// one test suite named after the scenario, one test case per expectation with its `file` and
    /// `line`, a `classname` from the scenario's file (`Scenarios/quickstart.yaml` →
    /// `Scenarios.quickstart`), a name that stays the same when a wanted count changes, the time checking
    /// it took, and the totals on the root element too.
    public var junit: String {
        let failed = expectations.filter { !$0.passed }.count
        let time = Self.seconds(wallSeconds)
        let totals =
            "tests=\"\(expectations.count)\" failures=\"\(failed)\" errors=\"0\" skipped=\"0\" time=\"\(time)\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"sigfox-sim run\" \(totals)>\n"
        xml += "  <testsuite name=\"\(Self.xml(name))\" \(totals)" + (file.isEmpty ? "" : " file=\"\(Self.xml(file))\"")
        xml += ">\n"
        var seen: [String: Int] = [:]
        for result in expectations {
            // Two expectations that check the same thing keep apart by their order among such.
            let base = result.expectation.testName
            seen[base, default: 0] += 1
            let caseName = seen[base]! == 1 ? base : "\(base) (\(seen[base]!))"
            xml += "    <testcase classname=\"\(Self.xml(junitClassName))\" name=\"\(Self.xml(caseName))\""
            if !file.isEmpty { xml += " file=\"\(Self.xml(file))\"" }
            if let line = result.expectation.line { xml += " line=\"\(line)\"" }
            xml += " time=\"\(Self.seconds(result.seconds))\""
            if result.passed {
                xml += "/>\n"
            } else {
                xml +=
                    ">\n      <failure message=\"\(Self.xml("expected \(result.expectation.summary); found " + result.actual))\" type=\"expectation\">"
                xml += Self.xml(
                    "\(file):\(result.expectation.location): expected \(result.expectation.summary); "
                        + "found \(result.actual)" + result.detail.map { "\n" + $0 }.joined()
                )
                xml += "</failure>\n    </testcase>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// The scenario's file as a JUnit class name: its path without the extension, `/` as `.`.
    var junitClassName: String {
        guard !file.isEmpty else { return name }
        var path = file.hasPrefix("./") ? String(file.dropFirst(2)) : file
        if let dot = path.lastIndex(of: "."), !path[dot...].contains("/") { path = String(path[..<dot]) }
        return path.split(separator: "/").joined(separator: ".")
    }

    static func xml(_ text: String) -> String { MarkupText.escaped(text) }

    static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

/// Text made safe inside XML or HTML, in element content and in double- or single-quoted attributes
/// (the JUnit report, the load test's HTML page).
public enum MarkupText {
    public static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension RunResult {
    /// Every try in the order it ended: when it was due, the callback and try, the request as sent
    /// (request line, headers, body; or the e-mail), then the answer (`run --show-requests`).
    public var requestsText: String {
        var lines = ["requests (\(attempts.count) tries, in the order they ended):"]
        for attempt in attempts {
            lines.append("")
            lines.append(
                "[\(ScenarioTime.format(attempt.scheduledAt))] \(attempt.callback) (\(attempt.callback.service.rawValue)) "
                    + "try \(attempt.attempt)"
            )
            if let request = attempt.request {
                lines += request.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            } else {
                lines.append("  (no request: it could not be rendered)")
            }
            let latency = attempt.latencyMilliseconds.map { String(format: " in %.1f ms", $0) } ?? ""
            var answer = "  → \(attempt.status) \(attempt.message)\(latency), \(attempt.outcome.name)"
            if case .retrying(let next) = attempt.outcome { answer += ", next try \(ScenarioTime.format(next))" }
            lines.append(answer)
            if !attempt.responseExcerpt.isEmpty { lines.append("    " + attempt.responseExcerpt.prefix(200)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
