import SigfoxEngine
import SigfoxModel

extension RunResult {
    /// JUnit XML as CI reporters read it (Jenkins, GitLab, GitHub actions such as mikepenz/action-junit-report):
    /// one test suite named after the scenario, one test case per expectation with its `file` and `line`, a
    /// `classname` from the scenario's file (`Scenarios/quickstart.yaml` → `Scenarios.quickstart`), a name
    /// that stays the same when a wanted count changes, the time checking it took, and the totals on the root
    /// element too.
    ///
    /// A `<failure>` says why, as the text report does: what was expected and found, the uplinks lost and
    /// why, and the first tries that did not deliver with their answer's status line and body. Every test
    /// case carries the requests and answers it is about in `<system-out>` (the first
    /// ``RunTally/transcriptTries``; the journal has them all). A run stopped by a signal adds a test case
    /// in error that says INTERRUPTED.
    public var junit: String {
        let failed = expectations.filter { !$0.passed }.count
        let errors = interrupted ? 1 : 0
        let time = Self.seconds(wallSeconds)
        let totals =
            "tests=\"\(expectations.count + errors)\" failures=\"\(failed)\" errors=\"\(errors)\" skipped=\"0\" "
            + "time=\"\(time)\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"sigfox-sim run\" \(totals)>\n"
        xml += "  <testsuite name=\"\(Self.xml(name))\" \(totals)" + (file.isEmpty ? "" : " file=\"\(Self.xml(file))\"")
        xml += ">\n"
        if interrupted {
            xml += "    <testcase classname=\"\(Self.xml(junitClassName))\" name=\"the run went to its end\""
            if !file.isEmpty { xml += " file=\"\(Self.xml(file))\"" }
            xml += " time=\"\(time)\">\n"
            let message = "INTERRUPTED: the run was stopped by a signal before its end; what was left is cancelled"
            xml += "      <error message=\"\(Self.xml(message))\" type=\"interrupted\">"
            xml += Self.xml(
                message + "\nledger: created \(ledger.created), delivered \(ledger.delivered), failed "
                    + "\(ledger.failed), pending \(ledger.pending), cancelled \(ledger.cancelled)"
            )
            xml += "</error>\n    </testcase>\n"
        }
        var seen: [String: Int] = [:]
        for result in expectations {
            // Two expectations that check the same thing keep apart by their order among such.
            let base = result.expectation.testName
            seen[base, default: 0] += 1
            let caseName = seen[base]! == 1 ? base : "\(base) (\(seen[base]!))"
            xml += "    <testcase classname=\"\(Self.xml(junitClassName))\" name=\"\(Self.xml(caseName))\""
            if !file.isEmpty { xml += " file=\"\(Self.xml(file))\"" }
            if let line = result.expectation.line { xml += " line=\"\(line)\"" }
            xml += " time=\"\(Self.seconds(result.seconds))\">\n"
            let transcript = tally.transcript(for: result.expectation)
            if !result.passed {
                let first = transcript.failures.first.map { "; first try not delivered: \($0.status) \($0.message)" }
                let message = "expected \(result.expectation.summary); found \(result.actual)" + (first ?? "")
                xml += "      <failure message=\"\(Self.xml(message))\" type=\"expectation\">"
                xml += Self.xml(failureText(result, transcript: transcript))
                xml += "</failure>\n"
            }
            xml += "      <system-out>" + Self.xml(transcriptText(transcript)) + "</system-out>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// What a failed expectation's `<failure>` says: expected and found with the report's detail, the
    /// uplinks lost and why (they explain missing messages), and the first tries that did not deliver with
    /// the answer they got.
    func failureText(_ result: ExpectationResult, transcript: RunTally.Transcript) -> String {
        var lines = [
            "\(file):\(result.expectation.location): expected \(result.expectation.summary); found \(result.actual)"
        ]
        lines += result.detail
        switch result.expectation.kind {
        case .golden, .ledgerBalances, .noPending: break
        default: lines += lossLines
        }
        if !transcript.failures.isEmpty {
            lines.append(
                "tries not delivered: \(transcript.failureCount)"
                    + (transcript.failureCount > transcript.failures.count
                        ? " (the first \(transcript.failures.count))" : "")
            )
            for attempt in transcript.failures {
                lines.append(
                    "  \(ScenarioTime.format(attempt.scheduledAt)) \(attempt.callback) (\(attempt.callback.service.rawValue)) "
                        + "try \(attempt.attempt): \(attempt.outcome.name), \(attempt.status) \(attempt.message)"
                )
                lines.append("    request: \(attempt.target)")
                if !attempt.responseExcerpt.isEmpty {
                    lines.append("    answer: \(attempt.responseExcerpt.prefix(500))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The requests and answers an expectation is about, as `--show-requests` prints them.
    func transcriptText(_ transcript: RunTally.Transcript) -> String {
        guard transcript.count > 0 else { return "no try is about this expectation" }
        var lines = [
            transcript.count > transcript.tries.count
                ? "requests and answers: the first \(transcript.tries.count) of \(transcript.count) tries "
                    + "(the journal has them all)"
                : "requests and answers: \(transcript.count) \(transcript.count == 1 ? "try" : "tries")"
        ]
        for attempt in transcript.tries {
            lines.append("")
            lines += Self.exchange(attempt)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The scenario's file as a JUnit class name: its path without the extension, `/` as `.`.
    var junitClassName: String {
        guard !file.isEmpty else { return name }
        var path = file.hasPrefix("./") ? String(file.dropFirst(2)) : file
        if let dot = path.lastIndex(of: "."), !path[dot...].contains("/") { path = String(path[..<dot]) }
        return path.split(separator: "/").joined(separator: ".")
    }
}
