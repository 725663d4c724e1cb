import CurlTransport
import Dispatch
import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxSimulation
import Synchronization

/// Why a load test could not start.
public enum LoadError: Error, Sendable, CustomStringConvertible {
    case configuration(ConfigError)
    case usage(String)
    case receiver(String)

    public var description: String {
        switch self {
        case .configuration(let error): return error.description
        case .usage(let message), .receiver(let message): return message
        }
    }
}

/// Runs a load test: builds the fleet (the default one-callback device type, or a scenario's device
/// types), drives the generator through the delivery loop in real time with libcurl, and measures.
///
/// ``run()`` blocks its thread (the delivery loop waits on a semaphore): call it from a thread of its
/// own or the main thread, never from a task on Swift's cooperative pool. ``stop()`` may be called from
/// any thread (Ctrl-C): the run then ends at once, cancels what is pending, and reports.
public final class LoadRunner: Sendable {
    public let plan: LoadPlan
    /// Where `{receiver}` points, and the callback of the default device type.
    public let target: String?
    public let scenario: Scenario
    /// How long after the last arrival the run goes on, so every callback its uplinks fire is sent:
    /// DATA_ADVANCED comes ``NetworkConfiguration/dataAdvancedDelay`` after the first reception (scaled),
    /// an ACKNOWLEDGE at the latest when the downlink window closes. Retries due after it are cancelled.
    public let drainWindow: SimulationDuration
    private let state = Mutex(RunState())
    /// The live figures of the run in progress (for a progress line).
    public let live = LiveFiguresBox()

    private struct RunState: @unchecked Sendable {
        // Safe: the loops are only used here for `requestStop`, which may be called from any thread.
        var loops: [DeliveryLoop] = []
        var stopped = false
    }

    /// A load test of `target` with the default device type: one DATA/UPLINK callback, POST, a JSON body.
    public convenience init(plan: LoadPlan, target: String) throws(LoadError) {
        let scenario: Scenario
        do {
            scenario = try Scenario.parse(Self.defaultScenario(target: target), file: "(default load scenario)")
        } catch {
            throw .usage("--target \(target): \(error.message)")
        }
        try self.init(plan: plan, scenario: scenario, target: target)
    }

    /// A load test with a scenario's device types, base stations, callbacks, receiver and mail settings;
    /// its devices and traffic are replaced by the plan's. `target`, when given, replaces `{receiver}`.
    public init(plan: LoadPlan, scenario: Scenario, target: String?) throws(LoadError) {
        guard !scenario.deviceTypes.isEmpty else {
            throw .usage("\(scenario.file): the scenario has no deviceTypes to load-test")
        }
        guard !scenario.baseStations.isEmpty else {
            throw .usage("\(scenario.file): the scenario has no baseStations")
        }
        if target == nil, scenario.receiver == nil,
            let node = scenario.deviceTypes.lazy.flatMap(\.callbacks).first(where: { $0.node.mentionsReceiver })
        {
            throw .configuration(
                ConfigError(
                    file: scenario.file,
                    location: node.node.location,
                    path: node.path,
                    message: "uses {receiver}: give --target URL or 'receiver: embedded' in the scenario"
                )
            )
        }
        self.plan = plan
        self.target = target
        var scenario = scenario
        scenario.seed = plan.seed
        scenario.traffic = []
        // Load-test rule: no network delay, so callbacks go out at the arrival rate from the first second.
        scenario.network.networkDelay = 0...0
        scenario.network.dataAdvancedDelay = SimulationDuration(
            milliseconds: max(1, Int64(Double(scenario.network.dataAdvancedDelay.milliseconds) / plan.timeScale))
        )
        scenario.devices = try Self.devices(plan.devices, scenario: scenario)
        // Load-test rule: a device type without a DATA_ADVANCED callback has the network forget each message
        // at once instead of holding it 25 s (at 20,000 uplinks a second that is half a million messages);
        // and the network writes the JSON lists of receptions only for types whose callbacks use them.
        var lastTrigger = SimulationDuration(milliseconds: 0)
        for index in scenario.deviceTypes.indices {
            let deviceType = scenario.deviceTypes[index]
            let definitions = (try? deviceType.definitions(receiverURL: "http://127.0.0.1:9")) ?? []
            // A BATCH_URL callback gathers the messages of every device in a 1 s window into one request;
            // split over engine threads, each would send its own smaller batch (SIGFOX.md section 4).
            if plan.engineThreads > 1,
                let batch = zip(definitions, deviceType.callbacks).first(where: {
                    $0.0.enabled && $0.0.channel == .batchURL
                })?.1
            {
                throw .configuration(
                    ConfigError(
                        file: scenario.file,
                        location: batch.node.location,
                        path: batch.path,
                        message: "a BATCH_URL callback puts the messages of all devices in a second into one "
                            + "request, so its devices must share one engine thread: use --engine-threads 1"
                    )
                )
            }
            scenario.deviceTypes[index].fireOnlyWhatCallbacksUse(definitions)
            if scenario.deviceTypes[index].type.firesDataAdvanced {
                lastTrigger = max(lastTrigger, scenario.network.dataAdvancedDelay)
            }
            if definitions.contains(where: { $0.enabled && $0.service == .dataBidir }) {
                lastTrigger = max(lastTrigger, scenario.network.downlinkWindowEnd)
            }
        }
        // The frames of the last uplink (three at most), then its triggers, and a second of margin. Without
        // a trigger after the first reception (DATA comes at once, the network delay being 0) there is
        // nothing to wait for: the later frames of the last uplinks fire nothing.
        let network = scenario.network
        drainWindow = SimulationDuration(
            milliseconds: lastTrigger.milliseconds == 0
                ? 0
                : 2 * network.frameGap.upperBound + network.networkDelay.upperBound + 1_000 + lastTrigger.milliseconds
        )
        self.scenario = scenario
    }

    /// Asks the run to stop now (any thread).
    public func stop() {
        let loops = state.withLock { state -> [DeliveryLoop] in
            state.stopped = true
            return state.loops
        }
        for loop in loops { loop.requestStop() }
    }

    /// Runs the plan and returns the report.
    public func run() throws(LoadError) -> LoadReport {
        let start = SimulationTime(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        // Load-test rules: real time; failures grouped by libcurl's words (`HTTP 500`); counters only, no
        // requests kept by the embedded receiver.
        var options = SimulationOptions(target: target, caFile: plan.caFile, mode: .real, start: start)
        options.recordsReasonPhrase = false
        options.receiverRecordLimit = 0
        let host: SimulationHost
        do {
            host = try SimulationHost(scenario: scenario, options: options)
        } catch {
            switch error {
            case .configuration(let problem): throw .configuration(problem)
            case .receiver(let message), .journal(let message): throw .receiver(message)
            }
        }
        defer { host.shutdown() }
        let clock = ContinuousClock()
        let startInstant = clock.now
        // One shard per engine thread, each with at least one device and one request slot.
        let count = max(1, min(plan.engineThreads, plan.concurrency, scenario.devices.count))
        var shards = [LoadShard]()
        for index in 0..<count {
            shards.append(
                try LoadShard(
                    index: index,
                    of: count,
                    plan: plan,
                    host: host,
                    drainWindow: drainWindow
                )
            )
        }
        let loops = shards.map(\.loop)
        let alreadyStopped = state.withLock { state -> Bool in
            state.loops = loops
            return state.stopped
        }
        if alreadyStopped { for loop in loops { loop.requestStop() } }
        let statistics = LoadStatistics(
            start: start,
            lateAfterMilliseconds: plan.lateAfterMilliseconds,
            live: live,
            shards: count
        )
        // The hard end: arrivals stop at the duration; the callbacks they fired are sent in the drain window;
        // tries still in flight get their deadline, then whatever remains (retries not yet due) is
        // cancelled and counted.
        let hardEnd = DispatchWorkItem { for loop in loops { loop.requestStop() } }
        let grace = Double(drainWindow.milliseconds + plan.retryPolicy.deadline.milliseconds) / 1000 + 1
        DispatchQueue.global().asyncAfter(deadline: .now() + plan.duration + grace, execute: hardEnd)
        if count == 1 {
            shards[0].run(statistics: statistics)
        } else {
            let done = DispatchGroup()
            for shard in shards {
                done.enter()
                let thread = Thread {
                    shard.run(statistics: statistics)
                    done.leave()
                }
                thread.name = "sigfox-sim load \(shard.index)"
                thread.start()
            }
            done.wait()
        }
        hardEnd.cancel()
        let elapsed = clock.now - startInstant
        statistics.finish(now: loops.map(\.now).max() ?? start)
        let interrupted = state.withLock { $0.stopped }
        var ledger = Ledger()
        var network = NetworkCounters()
        for shard in shards {
            ledger.add(shard.ledger)
            network.add(shard.traffic.network.counters)
        }
        return LoadReport(
            plan: plan,
            target: target ?? host.receiver.map { "the embedded receiver (\($0.baseURL))" } ?? "the scenario's URLs",
            targetURL: target ?? host.receiver?.baseURL,
            scenarioFile: scenario.file,
            interrupted: interrupted,
            elapsedSeconds: elapsed.inSeconds,
            uplinks: shards.reduce(0) { $0 + $1.traffic.sent },
            network: network,
            statistics: statistics,
            ledger: ledger,
            heldBackByPendingLimit: shards.contains { $0.traffic.heldBack }
        )
    }

    /// `count` devices, round-robin over the scenario's device types, each beside one of its base stations.
    public static func devices(_ count: Int, scenario: Scenario) throws(LoadError) -> [Device] {
        let stations = scenario.baseStations
        let types = scenario.deviceTypes.map(\.type.id)
        var devices = [Device]()
        devices.reserveCapacity(count)
        for index in 0..<count {
            let station = stations[index % stations.count].position
            // 55 m to 880 m from the station (never on it: the radio model needs a distance).
            let offset = Double(index % 16 + 1) * 0.0005
            do {
                devices.append(
                    try Device(
                        id: DeviceID(UInt32(0x10_0000 + index)),
                        deviceType: types[index % types.count],
                        position: GeoPosition(
                            latitude: station.latitude + offset,
                            longitude: station.longitude + offset
                        )
                    )
                )
            } catch {
                throw .usage("cannot make device \(index): \(error)")
            }
        }
        return devices
    }

    /// The default: one base station near Toulouse (every device beside it, no frame lost, so every uplink
    /// fires its callback) and one device type with one DATA/UPLINK callback, POST, a JSON body like a
    /// typical Sigfox integration's. One station keeps the generator's radio work per uplink small; a
    /// scenario gives more.
    public static func defaultScenario(target: String) -> String {
        """
        name: load
        seed: 1
        start: 2026-01-01T00:00:00Z
        time: real
        network: { frameLossProbability: 0 }
        baseStations:
          - { id: 1D44, lat: 43.61, lng: 1.45 }
        deviceTypes:
          - id: 5f00000000000000000000aa
            name: load
            callbacks:
              - id: uplink
                service: DATA/UPLINK
                url: \(JSONText.quoted(target))
                method: POST
                contentType: application/json
                body: '\(defaultBody)'
        """
    }

    /// The default callback's body.
    public static let defaultBody =
        #"{"device":"{device}","time":{time},"seqNumber":{seqNumber},"data":"{data}","#
        + #""station":"{station}","rssi":{rssi},"snr":{snr},"avgSnr":{avgSnr},"ack":{ack}}"#
}
