import ArgumentParser
import SigfoxEngine
import SigfoxModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sigfox-sim-bench`: benchmarks of the engine's parts, built beside the tool but not shipped with it
/// (`Benchmarks/network-core.sh`, `Benchmarks/scheduler.sh`).
@main
struct SigfoxSimBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sigfox-sim-bench",
        abstract: "Benchmarks of sigfox-sim's engine parts (not part of the shipped tool).",
        subcommands: [Network.self, Scheduler.self]
    )
}

/// A benchmark that cannot run: its message, exit code 2.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
}

extension SigfoxSimBench {
    /// `sigfox-sim-bench network`: how fast the network core turns uplinks into callback triggers.
    struct Network: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "network",
            abstract: "Measure how many uplinks and triggers a second the network core handles.",
            discussion: """
                Builds a fleet of devices spread over a square of base stations 25 km apart, sends the uplinks \
                round-robin (one every 50 ms of simulation time, 1 in 19 asking for a downlink, half of those \
                answered), drains every trigger, and prints the rates. Of the 4 device types, one has a \
                keep-alive of 30 min and one uses legacy sendDuplicate (one more DATA per extra station; \
                --no-legacy-duplicates turns it off). One thread; wall time from \
                ContinuousClock. Build in release for meaningful figures:
                  swift build -c release --product sigfox-sim-bench
                  .build/release/sigfox-sim-bench network --devices 10000 --stations 50
                """
        )

        @Option(help: "Devices in the fleet.")
        var devices = 10_000

        @Option(help: "Base stations, on a square grid 25 km apart.")
        var stations = 50

        @Option(help: "Uplinks to send.")
        var uplinks = 300_000

        @Option(help: "Seed of the network's generator (and of the device placement).")
        var seed: UInt64 = 1

        @Flag(inversion: .prefixedNo, help: "Give a quarter of the devices a legacy sendDuplicate device type.")
        var legacyDuplicates = true

        func validate() throws {
            guard devices >= 1 else { throw ValidationError("--devices must be at least 1") }
            guard (1...65_536).contains(stations) else { throw ValidationError("--stations must be in 1...65536") }
            guard uplinks >= 1 else { throw ValidationError("--uplinks must be at least 1") }
        }

        func run() throws {
            let clock = ContinuousClock()
            let setupStart = clock.now
            var network: NetworkCore
            do {
                network = try NetworkCore(fleet: makeFleet(), seed: seed)
            } catch {
                throw BenchFailure(description: error.description)
            }
            let setup = clock.now - setupStart

            let start = SimulationTime(seconds: 1_700_000_000)
            let ids = (0..<devices).map { DeviceID(UInt32(0x10_0000 + $0)) }
            var triggers = 0
            var answers = 0
            let runStart = clock.now
            var now = start
            for index in 0..<uplinks {
                now = start + SimulationDuration(milliseconds: Int64(index) * 50)
                let payload: [UInt8] = [UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8), 0x2A]
                _ = network.send(Uplink(device: ids[index % devices], payload: payload, ack: index % 19 == 7), at: now)
                if index % 1000 == 999 {
                    triggers += drain(&network, to: now, answers: &answers)
                }
            }
            triggers += drain(&network, to: SimulationTime(milliseconds: .max), answers: &answers)
            let elapsed = clock.now - runStart
            report(network.counters, triggers: triggers, setup: setup, elapsed: elapsed)
        }

        /// Hands out every trigger due by `now`; answers half the BIDIR triggers that expect a downlink.
        private func drain(_ network: inout NetworkCore, to now: SimulationTime, answers: inout Int) -> Int {
            var count = 0
            while let due = network.nextDue, due <= now {
                for trigger in network.advance(to: due) {
                    count += 1
                    guard trigger.expectsDownlink, let message = trigger.message else { continue }
                    answers += 1
                    if answers % 2 == 0 {
                        let data: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
                        count += network.receiveDownlinkAnswer(.downlink(data), for: message, at: trigger.due).count
                    }
                }
            }
            return count
        }

        /// Stations on a grid 25 km apart around 46° N 2° E; devices uniformly over the same square.
        private func makeFleet() throws(NetworkSetupError) -> Fleet {
            let spacing = 25.0
            let columns = Int(Double(stations).squareRoot().rounded(.up))
            let rows = (stations + columns - 1) / columns
            let kilometresPerDegree = 111.195
            let origin = GeoPosition(latitude: 46, longitude: 2)
            func position(north: Double, east: Double) -> GeoPosition {
                GeoPosition(
                    latitude: origin.latitude + north / kilometresPerDegree,
                    longitude: origin.longitude + east / (kilometresPerDegree * cos(origin.latitude * .pi / 180))
                )
            }
            let baseStations = (0..<stations).map { index in
                BaseStation(
                    id: BaseStationID(UInt32(truncatingIfNeeded: index + 1)),
                    position: position(
                        north: Double(index / columns) * spacing,
                        east: Double(index % columns) * spacing
                    )
                )
            }
            let types = try (0..<4).map { index throws(NetworkSetupError) in
                try DeviceType(
                    id: DeviceTypeID(String(repeating: "0", count: 23) + String(index))!,
                    name: "bench-\(index)",
                    keepAlive: index == 3 ? 1800 : 0,
                    usesSendDuplicate: legacyDuplicates && index == 2
                )
            }
            var placement = SeededGenerator(seed: seed ^ 0x5EED)
            let height = Double(max(rows - 1, 1)) * spacing
            let width = Double(max(columns - 1, 1)) * spacing
            let fleetDevices = try (0..<devices).map { index throws(NetworkSetupError) in
                try Device(
                    id: DeviceID(UInt32(0x10_0000 + index)),
                    deviceType: types[index % types.count].id,
                    position: position(north: placement.nextUnit() * height, east: placement.nextUnit() * width),
                    framesPerMessage: index % 5 == 0 ? 1 : 3,
                    contract: DeviceContract(geolocation: index % 2 == 0)
                )
            }
            return try Fleet(deviceTypes: types, devices: fleetDevices, baseStations: baseStations)
        }

        private func report(_ counters: NetworkCounters, triggers: Int, setup: Duration, elapsed: Duration) {
            let seconds = elapsed.inSeconds
            let services = CallbackService.allCases.filter { counters.triggers(for: $0) > 0 }
                .map { "\($0) \(counters.triggers(for: $0))" }.joined(separator: ", ")
            print("network bench: \(devices) devices, \(stations) stations, \(uplinks) uplinks, seed \(seed)")
            print("setup: \(Self.fixed(setup.inSeconds, 3)) s")
            print(
                "uplinks: \(counters.uplinks) (messages \(counters.messages), lost \(counters.lost), "
                    + "over limit \(counters.overLimit), downlinks \(counters.downlinksEmitted))"
            )
            print("triggers: \(triggers) (\(services))")
            print("time: \(Self.fixed(seconds, 3)) s")
            print("uplinks/s: \(Int((Double(counters.uplinks) / seconds).rounded()))")
            print("triggers/s: \(Int((Double(triggers) / seconds).rounded()))")
        }

        private static func fixed(_ value: Double, _ decimals: Int) -> String {
            let scale = pow(10, Double(decimals))
            let scaled = Int64((value * scale).rounded())
            let whole = String(scaled / Int64(scale))
            let fraction = String(scaled % Int64(scale))
            return whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
    }
}
