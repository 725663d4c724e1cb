import SigfoxModel

/// Everything a run's deliveries left behind: the journal (written as it goes), the list of callbacks
/// not delivered (SIGFOX.md section 4), counts per callback and outcome, and the BIDIR answers.
public struct DeliveryReport: Sendable {
    /// Tries per callback and outcome name (`delivered`, `retry`, `failed`, `cancelled`).
    public private(set) var outcomes: [CallbackReference: [String: Int]] = [:]
    /// Every failed try, one entry per message, in the API v2 `errorMessages` shape, oldest first.
    public private(set) var notDelivered: [String] = []
    /// The answers that reached devices waiting for a downlink.
    public private(set) var downlinkAnswers: [(MessageID, DownlinkAnswer, SimulationTime)] = []
    /// Every try, in order.
    public private(set) var attempts: [AttemptRecord] = []
    private let journal: JournalWriter?
    private let keepAttempts: Bool

    /// `journal` receives one JSON line per try, flushed at once; `keepAttempts` keeps the records in
    /// memory too (a load test turns it off).
    public init(journal: JournalWriter? = nil, keepAttempts: Bool = true) {
        self.journal = journal
        self.keepAttempts = keepAttempts
    }

    /// Takes one event of the delivery loop.
    public mutating func record(_ event: DeliveryEvent) {
        switch event {
        case .attempt(let attempt):
            journal?.write(attempt.jsonLine)
            outcomes[attempt.callback, default: [:]][attempt.outcome.name, default: 0] += 1
            if attempt.outcome != .delivered && attempt.outcome != .cancelled {
                notDelivered += attempt.notDeliveredEntries
            }
            if keepAttempts { attempts.append(attempt) }
        case .downlinkAnswer(let id, let answer, let time):
            downlinkAnswers.append((id, answer, time))
        }
    }

    /// The not-delivered list as the API v2 answers it: `{"data":[...]}`.
    public var notDeliveredJSON: String {
        "{\"data\":[" + notDelivered.joined(separator: ",") + "]}"
    }
}
