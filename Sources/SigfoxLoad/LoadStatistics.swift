import Foundation
import Histogram
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Synchronization

/// Latency percentiles in milliseconds.
public struct LatencySummary: Sendable, Equatable {
    public var count: UInt64
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double

    init(_ histogram: Histogram<UInt64>) {
        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        count = histogram.totalCount
        guard count > 0 else {
            mean = 0
            p50 = 0
            p90 = 0
            p99 = 0
            p999 = 0
            max = 0
            return
        }
        mean = histogram.mean / 1000
        p50 = ms(histogram.valueAtPercentile(50))
        p90 = ms(histogram.valueAtPercentile(90))
        p99 = ms(histogram.valueAtPercentile(99))
        p999 = ms(histogram.valueAtPercentile(99.9))
        max = ms(histogram.max)
    }
}

/// One second of the run, for the plots over time.
public struct LoadSecond: Sendable, Equatable {
    /// Seconds since the start.
    public var second: Int
    /// Tries completed in that second, and how many of them failed.
    public var completed: Int
    public var errors: Int
    /// Latency from the scheduled send time (ms).
    public var p50: Double
    public var p99: Double
    public var max: Double
    /// The completed tries by outcome (they add up to `completed`), so a failing run shows red over time.
    public var outcomes = Outcomes()
    /// First tries and retries among the completed (they add up to `completed`): a retry storm shows.
    public var firstTries = 0
    public var retries = 0
    /// Service time, from the actual send (ms): beside the latency from the schedule it tells a slow
    /// receiver (both rise) from a generator that fell behind (only the latency from the schedule rises).
    public var serviceP50 = 0.0
    public var serviceP99 = 0.0

    /// Completed tries by what they got. A delivered try counts as 2xx whatever its status (an e-mail's
    /// is 250); a failure by its status: 4xx, 5xx, no answer (600: refused, reset, timed out), or other
    /// (a 2xx after the deadline, a 3xx, a BIDIR answer with a bad downlink).
    public struct Outcomes: Sendable, Equatable {
        public var delivered = 0
        public var clientErrors = 0
        public var serverErrors = 0
        public var noAnswer = 0
        public var otherFailures = 0

        public init() {}

        mutating func count(status: Int, delivered succeeded: Bool) {
            switch status {
            case _ where succeeded: delivered += 1
            case 400..<500: clientErrors += 1
            case 500..<600: serverErrors += 1
            case AttemptRecord.transportFailureStatus: noAnswer += 1
            default: otherFailures += 1
            }
        }
    }
}

/// One callback's tries in a load test (the report's per-callback breakdown).
public struct CallbackFigures: Sendable, Equatable {
    public var callback: CallbackReference
    /// Tries completed (first tries and retries), with a 2xx in time and without.
    public var tries = 0
    public var retries = 0
    public var delivered = 0
    public var errors = 0
    /// Deliveries cancelled at the end (waiting for a retry when the run stopped).
    public var cancelled = 0
}

/// What the progress line shows, updated by the delivery loop and read by the display thread.
public struct LiveFigures: Sendable, Equatable {
    public var elapsedSeconds: Double = 0
    public var completed = 0
    public var errors = 0
    /// Tries sent more than `--late-after` ms after their scheduled time.
    public var late = 0
    public var inFlight = 0
    /// The p99 of the last whole second (ms).
    public var lastSecondP99: Double = 0

    public init() {}
}

extension LiveFigures {
    /// `load 12.0/30 s · 1498 req/s · in flight 3 · completed 17950 · errors 0 · late 0 · p99 2.104 ms`;
    /// once the arrivals are over, `load draining 31.2 s (arrivals ended at 30 s)` while the callbacks
    /// they fired (DATA_ADVANCED, retries due in the drain window) and the last answers come in.
    public func progressLine(rate: Int, total: Double) -> String {
        let p99 = lastSecondP99 > 0 ? String(format: "%.3f ms", lastSecondP99) : "–"
        let elapsed = String(format: "%.1f", elapsedSeconds)
        let head =
            elapsedSeconds > total
            ? "load draining \(elapsed) s (arrivals ended at \(LoadReport.number(total)) s)"
            : "load \(elapsed)/\(LoadReport.number(total)) s"
        return "\(head) · \(rate) req/s · in flight \(inFlight) · completed \(completed) · errors \(errors) · "
            + "late \(late) · p99 \(p99)"
    }
}

/// The live figures, shared between the delivery loop (writer) and a progress display (reader).
public final class LiveFiguresBox: Sendable {
    let figures = Mutex(LiveFigures())

    public init() {}

    /// The figures now.
    public var current: LiveFigures { figures.withLock { $0 } }
}

/// Collects every try's figures from the delivery loops (one per engine thread), under a lock.
///
/// Latency of a try = (when it was sent − when it was scheduled) + the transport's measured time from
/// hand-over to answer. The first part is on the simulation clock, which in a load test is wall time in
/// milliseconds; so a receiver or an engine that falls behind shows up in the figures. With several
/// loops, a try that ends just as a second closes may count in the next second (each loop reads its own
/// clock); the totals and percentiles of the run are exact.
public final class LoadStatistics: @unchecked Sendable {
    // Safe: `record`, `publish` and `finish` take `lock`; the report reads the figures after every loop
    // has ended; `live` is behind a mutex of its own.
    private let lock = Mutex(())
    private var inFlightByShard: [Int]
    private(set) var fromSchedule = LoadStatistics.makeHistogram()
    private(set) var service = LoadStatistics.makeHistogram()
    /// The second in progress, for its p50, p99 and max only: two significant digits are plenty for a
    /// plot, and make closing a second (a few walks over the counts and a reset) cheap under load.
    private var second = LoadStatistics.makeHistogram(digits: .two)
    /// The same for the service time of the second in progress.
    private var secondService = LoadStatistics.makeHistogram(digits: .two)
    private var secondIndex = 0
    /// The counts of the second in progress (its percentiles are filled in when it closes).
    private var secondCounts = LoadStatistics.noCounts
    private static let noCounts = LoadSecond(second: 0, completed: 0, errors: 0, p50: 0, p99: 0, max: 0)
    private(set) var seconds: [LoadSecond] = []
    private(set) var tries = 0
    private(set) var firstTries = 0
    private(set) var retries = 0
    private(set) var delivered = 0
    private(set) var failedTries = 0
    private(set) var late = 0
    private(set) var cancelled = 0
    private(set) var bodyBytes = 0
    private(set) var statuses: [Int: Int] = [:]
    /// Failures by message (`HTTP 500`, `Connection refused`, `Timeout: ...`), with one example request.
    private(set) var failures: [String: (count: Int, example: String)] = [:]
    /// Per callback, in the order each first ended a try.
    private(set) var callbacks: [CallbackFigures] = []
    private var callbackIndex: [CallbackReference: Int] = [:]
    private let start: SimulationTime
    private let lateAfter: Int64
    private let live: LiveFiguresBox
    private var lastPublished = ContinuousClock.now

    init(
        start: SimulationTime,
        lateAfterMilliseconds: Int64,
        live: LiveFiguresBox = LiveFiguresBox(),
        shards: Int = 1
    ) {
        self.inFlightByShard = Array(repeating: 0, count: shards)
        self.start = start
        self.lateAfter = lateAfterMilliseconds
        self.live = live
    }

    /// Microseconds, 1 µs to 1 hour, 3 significant digits unless told.
    static func makeHistogram(digits: SignificantDigits = .three) -> Histogram<UInt64> {
        Histogram<UInt64>(
            lowestDiscernibleValue: 1,
            highestTrackableValue: 3_600_000_000,
            numberOfSignificantValueDigits: digits
        )
    }

    /// Takes one journal event of loop `shard`, which has `inFlight` requests running. `now` is that
    /// loop's simulation clock (ms of wall time since `start`).
    func record(_ event: DeliveryEvent, now: SimulationTime, shard: Int = 0, inFlight: Int) {
        guard case .attempt(let attempt) = event else { return }
        lock.withLock { _ in
            inFlightByShard[shard] = inFlight
            record(attempt, now: now)
        }
    }

    private func record(_ attempt: AttemptRecord, now: SimulationTime) {
        rollSeconds(to: now)
        let slot = callbackSlot(attempt.callback)
        if attempt.outcome == .cancelled {
            cancelled += 1
            callbacks[slot].cancelled += 1
            return
        }
        tries += 1
        callbacks[slot].tries += 1
        if attempt.attempt == 1 {
            firstTries += 1
            secondCounts.firstTries += 1
        } else {
            retries += 1
            secondCounts.retries += 1
            callbacks[slot].retries += 1
        }
        if case .http(let http)? = attempt.request { bodyBytes += http.body?.utf8.count ?? 0 }
        statuses[attempt.status, default: 0] += 1
        let failed = attempt.outcome != .delivered
        secondCounts.outcomes.count(status: attempt.status, delivered: !failed)
        if failed {
            failedTries += 1
            callbacks[slot].errors += 1
            secondCounts.errors += 1
            let example = attempt.target
            // Grouped by the message without curl's measured times, which differ from try to try.
            let reason = AttemptRecord.withoutTimings(attempt.message, placeholder: "…")
            failures[reason, default: (0, example)].count += 1
        } else {
            delivered += 1
            callbacks[slot].delivered += 1
        }
        secondCounts.completed += 1
        if let sentAt = attempt.sentAt, let serviceMilliseconds = attempt.latencyMilliseconds {
            let lag = max(0, (sentAt - attempt.scheduledAt).milliseconds)
            if lag > lateAfter { late += 1 }
            let serviceMicroseconds = UInt64(max(1, (serviceMilliseconds * 1000).rounded()))
            let total = UInt64(lag) * 1000 + serviceMicroseconds
            _ = service.record(serviceMicroseconds)
            _ = fromSchedule.record(total)
            _ = second.record(total)
            _ = secondService.record(serviceMicroseconds)
        }
        if tries % 64 == 0 {
            let clock = ContinuousClock.now
            if clock - lastPublished >= .milliseconds(100) {
                lastPublished = clock
                publishLocked(now: now)
            }
        }
    }

    /// The index of `callback`'s figures, added at its first try.
    private func callbackSlot(_ callback: CallbackReference) -> Int {
        if let slot = callbackIndex[callback] { return slot }
        callbacks.append(CallbackFigures(callback: callback))
        callbackIndex[callback] = callbacks.count - 1
        return callbacks.count - 1
    }

    /// Brings the live figures up to date.
    private func publishLocked(now: SimulationTime) {
        rollSeconds(to: now)
        let inFlight = inFlightByShard.reduce(0, +)
        let last = seconds.last
        let elapsed = Double((now - start).milliseconds) / 1000
        live.figures.withLock { figures in
            figures.elapsedSeconds = elapsed
            figures.completed = tries
            figures.errors = failedTries
            figures.late = late
            figures.inFlight = inFlight
            figures.lastSecondP99 = last?.p99 ?? 0
        }
    }

    /// Closes the seconds before the one `now` is in.
    private func rollSeconds(to now: SimulationTime) {
        let current = Int((now - start).milliseconds / 1000)
        while secondIndex < current {
            closeSecond()
        }
    }

    private func closeSecond() {
        func milliseconds(_ histogram: Histogram<UInt64>, _ percentile: Double) -> Double {
            histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
        }
        var closed = secondCounts
        closed.second = secondIndex
        closed.p50 = milliseconds(second, 50)
        closed.p99 = milliseconds(second, 99)
        closed.max = second.totalCount == 0 ? 0 : Double(second.max) / 1000
        closed.serviceP50 = milliseconds(secondService, 50)
        closed.serviceP99 = milliseconds(secondService, 99)
        seconds.append(closed)
        second.reset()
        secondService.reset()
        secondCounts = Self.noCounts
        secondIndex += 1
    }

    /// Closes the second in progress at the end of the run (when anything happened in it).
    func finish(now: SimulationTime) {
        lock.withLock { _ in
            rollSeconds(to: now)
            if secondCounts.completed > 0 { closeSecond() }
            for index in inFlightByShard.indices { inFlightByShard[index] = 0 }
            publishLocked(now: now)
        }
    }
}
