import CurlTransport
import Dispatch
import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxSimulation
import Synchronization

/// The engine of `serve`: the same network core, callback engine, scheduler and libcurl transport as `run`
/// and `load`, on one thread of its own, in real (or scaled) time. The HTTP side never touches its state:
/// it posts commands, which wake the loop, and reads what happened from the store or the event stream.
public final class LiveEngine: Sendable {
    let inbox: CommandInbox
    public let store: CloudStore
    public let hub: EventHub
    public let metrics: CloudMetrics
    private let loop: DeliveryLoop
    private let finished = Completion()
    private let started = Atomic<Bool>(false)
    /// Set when the loop has ended: commands posted from then on are answered 503 at once.
    private let stopped = Atomic<Bool>(false)
    /// The source, handed to the engine thread once.
    private let source: Mutex<LiveTraffic?>

    /// Everything the engine starts from.
    public struct Setup: Sendable {
        /// The scenario, its embedded receiver and SMTP sink, the curl settings, the time mode and the start
        /// (the wall clock in real time), set up as for `run` and `load`.
        public var host: SimulationHost
        /// Whether to play the scenario's traffic (not on a resume: it was played before).
        public var playTraffic: Bool
        /// The receiver address a previous run of the same `--data` used, so resumed requests are redirected.
        public var previousReceiverURL: String?
        /// Deliveries waiting for a retry kept in memory at most; more wait in the store only.
        public var heldDeliveries = 20_000

        var scenario: Scenario { host.scenario }
        var receiverURL: String { host.receiverURL ?? "" }
        var start: SimulationTime { host.options.start }
    }

    /// How `serve` sets up its simulation host: the dashboard and the event stream show each request as sent
    /// and each answer as received; each receiver host gets at most a quarter of the in-flight cap (one that
    /// hangs leaves the rest to the others); libcurl's own timeout waits two minutes past the deadline, so an
    /// answer that came while the process stood still is read, and judged without the pause. The embedded
    /// receiver keeps the last 100 requests and tries `receiverPort` (the previous run's) first.
    static func hostOptions(
        target: String?,
        caFile: String?,
        mode: TimeMode,
        start: SimulationTime,
        receiverPort: Int?
    ) -> SimulationOptions {
        var options = SimulationOptions(target: target, caFile: caFile, mode: mode, start: start)
        options.recordsHeaders = true
        options.delivery = DeliveryConfiguration(maximumInFlightPerHost: 64, transportTimeoutMargin: .seconds(120))
        options.receiverRecordLimit = 100
        options.receiverPort = receiverPort
        return options
    }

    /// Builds the engine and, from the store, what a previous run left unfinished (messages whose
    /// callbacks had not fired, deliveries waiting for a try or a retry). Returns the engine and a summary
    /// of what was resumed.
    public static func make(
        setup: Setup,
        store: CloudStore,
        hub: EventHub,
        metrics: CloudMetrics
    ) throws -> (
        LiveEngine, resumed: String?
    ) {
        var network = try setup.host.network()
        let engine = try setup.host.callbackEngine()
        for (device, next) in try store.sequenceNumbers() { network.setNextSequenceNumber(next, of: device) }
        if let text = try store.state(LiveTraffic.lifecycleKey) {
            for (device, lifecycle) in LiveTraffic.lifecycles(fromJSON: text) { network.restore(lifecycle, of: device) }
        }
        var restoredMessages = 0
        for (message, data, advanced) in try store.unfiredMessages()
        where network.restore(message, data: data, dataAdvanced: advanced) {
            restoredMessages += 1
        }
        // The clock the listings read (a message is listed once received) starts at the start, not at 0.
        metrics.simulationNow.store(setup.start.milliseconds, ordering: .relaxed)
        let recorder = try TurnRecorder(store: store, hub: hub, metrics: metrics)
        recorder.devices = Dictionary(uniqueKeysWithValues: setup.scenario.devices.map { ($0.id, $0) })
        var events = [ScheduledEvent]()
        if setup.playTraffic {
            let offset = setup.start.milliseconds - setup.scenario.start.milliseconds
            events = setup.scenario.traffic.map { event in
                var kind = event.kind
                // A renewal's end moves with the traffic, as its time does.
                if case .renewal(let device, let until?, let details) = kind {
                    kind = .renewal(device: device, until: until + SimulationDuration(milliseconds: offset), details)
                }
                return ScheduledEvent(time: SimulationTime(milliseconds: event.time.milliseconds + offset), kind: kind)
            }
        }
        let inbox = CommandInbox()
        let traffic = LiveTraffic(
            network: network,
            engine: engine,
            events: events,
            inbox: inbox,
            recorder: recorder,
            receiverURL: setup.receiverURL
        )
        let (loop, _) = setup.host.makeLoop(engine: engine)
        var overdueCount = 0
        let (unfinished, stored) = try store.unfinishedDeliveries(limit: setup.heldDeliveries)
        recorder.resentFrom = try store.resentDeliveries()
        let highest = try store.highestDeliveryID()
        let redirect: @Sendable (Delivery) -> Delivery = { delivery in
            guard let old = setup.previousReceiverURL, old != setup.receiverURL else { return delivery }
            return delivery.redirecting(from: old, to: setup.receiverURL)
        }
        loop.configureScheduler { scheduler in
            scheduler.logsCreatedDeliveries = true
            scheduler.freezesWaitingDeliveries = false
            scheduler.reserveDeliveryIDs(through: highest)
            // Past this many waiting in memory, retries wait in the store only: memory stays flat behind a
            // receiver that is down.
            scheduler.spill = DeliverySpill(limit: setup.heldDeliveries) { id in
                (try? store.unfinishedDelivery(id: id)).flatMap { $0 }.map { (redirect($0.delivery), $0.tries) }
            }
            // A delivery due before the restart goes at once, and its next try's record says so (whether it
            // was read whole or waits in the store).
            func noteIfOverdue(_ id: UInt64, due: SimulationTime) {
                guard due < setup.start else { return }
                overdueCount += 1
                recorder.overdue[id] =
                    "due \(UTCDateTime(epochMilliseconds: due.milliseconds).sigfoxText) UTC before the restart: sent at once"
            }
            for (id, due) in stored {
                scheduler.resumeSpilled(id: id, due: due)
                noteIfOverdue(id, due: due)
            }
            for persisted in unfinished {
                let delivery = redirect(persisted.delivery)
                scheduler.resume(delivery, triesMade: persisted.tries, due: persisted.due)
                noteIfOverdue(delivery.id, due: persisted.due)
            }
        }
        let live = LiveEngine(store: store, hub: hub, metrics: metrics, loop: loop, source: traffic, inbox: inbox)
        var summary: String?
        if restoredMessages > 0 || !unfinished.isEmpty || !stored.isEmpty {
            summary =
                "resumed \(unfinished.count + stored.count) unfinished deliveries (\(overdueCount) overdue, sent at once) and "
                + "\(restoredMessages) messages whose callbacks had not all fired"
        }
        return (live, summary)
    }

    private init(
        store: CloudStore,
        hub: EventHub,
        metrics: CloudMetrics,
        loop: DeliveryLoop,
        source: LiveTraffic,
        inbox: CommandInbox
    ) {
        self.store = store
        self.hub = hub
        self.metrics = metrics
        self.loop = loop
        self.inbox = inbox
        self.source = Mutex(source)
    }

    /// Starts the engine thread.
    public func start() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        guard let traffic = source.withLock({ $0.take() }) else { return }
        let loop = self.loop
        let finished = self.finished
        let inbox = self.inbox
        let thread = Thread { [self] in
            var traffic = traffic
            let recorder = traffic.recorder
            loop.run(source: &traffic) { event in
                if case .attempt(let record) = event { recorder.record(record) }
            }
            // Commands that came in while the engine was stopping get an answer, not silence.
            self.stopped.store(true, ordering: .sequentiallyConsistent)
            Self.refuseWaiting(inbox)
            finished.complete()
        }
        thread.name = "sigfox-sim engine"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Hands a command to the engine and waits for its answer (after the turn's commit).
    func perform(_ make: (@escaping Reply) -> EngineCommand) async -> Result<EngineAnswer, EngineRefusal> {
        await withCheckedContinuation { continuation in
            inbox.post(make { result in continuation.resume(returning: result) })
            loop.wake()
            if stopped.load(ordering: .sequentiallyConsistent) { Self.refuseWaiting(inbox) }
        }
    }

    private static func refuseWaiting(_ inbox: CommandInbox) {
        for command in inbox.take() {
            command.reply(.failure(.shuttingDown))
        }
    }

    /// Ends the engine's current wait, so it takes the commands posted.
    func wakeEngine() { loop.wake() }

    /// Graceful stop: no new work; tries in flight get their deadline; waiting retries stay in the store.
    public func drain() { loop.requestDrain() }

    /// Immediate stop: what is left is recorded as cancelled.
    public func stopNow() { loop.requestStop() }

    /// Waits for the engine thread to end (after ``drain()`` or ``stopNow()``).
    public func finish() async {
        guard started.load(ordering: .relaxed) else { return }
        await finished.wait()
    }
}

extension Delivery {
    /// The same delivery with its URL moved from one receiver base address to another.
    func redirecting(from old: String, to new: String) -> Delivery {
        guard case .success(.http(var request)) = rendered, request.url.hasPrefix(old) else { return self }
        request.url = new + request.url.dropFirst(old.count)
        return Delivery(
            id: id,
            callback: callback,
            rendered: .success(.http(request)),
            messages: messages,
            sendSni: sendSni,
            due: firstDue
        )
    }
}
