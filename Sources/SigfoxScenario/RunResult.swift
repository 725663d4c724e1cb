import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel

/// Everything a scenario run showed: the ledger, every try, downlinks, acknowledgements, and whether each
/// expectation held. Reports (text, JSON, JUnit) are rendered from it.
public struct RunResult: Sendable {
    public var name: String
    public var file: String
    public var seed: UInt64
    public var ledger: Ledger
    public var network: NetworkCounters
    /// Why each lost uplink was lost, per device and reason (``NetworkCounters/lost`` counts them).
    public var losses: [LostUplinks]
    /// Every try, in the order they ended, when the run kept them (``RunOptions/keepAttempts``); empty
    /// otherwise. The counts below hold either way.
    public var attempts: [AttemptRecord]
    /// Counts per callback and outcome, failure examples (``RunTally``).
    public var tally: RunTally
    public var downlinks: [EmittedDownlink]
    public var acknowledgements: [Acknowledgement]
    /// The e-mails the embedded SMTP sink accepted.
    public var mails: [ReceivedMail]
    /// Where e-mails went (the embedded sink's or the scenario's `mail.smtp`), or nil.
    public var smtpURL: String?
    /// The embedded receiver's base URL, or nil.
    public var receiverURL: String?
    public var expectations: [ExpectationResult]
    public var journalPath: String?
    /// How long the run took on the wall clock.
    public var wallSeconds: Double
    /// The run was stopped early (a signal): what was left is cancelled, and it does not pass.
    public var interrupted = false

    /// The journal as golden files keep it (see ``GoldenJournal``).
    public var normalizedJournal: [String] {
        GoldenJournal.normalize(attempts, receiverURL: receiverURL)
    }

    /// Whether every expectation held.
    public var passed: Bool { !interrupted && expectations.allSatisfy(\.passed) }

    /// Tries per callback and outcome, in the order the callbacks first appeared.
    public var callbackCounts: [(callback: CallbackReference, target: String, outcomes: [String: Int])] {
        tally.callbackOrder.map { ($0.callback, $0.target, tally.outcomes[$0.callback] ?? [:]) }
    }

    /// The first tries that did not deliver (retries and final failures), in order: at most
    /// ``RunTally/failureExamplesKept``; ``failureCount`` says how many there were.
    public var failures: [AttemptRecord] { tally.failureExamples }

    /// How many tries did not deliver.
    public var failureCount: Int { tally.failureCount }

    /// The memberwise initialiser, for the runners beside the simulation host.
    package init(
        name: String,
        file: String,
        seed: UInt64,
        ledger: Ledger,
        network: NetworkCounters,
        losses: [LostUplinks],
        attempts: [AttemptRecord],
        tally: RunTally,
        downlinks: [EmittedDownlink],
        acknowledgements: [Acknowledgement],
        mails: [ReceivedMail],
        smtpURL: String?,
        receiverURL: String?,
        expectations: [ExpectationResult],
        journalPath: String?,
        wallSeconds: Double,
        interrupted: Bool = false
    ) {
        self.name = name
        self.file = file
        self.seed = seed
        self.ledger = ledger
        self.network = network
        self.losses = losses
        self.attempts = attempts
        self.tally = tally
        self.downlinks = downlinks
        self.acknowledgements = acknowledgements
        self.mails = mails
        self.smtpURL = smtpURL
        self.receiverURL = receiverURL
        self.expectations = expectations
        self.journalPath = journalPath
        self.wallSeconds = wallSeconds
        self.interrupted = interrupted
    }
}

extension AttemptRecord {
    /// `POST http://127.0.0.1:PORT/path` or `email to a@b`, or `(not rendered)`.
    public var target: String {
        switch request {
        case .http(let http)?: return "\(http.method.rawValue) \(http.url)"
        case .email(let mail)?: return "email to \(mail.recipient)"
        case nil: return "(not rendered)"
        }
    }
}
