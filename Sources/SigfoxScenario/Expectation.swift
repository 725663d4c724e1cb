import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel

/// One assertion checked when a scenario's run is over (the `expect:` list).
public struct Expectation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Counts of tries of the callbacks the selection picks (all when it is empty).
        case callbacks(CallbackSelection, counts: [Count: Int])
        /// The ledger balances: created = delivered + failed + pending + cancelled.
        case ledgerBalances
        /// Nothing was left pending or cancelled at the end.
        case noPending
        /// The device got a downlink (with exactly these bytes when given).
        case downlink(device: DeviceID, data: [UInt8]?)
        /// ACKNOWLEDGE triggers with this `infoMessage` (`ACKED`, `NO_ANSWER`, ...), for one device or all;
        /// `count` nil means at least one.
        case acknowledge(device: DeviceID?, infoMessage: String, count: Int?)
        /// The network's counters (uplinks sent, status messages, messages received, lost, downlinks).
        case network([NetworkCount: Int])
        /// E-mails the embedded SMTP sink accepted, optionally to one recipient and with a subject that
        /// contains the given text.
        case mails(recipient: String?, subject: String?, count: Int)
        /// The run's journal, normalised (see ``GoldenJournal``), equals this file (relative to the
        /// scenario file's folder).
        case golden(String)
    }

    /// Which tries a `callbacks` expectation counts: every field given must match.
    public struct CallbackSelection: Sendable, Equatable {
        public var service: CallbackService?
        public var channel: CallbackChannel?
        /// The callback's `id` (or its description).
        public var callback: String?
        /// A prefix of the request's URL path.
        public var path: String?
        /// A device the try carried a message of.
        public var device: DeviceID?

        public init(
            service: CallbackService? = nil,
            channel: CallbackChannel? = nil,
            callback: String? = nil,
            path: String? = nil,
            device: DeviceID? = nil
        ) {
            self.service = service
            self.channel = channel
            self.callback = callback
            self.path = path
            self.device = device
        }

        func selects(_ attempt: AttemptRecord) -> Bool {
            if let service, attempt.callback.service != service { return false }
            if let channel, attempt.callback.channel != channel { return false }
            if let callback, attempt.callback.id != callback && attempt.callback.description != callback {
                return false
            }
            if let path {
                guard case .http(let request)? = attempt.request, Expectation.path(of: request.url).hasPrefix(path)
                else { return false }
            }
            if let device, !attempt.messages.contains(where: { $0.device == device }) { return false }
            return true
        }

        var summary: String {
            var subject = callback.map { "callback \($0)" } ?? service?.rawValue ?? channel?.rawValue ?? "all callbacks"
            if let service, callback != nil { subject += " (\(service.rawValue))" }
            if let channel, callback != nil || service != nil { subject += " \(channel.rawValue)" }
            if let path { subject += " to \(path)" }
            if let device { subject += " for device \(device)" }
            return subject
        }
    }

    /// What a `network` expectation counts.
    public enum NetworkCount: String, Sendable, CaseIterable, Hashable {
        /// Uplinks and status messages the devices sent.
        case uplinks
        /// Out-of-band status messages sent.
        case statusMessages
        /// Messages at least one station heard.
        case messages
        /// Messages no station heard.
        case lost
        /// Downlinks transmitted.
        case downlinks
        /// Uplinks past the device type's daily limit (140 a UTC day), flagged (or dropped with
        /// `overLimitPolicy: drop`).
        case overLimit
        /// Messages accepted with an INVALID_SEQ_NUMBER warning (SIGFOX.md section 8).
        case sequenceWarnings
        /// Messages rejected out of sequence.
        case outOfSequence
        /// Messages rejected off contract.
        case offContract

        func value(in counters: NetworkCounters) -> Int {
            switch self {
            case .sequenceWarnings: return counters.sequenceWarnings
            case .outOfSequence: return counters.rejectedOutOfSequence
            case .offContract: return counters.rejectedOffContract
            case .overLimit: return counters.overLimit
            case .uplinks: return counters.uplinks
            case .statusMessages: return counters.statusMessages
            case .messages: return counters.messages
            case .lost: return counters.lost
            case .downlinks: return counters.downlinksEmitted
            }
        }
    }

    /// What a `callbacks` expectation counts.
    public enum Count: String, Sendable, CaseIterable, Hashable {
        /// Tries answered 2xx in time.
        case delivered
        /// Deliveries whose last try failed (the callback is dead for the message).
        case failed
        /// Failed tries followed by a retry.
        case retries
        /// Every try.
        case tries
        /// Tries cancelled at the end of the run.
        case cancelled
    }

    public var kind: Kind
    /// Where it was written, `file:line:column`, for reports.
    public var location: String

    public init(_ kind: Kind, location: String = "") {
        self.kind = kind
        self.location = location
    }

    /// The name of its JUnit test case: what is checked, without the wanted figures, so changing a
    /// count in the scenario keeps the test's name (and a CI's history of it).
    public var testName: String {
        switch kind {
        case .callbacks(let selection, let counts):
            return selection.summary + ": "
                + Count.allCases.filter { counts[$0] != nil }.map(\.rawValue)
                .joined(separator: ", ")
        case .ledgerBalances, .noPending, .golden:
            return summary
        case .downlink(let device, _):
            return "device \(device) got a downlink"
        case .acknowledge(let device, let info, _):
            return "ACKNOWLEDGE \(info) for " + (device.map { "device \($0)" } ?? "any device")
        case .network(let counts):
            return "network: "
                + NetworkCount.allCases.filter { counts[$0] != nil }.map(\.rawValue)
                .joined(separator: ", ")
        case .mails(let recipient, let subject, _):
            var text = "e-mails"
            if let recipient { text += " to \(recipient)" }
            if let subject { text += " with subject containing '\(subject)'" }
            return text
        }
    }

    /// The tries it is about, for its transcript (the JUnit test case's `<system-out>`): its callbacks, the
    /// device's tries for a downlink, ACKNOWLEDGE for an acknowledgement, e-mails, else every try.
    public var transcriptSelection: CallbackSelection {
        switch kind {
        case .callbacks(let selection, _): return selection
        case .downlink(let device, _): return CallbackSelection(device: device)
        case .acknowledge(let device, _, _): return CallbackSelection(service: .acknowledge, device: device)
        case .mails: return CallbackSelection(channel: .email)
        case .ledgerBalances, .noPending, .network, .golden: return CallbackSelection()
        }
    }

    /// The line it was written on (its `location` is `line:column`).
    public var line: Int? { Int(location.prefix { $0 != ":" }) }

    /// A short readable statement of what must hold.
    public var summary: String {
        switch kind {
        case .callbacks(let selection, let counts):
            let parts = Count.allCases.compactMap { count in counts[count].map { "\(count.rawValue) \($0)" } }
            return selection.summary + ": " + parts.joined(separator: ", ")
        case .ledgerBalances:
            return "the ledger balances"
        case .noPending:
            return "nothing pending or cancelled"
        case .downlink(let device, let data):
            return "device \(device) got a downlink" + (data.map { " " + Hex.lowercase($0) } ?? "")
        case .acknowledge(let device, let info, let count):
            let who = device.map { "device \($0)" } ?? "any device"
            return "ACKNOWLEDGE \(info) for \(who)" + (count.map { ": \($0)" } ?? "")
        case .network(let counts):
            let parts = NetworkCount.allCases.compactMap { count in counts[count].map { "\(count.rawValue) \($0)" } }
            return "network: " + parts.joined(separator: ", ")
        case .mails(let recipient, let subject, let count):
            var text = "\(count) e-mail\(count == 1 ? "" : "s")"
            if let recipient { text += " to \(recipient)" }
            if let subject { text += " with subject containing '\(subject)'" }
            return text
        case .golden(let file):
            return "the journal matches golden \(file)"
        }
    }
}

/// An expectation and whether it held, with what was found.
public struct ExpectationResult: Sendable, Equatable {
    public var expectation: Expectation
    public var passed: Bool
    /// What the run showed (`delivered 3`, `pending 1`).
    public var actual: String
    /// More lines for a failure (a golden journal's differing lines).
    public var detail: [String] = []
    /// How long checking it took (the JUnit test case's time).
    public var seconds: Double = 0
    /// The golden file `--update-golden` wrote for it.
    public var wrote: String?
}

extension Expectation {
    /// Checks the expectation against a finished run.
    package func check(_ facts: RunFacts) -> ExpectationResult {
        switch kind {
        case .callbacks(let selection, let counts):
            // Counted as the tries ended (``RunTally``).
            let tallied = facts.tally.counts(for: selection)
            var actual = [String]()
            var passed = true
            for count in Count.allCases {
                guard let wanted = counts[count] else { continue }
                let found = tallied[count, default: 0]
                if found != wanted { passed = false }
                actual.append("\(count.rawValue) \(found)")
            }
            return ExpectationResult(expectation: self, passed: passed, actual: actual.joined(separator: ", "))
        case .ledgerBalances:
            let ledger = facts.ledger
            return ExpectationResult(
                expectation: self,
                passed: ledger.balances,
                actual: "created \(ledger.created), delivered \(ledger.delivered), failed \(ledger.failed), "
                    + "pending \(ledger.pending), cancelled \(ledger.cancelled)"
            )
        case .noPending:
            let ledger = facts.ledger
            return ExpectationResult(
                expectation: self,
                passed: ledger.pending == 0 && ledger.cancelled == 0,
                actual: "pending \(ledger.pending), cancelled \(ledger.cancelled)"
            )
        case .downlink(let device, let data):
            let got = facts.downlinks.filter { $0.device == device }
            let passed = got.contains { data == nil || $0.data == data }
            let actual = got.isEmpty ? "no downlink" : got.map { Hex.lowercase($0.data) }.joined(separator: ", ")
            return ExpectationResult(expectation: self, passed: passed, actual: actual)
        case .acknowledge(let device, let info, let count):
            let matching = facts.acknowledgements.filter { ($0.device == device || device == nil) }
            // `ACKED` matches `Acked` (the recorded spelling, network.infoMessage) and the other way round.
            let found = matching.filter { $0.infoMessage.lowercased() == info.lowercased() }.count
            let passed = count.map { found == $0 } ?? (found > 0)
            let seen = matching.map(\.infoMessage)
            return ExpectationResult(
                expectation: self,
                passed: passed,
                actual: "\(found) \(info)" + (seen.isEmpty ? "" : " (seen: \(seen.joined(separator: ", ")))")
            )
        case .network(let counts):
            var passed = true
            var actual = [String]()
            for count in NetworkCount.allCases {
                guard let wanted = counts[count] else { continue }
                let found = count.value(in: facts.network)
                if found != wanted { passed = false }
                actual.append("\(count.rawValue) \(found)")
            }
            return ExpectationResult(expectation: self, passed: passed, actual: actual.joined(separator: ", "))
        case .mails(let recipient, let subject, let count):
            let found = facts.mails.filter { mail in
                if let recipient, !mail.recipients.contains(where: { $0.lowercased() == recipient.lowercased() }) {
                    return false
                }
                if let subject, !(mail.header("Subject") ?? "").contains(subject) { return false }
                return true
            }.count
            return ExpectationResult(
                expectation: self,
                passed: found == count,
                actual: "\(found) e-mail\(found == 1 ? "" : "s") (\(facts.mails.count) received in all)"
            )
        case .golden(let file):
            return facts.golden.check(file: file, expectation: self)
        }
    }

    /// The path of an absolute URL, without query.
    static func path(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        let path = rest[slash...]
        return String(path.prefix { $0 != "?" && $0 != "#" })
    }
}

/// What expectations are checked against.
package struct RunFacts {
    var tally: RunTally
    var ledger: Ledger
    var downlinks: [EmittedDownlink]
    var acknowledgements: [Acknowledgement]
    var network: NetworkCounters
    var mails: [ReceivedMail]
    var golden: GoldenJournal

    /// The memberwise initialiser, for the runners beside the simulation host.
    package init(
        tally: RunTally,
        ledger: Ledger,
        downlinks: [EmittedDownlink],
        acknowledgements: [Acknowledgement],
        network: NetworkCounters,
        mails: [ReceivedMail],
        golden: GoldenJournal
    ) {
        self.tally = tally
        self.ledger = ledger
        self.downlinks = downlinks
        self.acknowledgements = acknowledgements
        self.network = network
        self.mails = mails
        self.golden = golden
    }
}
