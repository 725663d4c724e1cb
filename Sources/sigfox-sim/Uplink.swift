import ArgumentParser

extension SigfoxSim {
    struct Uplink: ParsableCommand {
        func run() throws {}
    }
}
