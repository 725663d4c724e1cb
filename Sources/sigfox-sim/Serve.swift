import ArgumentParser
import Foundation
import SigfoxCloud

extension SigfoxSim {
    /// `sigfox-sim serve [SCENARIO]`: the local Sigfox Cloud as a long-running service.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a local Sigfox Cloud as a service that tests and applications drive over HTTP.",
            discussion: """
                Starts on the scenario's base stations, device types, callbacks, devices and receiver (or a \
                built-in default: three stations, one device type with DATA/UPLINK and DATA_ADVANCED \
                callbacks to the embedded receiver, three devices), plays the scenario's traffic in real \
                (or scaled) time, and takes more through the control API:

                  curl -X POST -H 'Content-Type: application/json' http://127.0.0.1:8790/sim/devices/2C30EA/uplinks -d '{"payload":"ff3842"}'
                  curl http://127.0.0.1:8790/sim/attempts
                  curl -N http://127.0.0.1:8790/sim/events

                Each try is logged on one line as it ends (time, device, callback, method and URL, status or \
                error, latency, try number, next try); --quiet turns the lines off, --log-format json makes \
                them JSON. With --target URL the callbacks go to your own server. GET /health answers 200 \
                once it is ready; --ready-file PATH then writes the address, the API v2 credentials and the \
                pid as JSON, and --json prints that object as the banner. To run your tests against it, see \
                `sigfox-sim exec`.

                Ctrl-C (or SIGTERM) stops taking work, gives tries in flight their 10 s deadline, records \
                every try and exits 0; a second Ctrl-C stops at once and records what is left as cancelled. \
                With --data DIR the state is kept in DIR/sigfox-sim.sqlite and a restart resumes what was \
                waiting.

                Exit codes: 0 stopped cleanly, 2 bad usage, a bad scenario, or a port in use.
                """
        )

        @OptionGroup var arguments: ServeArguments

        func run() async throws {
            let session = try ServeSession(
                arguments: arguments,
                defaultPort: ServeOptions.defaultPort,
                output: .standardOutput
            )
            try await session.run(stopSignals: true)
            print("sigfox-sim serve: stopped")
        }
    }
}
