import ArgumentParser

extension SigfoxSim {
    /// `sigfox-sim bench`: benchmarks of the engine's parts (being written).
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Benchmarks of the engine's parts.")
        func run() throws { throw CommandFailure.usage("bench is not available yet") }
    }
}
