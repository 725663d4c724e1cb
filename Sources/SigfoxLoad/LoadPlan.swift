import SigfoxEngine

/// What a load test does: how fast uplinks arrive, for how long, over how many devices, and how the
/// callbacks they fire are sent.
public struct LoadPlan: Sendable, Equatable {
    /// How uplinks arrive.
    public enum Arrivals: Sendable, Equatable {
        /// Open model: uplinks arrive on a fixed schedule, `from` per second at the start and `to` per second
        /// at the end (linearly in between), whether or not the receiver keeps up.
        case rate(from: Double, to: Double)
        /// Closed model (`--rate max`): a new uplink as soon as a request slot is free, as wrk and hey do;
        /// latency is then the service time. For comparing with those tools, not for latency claims.
        case max
    }

    public var arrivals: Arrivals
    /// How long uplinks arrive (seconds).
    public var duration: Double
    /// Generated devices the uplinks are spread over (round-robin).
    public var devices: Int
    /// Requests in flight at most; the rest wait for a slot and count as late.
    public var concurrency: Int
    /// Engine threads: each runs its share of the devices, arrivals and concurrency with its own generator,
    /// scheduler and libcurl engine (DESIGN.md: shard connections across engine threads).
    public var engineThreads: Int
    /// Sigfox's retries (1, 2, 4 minutes after each failure), or a single try.
    public var retries: Bool
    /// Sigfox's waits (retry delays, DATA_ADVANCED's 25 s) are this many times shorter; arrivals, the 10 s
    /// deadline and the answers stay in real time.
    public var timeScale: Double
    /// A send more than this many milliseconds after its scheduled time counts as late.
    public var lateAfterMilliseconds: Int64
    /// The payload of every uplink, or nil for an 8-byte counter.
    public var payload: [UInt8]?
    /// Seed of the network's generator.
    public var seed: UInt64
    /// With a fixed rate: stop sending new uplinks while this many deliveries are pending (waiting for a
    /// retry or in flight). Nil, the default, never holds the timetable back: the real cloud keeps sending
    /// new messages during a retry storm, and a pending retry is cheap.
    public var maximumPending: Int?
    /// A PEM file of extra CAs to trust (`--ca-file`), before the scenario's `tls.caFile`.
    public var caFile: String?
    /// Pass/fail conditions checked at the end (`--threshold`); the report says which held.
    public var thresholds: [LoadThreshold] = []

    public init(
        arrivals: Arrivals = .rate(from: 100, to: 100),
        duration: Double = 10,
        devices: Int = 1_000,
        concurrency: Int = 256,
        engineThreads: Int = 1,
        retries: Bool = true,
        timeScale: Double = 1,
        lateAfterMilliseconds: Int64 = 10,
        payload: [UInt8]? = nil,
        seed: UInt64 = 1
    ) {
        self.arrivals = arrivals
        self.duration = duration
        self.devices = devices
        self.concurrency = concurrency
        self.engineThreads = engineThreads
        self.retries = retries
        self.timeScale = timeScale
        self.lateAfterMilliseconds = lateAfterMilliseconds
        self.payload = payload
        self.seed = seed
    }

    /// Sigfox's retry policy, scaled, or one try.
    public var retryPolicy: RetryPolicy {
        guard retries else { return .noRetries }
        let sigfox = RetryPolicy.sigfox
        return RetryPolicy(
            deadline: sigfox.deadline,
            delays: sigfox.delays.map {
                SimulationDuration(milliseconds: max(1, Int64(Double($0.milliseconds) / timeScale)))
            }
        )
    }

    /// Uplinks the plan sends in all (nil for `max`, which sends as many as the receiver takes).
    public var plannedUplinks: Int? {
        guard case .rate(let from, let to) = arrivals else { return nil }
        return ArrivalSchedule(from: from, to: to, duration: duration).count
    }
}

/// The open model's timetable: when the k-th uplink is due, for a rate going linearly from `from` to `to`
/// per second over `duration` seconds.
///
/// The number of arrivals by time t is N(t) = from·t + (to − from)·t² / (2·duration); the k-th (from 0)
/// is due when N(t) = k. A pure function: the generator never decides times from the clock, so a
/// generator that falls behind still knows when each send was due.
public struct ArrivalSchedule: Sendable, Equatable {
    public let from: Double
    public let to: Double
    public let duration: Double

    public init(from: Double, to: Double, duration: Double) {
        self.from = from
        self.to = to
        self.duration = duration
    }

    /// Arrivals in the whole duration: those due before its end.
    public var count: Int {
        let total = (from + to) / 2 * duration
        let whole = Int(total.rounded(.down))
        // N(duration) = total exactly: the arrival at exactly the end belongs to the next second.
        return Double(whole) == total ? whole : whole + 1
    }

    /// Seconds from the start at which arrival `k` is due.
    public func seconds(of k: Int) -> Double {
        guard k > 0 else { return 0 }
        let n = Double(k)
        let a = (to - from) / (2 * duration)
        guard a != 0 else { return n / from }
        // The root of a·t² + from·t − k = 0, written so it stays exact when a is tiny.
        let root = (from * from + 4 * a * n).squareRoot()
        return 2 * n / (from + root)
    }

    /// The due time of arrival `k` on the simulation clock, to the millisecond (rounded down).
    public func due(of k: Int, start: SimulationTime) -> SimulationTime {
        start + SimulationDuration(milliseconds: Int64((seconds(of: k) * 1000).rounded(.down)))
    }
}
