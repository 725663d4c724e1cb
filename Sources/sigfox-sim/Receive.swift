import ArgumentParser

extension SigfoxSim {
    /// `sigfox-sim receive`: the embedded test receiver (being written).
    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the embedded test receiver (HTTP and SMTP).")
        func run() throws { throw CommandFailure.usage("receive is not available yet") }
    }
}
