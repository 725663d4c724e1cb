import SigfoxModel

/// How deliveries are paced and judged.
public struct DeliveryConfiguration: Sendable {
    public var retry: RetryPolicy
    /// At most this many tries in flight; the rest wait in the scheduler with their due time kept, so a
    /// slow receiver cannot make the engine open unbounded connections.
    public var maximumInFlight: Int
    /// At most this many of them to one receiver host (``HostShares``); `serve` gives each host a share,
    /// so a receiver that hangs does not delay the others. Nil: the whole cap (one receiver, `run`, `load`).
    public var maximumInFlightPerHost: Int?
    /// How long past the deadline the transport itself gives up on a try (its own timeout, a backstop: the
    /// scheduler judges the deadline and cancels the try). `serve` leaves room for the process standing
    /// still (``DeliveryScheduler/notePause(_:)``): an answer read after a pause must still be read.
    public var transportTimeoutMargin: SimulationDuration
    /// BATCH_URL windows (SIGFOX.md section 4: 1 s).
    public var batchWindow: SimulationDuration
    /// The resolution at which a try's duration counts on the simulation clock when it decides the next
    /// try's time. **Emulator rule:** in virtual time a reply's latency counts in whole seconds,
    /// rounded down, so the same scenario gives the same retry times every run; the exact latency is
    /// still recorded. Zero counts it to the millisecond (real time).
    public var latencyResolution: SimulationDuration
    /// How much of an answer's body a journal entry keeps.
    public var responseExcerptBytes: Int

    public init(
        retry: RetryPolicy = .sigfox,
        maximumInFlight: Int = 256,
        maximumInFlightPerHost: Int? = nil,
        transportTimeoutMargin: SimulationDuration = .seconds(2),
        batchWindow: SimulationDuration = .seconds(1),
        latencyResolution: SimulationDuration = .seconds(1),
        responseExcerptBytes: Int = 512
    ) {
        self.retry = retry
        self.maximumInFlight = maximumInFlight
        self.maximumInFlightPerHost = maximumInFlightPerHost
        self.transportTimeoutMargin = transportTimeoutMargin
        self.batchWindow = batchWindow
        self.latencyResolution = latencyResolution
        self.responseExcerptBytes = responseExcerptBytes
    }
}
