import CurlTransport
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxSimulation

/// One engine thread of a load test: its share of the devices, of the arrivals and of the request slots,
/// with a network core, a delivery loop and a libcurl engine of its own, all from the run's ``SimulationHost``. The loop drives its engine on
/// its own thread (``PolledCurlTransport``), so a request and its answer never cross threads.
final class LoadShard: @unchecked Sendable {
    // Safe: built on the runner's thread, then run on exactly one thread; the runner reads `traffic` and
    // `ledger` only after that thread has ended. `loop.requestStop()` may be called from any thread.
    let index: Int
    let loop: DeliveryLoop
    private let transport: PolledCurlTransport
    private(set) var traffic: LoadTraffic
    private(set) var ledger = Ledger()
    /// Arrivals end at `traffic.end`; the loop goes on this long for the callbacks they fired.
    private let drainWindow: SimulationDuration

    /// Shard `index` of `count`: devices `index`, `index + count`, ...; arrivals likewise; an even share
    /// of `plan.concurrency`. Its network's seed is the scenario's plus `index`.
    init(
        index: Int,
        of count: Int,
        plan: LoadPlan,
        host: SimulationHost,
        drainWindow: SimulationDuration
    ) throws(LoadError) {
        var scenario = host.scenario
        scenario.devices = scenario.devices.enumerated().filter { $0.offset % count == index }.map(\.element)
        scenario.seed = scenario.seed &+ UInt64(index)
        var plan = plan
        plan.concurrency = plan.concurrency / count + (index < plan.concurrency % count ? 1 : 0)
        let engine: CallbackEngine
        let network: NetworkCore
        do {
            engine = try host.callbackEngine(for: scenario)
            network = try host.network(for: scenario)
        } catch {
            throw .configuration(error)
        }
        self.index = index
        self.drainWindow = drainWindow
        (loop, transport) = host.makeLoop(
            engine: engine,
            delivery: DeliveryConfiguration(
                retry: plan.retryPolicy,
                maximumInFlight: plan.concurrency,
                latencyResolution: SimulationDuration(milliseconds: 0)
            )
        )
        traffic = LoadTraffic(
            network: network,
            plan: plan,
            devices: scenario.devices.map(\.id),
            start: host.options.start,
            shard: index,
            of: count
        )
        traffic.backlog = { [unowned loop] in loop.scheduler.ledger.pending }
    }

    /// Runs the shard's traffic to its end (or a stop), recording every try in `statistics`; blocks.
    func run(statistics: LoadStatistics) {
        let loop = loop
        let index = index
        ledger = loop.run(source: &traffic, until: traffic.end + drainWindow) { event in
            statistics.record(event, now: loop.now, shard: index, inFlight: loop.scheduler.inFlightCount)
        }
        // Tries still running (after a stop) end here; the loop has already counted them cancelled.
        _ = transport.shutdown()
    }
}
