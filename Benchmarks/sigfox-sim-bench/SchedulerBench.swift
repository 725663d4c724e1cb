import ArgumentParser
import Foundation
import HeapModule
import SigfoxEngine
import SigfoxLoad
import SigfoxModel
import SigfoxScenario

/// glibc's `malloc_trim` (not in the Glibc module): gives freed heap pages back to the system.
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32

extension SigfoxSimBench {
    /// `sigfox-sim-bench scheduler`: a million pending retries (a receiver that is down): memory and timer
    /// operations a second.
    struct Scheduler: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scheduler",
            abstract: "Measure the scheduler with many pending retries: peak memory and timer operations a second.",
            discussion: """
                Sends --deliveries uplinks (20 a millisecond of simulation time) from --devices devices of the \
                load test's default device type (one DATA/UPLINK POST with a JSON body) through the network core \
                and the callback engine into the scheduler, and fails every first try (connection refused, as from \
                a receiver that is down): each delivery then waits for its retry a minute later. With all of them \
                pending, it reads the process's resident memory; then it plays the whole retry ladder (tries 2, 3 \
                and 4, all failing) and times the scheduler's timer operations (each try: take from the waiting \
                heap, add and drop a deadline, add the next retry or give up). No network I/O: results are \
                handed to the scheduler directly. Build in release for meaningful figures.
                """
        )

        @Option(help: "Deliveries (uplinks), each left pending for its retry.")
        var deliveries = 1_000_000

        @Option(help: "Devices the uplinks are spread over.")
        var devices = 10_000

        func validate() throws {
            guard deliveries >= 1 else { throw ValidationError("--deliveries must be at least 1") }
            guard devices >= 1 else { throw ValidationError("--devices must be at least 1") }
        }

        func run() throws {
            let baseline = Self.memory()
            let scenario: Scenario
            var network: NetworkCore
            let engine: CallbackEngine
            do {
                var loaded = try Scenario.parse(LoadRunner.defaultScenario(target: "http://127.0.0.1:9/sigfox"))
                loaded.devices = try LoadRunner.devices(devices, scenario: loaded)
                loaded.network.networkDelay = 0...0
                // DATA_ADVANCED (which this device type has no callback for) at once, so the network core
                // holds no message for 25 s and the memory measured is the scheduler's.
                loaded.network.dataAdvancedDelay = SimulationDuration(milliseconds: 0)
                scenario = loaded
                let builder = ScenarioBuilder(scenario)
                network = try NetworkCore(configuration: scenario.network, fleet: try builder.fleet(), seed: 1)
                engine = try builder.callbackEngine(receiverURL: "")
            } catch {
                throw BenchFailure(description: "\(error)")
            }
            var scheduler = DeliveryScheduler(
                configuration: DeliveryConfiguration(
                    maximumInFlight: 100_000,
                    latencyResolution: SimulationDuration(milliseconds: 0)
                )
            )
            let ids = scenario.devices.map(\.id)
            let start = SimulationTime(seconds: 1_800_000_000)
            let clock = ContinuousClock()
            let fillStart = clock.now
            var tries = 0
            func failDue(_ now: SimulationTime) {
                let (requests, _) = scheduler.takeDue(now: now)
                for request in requests {
                    let result = TransportResult(
                        id: request.id,
                        outcome: .failure(
                            code: 7,
                            message: "Failed to connect to 127.0.0.1 port 9: Connection refused"
                        ),
                        latencyMilliseconds: 0.1
                    )
                    _ = scheduler.complete(result, now: now)
                    tries += 1
                }
            }
            var now = start
            for index in 0..<deliveries {
                // 20 uplinks a millisecond: all first tries fail within 50 s, before the first retry is due.
                now = start + SimulationDuration(milliseconds: Int64(index / 20))
                let payload = Uplink.counterPayload(index, bytes: 8)
                _ = network.send(Uplink(device: ids[index % ids.count], payload: payload), at: now)
                if index % 10_000 == 9_999 || index == deliveries - 1 {
                    for trigger in network.advance(to: now) { engine.dispatch(trigger, into: &scheduler) }
                    failDue(now)
                }
            }
            let fill = clock.now - fillStart
            let pending = scheduler.ledger.pending
            for trigger in network.advance(to: now + .seconds(1)) { engine.dispatch(trigger, into: &scheduler) }
            // Hands freed heap back to the system, so the resident figure is what is live now.
            _ = mallocTrim(0)
            let full = Self.memory()
            // The retry ladder: every pending retry is tried and fails, three times, then is given up.
            let ladderStart = clock.now
            let firstTries = tries
            while let next = scheduler.nextWakeup {
                failDue(next)
            }
            let ladder = clock.now - ladderStart
            let retries = tries - firstTries
            let end = Self.memory()
            let timers = Self.timerOperationsPerSecond(pending: pending)
            let seconds = ladder.inSeconds
            print("scheduler bench: \(deliveries) deliveries from \(devices) devices (DATA/UPLINK POST JSON)")
            print("fill (network + render + first try failed): \(String(format: "%.2f", fill.inSeconds)) s")
            print("pending retries: \(pending)")
            print(
                "resident memory with them pending: \(Self.megabytes(full.resident)) MB "
                    + "(\(Self.megabytes(baseline.resident)) MB at start; after malloc_trim, so live memory only)"
            )
            print("peak resident memory of the whole run: \(Self.megabytes(end.peak)) MB (VmHWM, garbage included)")
            print(
                String(
                    format: "bytes per pending retry: %.0f",
                    Double(full.resident - baseline.resident) / Double(max(pending, 1))
                )
            )
            print(
                "retry ladder: \(retries) retries in \(String(format: "%.2f", seconds)) s = \(Int(Double(retries) / seconds)) "
                    + "tries/s (each: thaw and render again, deadline in and out, fail, freeze, next retry in)"
            )
            print(
                "timer operations/s: \(timers) (a heap of \(pending) due times like the scheduler's: take the first, add one)"
            )
            print(
                "ledger: \(scheduler.ledger.created) created, \(scheduler.ledger.failed) failed, \(scheduler.ledger.pending) pending"
            )
        }

        /// Operations a second on a heap holding `pending` due times, the scheduler's timer structure: each
        /// round takes the earliest and adds one a minute later (a retry), two operations.
        static func timerOperationsPerSecond(pending: Int) -> Int {
            struct Timer: Comparable {
                var time: Int64
                var order: UInt64
                static func < (lhs: Timer, rhs: Timer) -> Bool { (lhs.time, lhs.order) < (rhs.time, rhs.order) }
            }
            var generator = SeededGenerator(seed: 7)
            var heap = Heap(
                (0..<max(pending, 1)).map { Timer(time: Int64(generator.next() % 60_000), order: UInt64($0)) }
            )
            let rounds = 2_000_000
            let clock = ContinuousClock()
            let start = clock.now
            var order = UInt64(pending)
            for _ in 0..<rounds {
                let first = heap.removeMin()
                order += 1
                heap.insert(Timer(time: first.time + 60_000, order: order))
            }
            return Int(Double(rounds * 2) / (clock.now - start).inSeconds)
        }

        /// VmRSS and VmHWM of this process, in bytes.
        static func memory() -> (resident: Int, peak: Int) {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
            func field(_ name: String) -> Int {
                guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else {
                    return 0
                }
                let digits = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
                return digits * 1024
            }
            return (field("VmRSS"), field("VmHWM"))
        }

        static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }

    }
}
