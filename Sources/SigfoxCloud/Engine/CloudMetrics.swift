import Prometheus
import SigfoxEngine
import Synchronization

/// `serve`'s metrics for `GET /metrics`, in the Prometheus text format through swift-prometheus.
public final class CloudMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let uplinks: Counter
    let messages: Counter
    let downlinks: Counter
    /// Uplinks of suspended or unsubscribed devices, refused (API v2 suspend, unsubscribe).
    let refusedInactive: Counter
    let inFlight: Gauge
    let pending: Gauge
    let latency: ValueHistogram
    let startDelay: ValueHistogram
    let parked: Gauge
    let spilled: Gauge
    let storeSeconds: DurationHistogram
    private let attempts = Mutex<[String: Counter]>([:])
    /// The engine's simulation time at its last turn (epoch ms), for answers that count back from now.
    let simulationNow = Atomic<Int64>(0)

    public init() {
        uplinks = registry.makeCounter(
            name: "sigfox_sim_uplinks_total",
            help: "Uplinks and status messages sent by devices"
        )
        messages = registry.makeCounter(name: "sigfox_sim_messages_total", help: "Messages the network received")
        downlinks = registry.makeCounter(name: "sigfox_sim_downlinks_total", help: "Downlinks transmitted to devices")
        refusedInactive = registry.makeCounter(
            name: "sigfox_sim_uplinks_refused_inactive_total",
            help: "Uplinks of suspended or unsubscribed devices, refused: nothing stored, no callback"
        )
        inFlight = registry.makeGauge(name: "sigfox_sim_tries_in_flight", help: "Callback tries on the wire now")
        pending = registry.makeGauge(
            name: "sigfox_sim_deliveries_pending",
            help: "Deliveries waiting for a try or a retry, or in flight"
        )
        latency = registry.makeValueHistogram(
            name: "sigfox_sim_try_latency_seconds",
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            help: "Wall-clock time from sending a try to its answer"
        )
        startDelay = registry.makeValueHistogram(
            name: "sigfox_sim_try_start_delay_seconds",
            buckets: [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
            help: "How late a try went out after its due time (simulation clock): a full in-flight cap shows here"
        )
        parked = registry.makeGauge(
            name: "sigfox_sim_tries_waiting_for_host_share",
            help: "Tries due but waiting because their receiver host has its share of the in-flight cap"
        )
        spilled = registry.makeGauge(
            name: "sigfox_sim_deliveries_in_store_only",
            help: "Deliveries waiting for a retry kept in the store, not in memory (past --max-held-deliveries)"
        )
        storeSeconds = registry.makeDurationHistogram(
            name: "sigfox_sim_store_commit_seconds",
            buckets: [
                .microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100),
                .seconds(1),
            ],
            help: "Time to commit one loop turn to SQLite"
        )
    }

    /// Counts a try by service and outcome, and its latency.
    func record(_ attempt: AttemptRecord) {
        let key = attempt.callback.service.rawValue + "|" + attempt.outcome.name
        let counter = attempts.withLock { cache in
            if let known = cache[key] { return known }
            let made = registry.makeCounter(
                name: "sigfox_sim_tries_total",
                labels: [("service", attempt.callback.service.rawValue), ("outcome", attempt.outcome.name)],
                help: "Callback tries by service and outcome"
            )
            cache[key] = made
            return made
        }
        counter.increment()
        if let latency = attempt.latencyMilliseconds { self.latency.record(latency / 1000) }
        if let sentAt = attempt.sentAt {
            startDelay.record(Double((sentAt - attempt.scheduledAt).milliseconds) / 1000)
        }
    }

    /// The metrics in the Prometheus text format.
    public var text: String { registry.emitToString() }
}

extension Gauge {
    func record(_ count: Int) { set(Double(count)) }
}
