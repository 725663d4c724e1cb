import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxServices
import SigfoxSimulation
import SigfoxTesting
import Testing

@testable import SigfoxLoad

/// `load` sets its simulation up on the same ``SimulationHost`` as `run` and `serve`: what it used to build
/// by hand, and got differently, now comes out the same.
@Suite("Load: set up on the simulation host", .timeLimit(.minutes(1)))
struct LoadHostTests {
    /// The default load scenario, its callback to `{receiver}/uplink`, with `network` settings added.
    static func scenario(network: String = "") throws -> Scenario {
        let text = LoadRunner.defaultScenario(target: "{receiver}/uplink")
            .replacingOccurrences(
                of: "network: { frameLossProbability: 0 }",
                with: "network: { frameLossProbability: 0\(network) }"
            )
        return try Scenario.parse(text, file: "load.yaml")
    }

    @Test("network.downlinkFailure holds in load's networks, as in run's and serve's (load used to drop it)")
    func downlinkFailure() throws {
        for (network, fails) in [(", downlinkFailure: true", true), ("", false)] {
            let plan = LoadPlan(arrivals: .rate(from: 10, to: 10), duration: 1, devices: 4, engineThreads: 2)
            let runner = try LoadRunner(plan: plan, scenario: try Self.scenario(network: network), target: "http://h")
            let host = try SimulationHost(
                scenario: runner.scenario,
                options: SimulationOptions(target: "http://h", mode: .real, start: SimulationTime(milliseconds: 0))
            )
            defer { host.shutdown() }
            for index in 0..<2 {
                let shard = try LoadShard(
                    index: index,
                    of: 2,
                    plan: plan,
                    host: host,
                    drainWindow: SimulationDuration(milliseconds: 0)
                )
                #expect(shard.traffic.network.downlinkNetworkFailure == fails, "\(network), shard \(index)")
            }
        }
    }

    @Test("--target with a trailing slash: {receiver}/uplink has one slash, as in run and serve")
    func targetTrailingSlash() async throws {
        let receiver = try await EmbeddedReceiver.start()
        let runner = try LoadRunner(
            plan: LoadPlan(arrivals: .rate(from: 20, to: 20), duration: 0.2, devices: 2),
            scenario: try Self.scenario(),
            target: receiver.baseURL + "/"
        )
        let result = await offPool { () -> Result<LoadReport, LoadError> in
            do throws(LoadError) { return .success(try runner.run()) } catch { return .failure(error) }
        }
        let report = try result.get()
        let requests = receiver.requests
        try await receiver.shutdown()
        #expect(report.delivered == 4 && requests.count == 4)
        #expect(requests.allSatisfy { $0.path == "/uplink" }, "\(requests.map(\.path))")
    }
}
