import SigfoxEngine
import SigfoxModel

/// One assertion checked when a scenario's run is over (the `expect:` list).
public struct Expectation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Counts of tries of the callbacks of a service, optionally narrowed to one callback (its `id`)
        /// or to requests whose URL path starts with `path`.
        case callbacks(service: CallbackService?, callback: String?, path: String?, counts: [Count: Int])
        /// The ledger balances: created = delivered + failed + pending + cancelled.
        case ledgerBalances
        /// Nothing was left pending or cancelled at the end.
        case noPending
        /// The device got a downlink (with exactly these bytes when given).
        case downlink(device: DeviceID, data: [UInt8]?)
        /// ACKNOWLEDGE triggers with this `infoMessage` (`ACKED`, `NO_ANSWER`, ...), for one device or all;
        /// `count` nil means at least one.
        case acknowledge(device: DeviceID?, infoMessage: String, count: Int?)
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

    /// A short readable statement of what must hold.
    public var summary: String {
        switch kind {
        case .callbacks(let service, let callback, let path, let counts):
            var subject = callback.map { "callback \($0)" } ?? service?.rawValue ?? "all callbacks"
            if let service, callback != nil { subject += " (\(service.rawValue))" }
            if let path { subject += " to \(path)" }
            let parts = Count.allCases.compactMap { count in counts[count].map { "\(count.rawValue) \($0)" } }
            return subject + ": " + parts.joined(separator: ", ")
        case .ledgerBalances:
            return "the ledger balances"
        case .noPending:
            return "nothing pending or cancelled"
        case .downlink(let device, let data):
            return "device \(device) got a downlink" + (data.map { " " + Hex.lowercase($0) } ?? "")
        case .acknowledge(let device, let info, let count):
            let who = device.map { "device \($0)" } ?? "any device"
            return "ACKNOWLEDGE \(info) for \(who)" + (count.map { ": \($0)" } ?? "")
        }
    }
}

/// An expectation and whether it held, with what was found.
public struct ExpectationResult: Sendable, Equatable {
    public var expectation: Expectation
    public var passed: Bool
    /// What the run showed (`delivered 3`, `pending 1`).
    public var actual: String
}

extension Expectation {
    /// Checks the expectation against a finished run.
    func check(_ facts: RunFacts) -> ExpectationResult {
        switch kind {
        case .callbacks(let service, let callback, let path, let counts):
            let selected = facts.attempts.filter { attempt in
                if let service, attempt.callback.service != service { return false }
                if let callback, attempt.callback.id != callback && attempt.callback.description != callback {
                    return false
                }
                if let path {
                    guard case .http(let request)? = attempt.request, Self.path(of: request.url).hasPrefix(path)
                    else { return false }
                }
                return true
            }
            var actual = [String]()
            var passed = true
            for count in Count.allCases {
                guard let wanted = counts[count] else { continue }
                let found: Int
                switch count {
                case .delivered: found = selected.filter { $0.outcome == .delivered }.count
                case .failed: found = selected.filter { $0.outcome == .failed }.count
                case .retries: found = selected.filter { if case .retrying = $0.outcome { true } else { false } }.count
                case .tries: found = selected.count
                case .cancelled: found = selected.filter { $0.outcome == .cancelled }.count
                }
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
            let found = matching.filter { $0.infoMessage == info }.count
            let passed = count.map { found == $0 } ?? (found > 0)
            let seen = matching.map(\.infoMessage)
            return ExpectationResult(
                expectation: self,
                passed: passed,
                actual: "\(found) \(info)" + (seen.isEmpty ? "" : " (seen: \(seen.joined(separator: ", ")))")
            )
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
struct RunFacts {
    var attempts: [AttemptRecord]
    var ledger: Ledger
    var downlinks: [EmittedDownlink]
    var acknowledgements: [Acknowledgement]
}
