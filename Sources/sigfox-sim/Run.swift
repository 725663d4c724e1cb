import ArgumentParser
import Foundation
import SigfoxModel
import SigfoxScenario

extension SigfoxSim {
    /// `sigfox-sim run SCENARIO`: plays a scenario and checks its expectations.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario: devices, network, callbacks to a receiver, and its expectations.",
            discussion: """
                Exit codes: 0 every expectation held, 1 one failed, 2 bad usage or a bad scenario file.
                """
        )

        @Argument(help: ArgumentHelp("The scenario file (YAML or JSON).", valueName: "scenario"))
        var scenario: String

        @Option(help: ArgumentHelp("Write every try as a JSON line to this file.", valueName: "file"))
        var journal: String?

        @Flag(help: "Print the report as one JSON object.")
        var json = false

        @Option(help: ArgumentHelp("Write a JUnit XML report (one test case per expectation).", valueName: "file"))
        var junit: String?

        @Option(help: ArgumentHelp("Replace the scenario's time: virtual, real or scaled:N.", valueName: "mode"))
        var time: String?

        @Option(help: "Replace the scenario's seed.")
        var seed: UInt64?

        func validate() throws {
            if let time, ScenarioTime.mode(time) == nil {
                throw ValidationError("--time must be virtual, real or scaled:N (N > 0), not '\(time)'")
            }
        }

        func run() throws {
            let options = RunOptions(journalPath: journal, time: time.flatMap(ScenarioTime.mode), seed: seed)
            let result: RunResult
            do {
                result = try ScenarioRunner(path: scenario, options: options).run()
            } catch let error as ConfigError {
                throw CommandFailure.usage(error.description)
            } catch let error as ScenarioRunError {
                throw CommandFailure.usage(error.description)
            }
            if let junit {
                do {
                    try result.junit.write(toFile: junit, atomically: true, encoding: .utf8)
                } catch {
                    throw CommandFailure.usage("cannot write the JUnit report \(junit): \(error.localizedDescription)")
                }
            }
            let output = json ? result.json + "\n" : result.text
            FileHandle.standardOutput.write(Data(output.utf8))
            if !result.passed {
                throw CommandFailure(message: "expectations failed in \(scenario)", code: 1)
            }
        }
    }
}
