import CurlTransport
import Dispatch
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Synchronization

/// What `sigfox-sim replay` is told.
public struct ReplayOptions: Sendable {
    public var target: ReplayTarget?
    public var speed: ReplaySpeed
    /// The receiver must answer within this, as on the real cloud (SIGFOX.md section 4: 10 s).
    public var deadline: Duration
    public var curl: CurlConfiguration
    /// Counters for a progress display, updated as requests go and answers come.
    public var progress: ReplayProgress?
    /// Stops the replay early (a signal): nothing more is sent, what is in flight ends as stopped.
    public var stop: RunStop?

    public init(
        target: ReplayTarget? = nil,
        speed: ReplaySpeed = .factor(1),
        deadline: Duration = .seconds(10),
        curl: CurlConfiguration = CurlConfiguration(),
        progress: ReplayProgress? = nil
    ) {
        self.target = target
        self.speed = speed
        self.deadline = deadline
        self.curl = curl
        self.progress = progress
    }
}

/// Re-sends the HTTP requests of a journal through libcurl and compares each answer with the recorded
/// one. ``run(_:)`` blocks its thread: call it from the main thread or a thread of its own.
public struct ReplayRunner: Sendable {
    public let options: ReplayOptions
    /// As much of an answer as the journal keeps (`DeliveryConfiguration.responseExcerptBytes`).
    static let excerptBytes = 512
    /// Requests in flight at most, as in the delivery engine.
    static let maximumInFlight = DeliveryConfiguration().maximumInFlight

    public init(options: ReplayOptions = ReplayOptions()) {
        self.options = options
    }

    /// Replays every HTTP try of `entries`, at their recorded relative times compressed by the speed.
    public func run(_ entries: [JournalEntry], journal: String = "") -> ReplayReport {
        let clock = ContinuousClock()
        let started = clock.now
        var planned = [(entry: JournalEntry, request: HTTPRequest)]()
        var skippedEmail = 0
        var skippedNotRendered = 0
        var credentials = 0
        for entry in entries {
            switch entry.request {
            case .http(var request):
                if let target = options.target {
                    if request.header("Authorization") != nil || URLParts(request.url)?.userInfo != nil {
                        credentials += 1
                    }
                    request.url = target.rewrite(request.url)
                }
                planned.append((entry, request))
            case .email: skippedEmail += 1
            case .notRendered: skippedNotRendered += 1
            }
        }
        // Recorded in the order tries ended; sent in the order they fell due (ties keep journal order).
        let order = planned.indices.sorted { (planned[$0].entry.time, $0) < (planned[$1].entry.time, $1) }
        let answers = send(order.map { planned[$0].request }, times: order.map { planned[$0].entry.time })
        var results = [ReplayResult]()
        // After a stop, only the requests sent have answers.
        for (position, index) in order.prefix(answers.count).enumerated() {
            let (entry, request) = planned[index]
            results.append(ReplayResult(entry: entry, request: request, answer: answers[position]))
        }
        results.sort { $0.entry.line < $1.entry.line }
        return ReplayReport(
            journal: journal,
            target: options.target,
            speed: options.speed,
            results: results,
            skippedEmail: skippedEmail,
            skippedNotRendered: skippedNotRendered,
            wallSeconds: (clock.now - started).inSeconds,
            interrupted: options.stop?.isRequested == true ? planned.count - answers.count : nil,
            credentialsToNewTarget: credentials
        )
    }

    /// Sends `requests` (due at `times`, simulation ms) and returns their answers in the same order.
    private func send(_ requests: [HTTPRequest], times: [Int64]) -> [ReplayAnswer] {
        guard !requests.isEmpty else { return [] }
        let deadlineMs = options.deadline.wholeMilliseconds
        let progress = options.progress
        progress?.start(total: requests.count)
        var curl = options.curl
        // The answer's status line as received (`204 No Content`), as the journal records it.
        curl.recordsReasonPhrase = true
        let transport = CurlTransport(configuration: curl)
        let inbox = Mutex([Int: TransportResult]())
        let answered = DispatchSemaphore(value: 0)
        let first = times[0]
        let startedAt = DispatchTime.now()
        let stopped = { options.stop?.isRequested == true }
        /// Waits for an answer until `limit`, in slices so a stop is seen within 100 ms; false when the
        /// limit passed or a stop came.
        func wait(until limit: DispatchTime) -> Bool {
            while !stopped(), DispatchTime.now() < limit {
                if answered.wait(timeout: min(limit, .now() + .milliseconds(100))) == .success { return true }
            }
            return false
        }
        var sent = 0
        for (index, request) in requests.enumerated() {
            if case .factor(let factor) = options.speed {
                let offset = Double(times[index] - first) / factor
                let due = startedAt + .nanoseconds(Int(min(offset * 1_000_000, Double(Int.max / 2))))
                // The semaphore also wakes on answers, which do not matter here (the loops below look at
                // the inbox, not at the count of signals): wait on until the request is due.
                while !stopped(), DispatchTime.now() < due { _ = wait(until: due) }
            }
            // At most `maximumInFlight` requests at once, as the delivery engine caps them.
            let capWait = DispatchTime.now() + .milliseconds(Int(deadlineMs) + 3_000)
            while index - inbox.withLock({ $0.count }) >= Self.maximumInFlight, wait(until: capWait) {}
            if stopped() { break }
            let transportRequest = TransportRequest(
                id: UInt64(index),
                payload: .http(request),
                timeoutMilliseconds: Int(deadlineMs) + 1_000
            )
            transport.start(transportRequest) { result in
                inbox.withLock { $0[Int(result.id)] = result }
                if let progress {
                    var delivered = false
                    if case .http(let status, _, _) = result.outcome { delivered = (200..<300).contains(status) }
                    progress.answered(delivered: delivered)
                }
                answered.signal()
            }
            progress?.sent()
            sent += 1
            if options.speed == .asFastAsPossible {
                let limit = DispatchTime.now() + .milliseconds(Int(deadlineMs) + 3_000)
                while inbox.withLock({ $0[index] == nil }), wait(until: limit) {}
            }
        }
        // Every request has curl's own timeout just past the deadline, so this ends; the bound is a backstop.
        // A stop ends it at once: the transport's shutdown answers what is in flight as stopped.
        let limit = DispatchTime.now() + .milliseconds(Int(deadlineMs) + 3_000)
        while inbox.withLock({ $0.count < sent }), wait(until: limit) {}
        transport.shutdown()
        let results = inbox.withLock { $0 }
        return requests.indices.prefix(sent).map { index in
            judge(results[index], deadlineMs: deadlineMs)
        }
    }

    /// The answer as the scheduler records a try (DeliveryScheduler.complete / expireDeadlines).
    func judge(_ result: TransportResult?, deadlineMs: Int64) -> ReplayAnswer {
        let deadlineText = "\(deadlineMs / 1000) s"
        guard let result, result.latencyMilliseconds <= Double(deadlineMs) else {
            return ReplayAnswer(
                status: AttemptRecord.transportFailureStatus,
                message: "Timeout: no answer within \(deadlineText)",
                response: "",
                latencyMilliseconds: Double(deadlineMs)
            )
        }
        switch result.outcome {
        case .http(let status, let body, _):
            let excerpt = String(decoding: body.prefix(Self.excerptBytes), as: UTF8.self)
            let message: String
            let phrase = result.reasonPhrase
            switch status {
            case 200..<300: message = phrase ?? "OK"
            case 300..<400:
                message = (phrase.map { "\(status) \($0)" } ?? "HTTP \(status)") + ": redirects are not followed"
            default: message = phrase ?? "HTTP \(status)"
            }
            return ReplayAnswer(
                status: status,
                message: message,
                response: excerpt,
                latencyMilliseconds: result.latencyMilliseconds
            )
        case .mailSent:
            return ReplayAnswer(
                status: 250,
                message: "OK",
                response: "",
                latencyMilliseconds: result.latencyMilliseconds
            )
        case .failure(_, let message):
            return ReplayAnswer(
                status: AttemptRecord.transportFailureStatus,
                message: message,
                response: "",
                latencyMilliseconds: result.latencyMilliseconds
            )
        }
    }
}
