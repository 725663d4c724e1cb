import SigfoxEngine
import SigfoxModel

/// What a run keeps of its tries while it goes, so its memory does not grow with its length: counts per
/// callback and outcome, the counts every `callbacks` expectation asks for, how many tries failed and the
/// first of them as examples. The tries themselves go to the journal as they end (and to the golden
/// comparison, ``GoldenStream``); they are kept in full only when asked (`run --show-requests`, tests).
public struct RunTally: Sendable {
    /// How many failed tries are kept as examples (the JSON report's `failures`).
    public static let failureExamplesKept = 100

    /// Callbacks in the order they first ended a try, with the target of that try.
    public private(set) var callbackOrder: [(callback: CallbackReference, target: String)] = []
    /// Tries per callback and outcome name (`delivered`, `retry`, `failed`, `cancelled`).
    public private(set) var outcomes: [CallbackReference: [String: Int]] = [:]
    /// Tries that did not deliver (retries and final failures).
    public private(set) var failureCount = 0
    /// The first ``failureExamplesKept`` of them, in the order they ended.
    public private(set) var failureExamples: [AttemptRecord] = []
    /// Tries that went out a second or more after they were due (the in-flight cap was full), and the
    /// latest of those starts, in milliseconds after the due time.
    public private(set) var lateStarts = 0
    public private(set) var latestStart: Int64 = 0
    /// Every try, in the order they ended, when ``keepsAttempts``.
    public private(set) var attempts: [AttemptRecord] = []
    public let keepsAttempts: Bool
    /// The selections of the `callbacks` expectations, and their counts so far.
    private var selections: [Expectation.CallbackSelection]
    private var counts: [[Expectation.Count: Int]]
    /// How many tries each expectation's transcript keeps (its JUnit `<system-out>`), and how many of those
    /// that did not deliver (the cause its `<failure>` gives).
    public static let transcriptTries = 20
    public static let transcriptFailures = 3
    /// The tries each expectation is about (``Expectation/transcriptSelection``), distinct, with the first
    /// of them, the first that did not deliver, and how many there were.
    private var transcriptSelections: [Expectation.CallbackSelection] = []
    private var transcripts: [Transcript] = []

    /// The first tries an expectation is about: what CI shows beside its test case.
    public struct Transcript: Sendable {
        public var tries: [AttemptRecord] = []
        public var failures: [AttemptRecord] = []
        public var count = 0
        public var failureCount = 0
    }

    public init(expectations: [Expectation], keepsAttempts: Bool) {
        self.keepsAttempts = keepsAttempts
        var selections = [Expectation.CallbackSelection]()
        var transcriptSelections = [Expectation.CallbackSelection]()
        for expectation in expectations {
            if case .callbacks(let selection, _) = expectation.kind, !selections.contains(selection) {
                selections.append(selection)
            }
            if !transcriptSelections.contains(expectation.transcriptSelection) {
                transcriptSelections.append(expectation.transcriptSelection)
            }
        }
        self.selections = selections
        self.counts = Array(repeating: [:], count: selections.count)
        self.transcriptSelections = transcriptSelections
        self.transcripts = Array(repeating: Transcript(), count: transcriptSelections.count)
    }

    /// The first tries `expectation` is about.
    public func transcript(for expectation: Expectation) -> Transcript {
        transcriptSelections.firstIndex(of: expectation.transcriptSelection).map { transcripts[$0] } ?? Transcript()
    }

    /// Counts one try that ended.
    public mutating func record(_ attempt: AttemptRecord) {
        if outcomes[attempt.callback] == nil { callbackOrder.append((attempt.callback, attempt.target)) }
        outcomes[attempt.callback, default: [:]][attempt.outcome.name, default: 0] += 1
        if attempt.outcome != .delivered && attempt.outcome != .cancelled {
            failureCount += 1
            if failureExamples.count < Self.failureExamplesKept { failureExamples.append(attempt) }
        }
        if keepsAttempts { attempts.append(attempt) }
        if let sentAt = attempt.sentAt, case let late = (sentAt - attempt.scheduledAt).milliseconds, late >= 1000 {
            lateStarts += 1
            latestStart = max(latestStart, late)
        }
        for index in transcriptSelections.indices where transcriptSelections[index].selects(attempt) {
            transcripts[index].count += 1
            if transcripts[index].tries.count < Self.transcriptTries { transcripts[index].tries.append(attempt) }
            guard attempt.outcome != .delivered else { continue }
            transcripts[index].failureCount += 1
            if transcripts[index].failures.count < Self.transcriptFailures {
                transcripts[index].failures.append(attempt)
            }
        }
        for index in selections.indices where selections[index].selects(attempt) {
            counts[index][.tries, default: 0] += 1
            switch attempt.outcome {
            case .delivered: counts[index][.delivered, default: 0] += 1
            case .failed: counts[index][.failed, default: 0] += 1
            case .retrying: counts[index][.retries, default: 0] += 1
            case .cancelled: counts[index][.cancelled, default: 0] += 1
            }
        }
    }

    /// The counts of the tries `selection` picks (zero for a selection no expectation named).
    func counts(for selection: Expectation.CallbackSelection) -> [Expectation.Count: Int] {
        selections.firstIndex(of: selection).map { counts[$0] } ?? [:]
    }
}
