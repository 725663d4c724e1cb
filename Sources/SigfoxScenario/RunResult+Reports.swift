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
                + (network.refusedInactive > 0
                    ? ", \(network.refusedInactive) refused (device suspended or unsubscribed)" : "")
        )
        lines += lossLines
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

    /// How many devices' losses the readable report lists.
    public static let lossesShown = 10

    /// Why each lost uplink was lost, one line per device and reason: a loss is never silent.
    var lossLines: [String] {
        guard !losses.isEmpty else { return [] }
        var lines = ["lost uplinks, why no station heard them:"]
        for loss in losses.prefix(Self.lossesShown) {
            lines.append("  \(loss.device): \(loss.count) lost, \(loss.explanation)")
        }
        if losses.count > Self.lossesShown {
            let rest = losses.dropFirst(Self.lossesShown)
            lines.append(
                "  … \(rest.reduce(0) { $0 + $1.count }) more lost by \(rest.count) more devices (--json lists them all)"
            )
        }
        return lines
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
                + "\"offContract\":\(network.rejectedOffContract),\"losses\":["
                + losses.map {
                    "{\"device\":\(q($0.device.description)),\"reason\":\(q($0.reason.rawValue)),\"count\":\($0.count),"
                        + "\"explanation\":\(q($0.explanation))}"
                }.joined(separator: ",") + "]}"
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
            lines += Self.exchange(attempt)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One try as sent and answered: when it was due, the callback and try, the request (request line,
    /// headers, body; or the e-mail), then the status line as received, the outcome and the answer's start.
    static func exchange(_ attempt: AttemptRecord) -> [String] {
        var lines = [
            "[\(ScenarioTime.format(attempt.scheduledAt))] \(attempt.callback) (\(attempt.callback.service.rawValue)) "
                + "try \(attempt.attempt)"
        ]
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
        return lines
    }
}
