import ArgumentParser
import Dispatch
import Foundation
import SigfoxCloud
import SigfoxEngine
import SigfoxScenario
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension SigfoxSim {
    /// `sigfox-sim serve [SCENARIO]`: the local Sigfox Cloud as a long-running service.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a local Sigfox Cloud as a service that tests and applications drive over HTTP.",
            discussion: """
                Starts on the scenario's base stations, device types, callbacks, devices and receiver (or a \
                built-in default: three stations, one device type with DATA/UPLINK and DATA_ADVANCED \
                callbacks to the embedded receiver, three devices), plays the scenario's traffic in real \
                (or scaled) time, and takes more through the control API:

                  curl -X POST http://127.0.0.1:8790/sim/devices/2C30EA/uplinks -d '{"payload":"ff3842"}'
                  curl http://127.0.0.1:8790/sim/attempts
                  curl -N http://127.0.0.1:8790/sim/events

                GET /health answers 200 once it is ready. Ctrl-C (or SIGTERM) stops taking work, gives \
                tries in flight their 10 s deadline, records every try and exits 0; a second Ctrl-C stops \
                at once and records what is left as cancelled. With --data DIR the state is kept in \
                DIR/sigfox-sim.sqlite and a restart resumes what was waiting.

                Exit codes: 0 stopped cleanly, 2 bad usage, a bad scenario, or a port in use.
                """
        )

        @Argument(help: ArgumentHelp("A scenario file to start from (YAML or JSON).", valueName: "scenario"))
        var scenario: String?

        @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
        var port: Int = ServeOptions.defaultPort

        @Option(
            help: ArgumentHelp(
                "The address to listen on. Anything but loopback is reachable from other machines.",
                valueName: "addr"
            )
        )
        var host: String = "127.0.0.1"

        @Option(
            help: ArgumentHelp(
                "Keep the state in DIR (and resume it on restart); default: a fresh one each start.",
                valueName: "dir"
            )
        )
        var data: String?

        @Option(
            help: ArgumentHelp(
                "real (simulation time is wall time) or scaled:N (waits N times shorter).",
                valueName: "mode"
            )
        )
        var time: String = "real"

        @OptionGroup var trust: TrustOptions

        @Flag(help: .hidden)
        var stopOnStdinEOF = false

        @Option(
            help: ArgumentHelp(
                "The Sigfox API v2's login (HTTP Basic); default: $SIGFOX_SIM_API_LOGIN or sigfox-sim.",
                valueName: "login"
            )
        )
        var apiLogin: String?

        @Option(
            help: ArgumentHelp(
                "The Sigfox API v2's password; default: $SIGFOX_SIM_API_PASSWORD or sigfox-sim.",
                valueName: "password"
            )
        )
        var apiPassword: String?

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535, not \(port)") }
            guard let mode = ScenarioTime.mode(time), mode != .virtual else {
                throw ValidationError(
                    "--time must be real or scaled:N (N from 0.001 to 1000000) for serve, not '\(time)'"
                )
            }
            _ = mode
        }

        func run() throws {
            let loopback = ["127.0.0.1", "localhost", "::1"]
            if !loopback.contains(host) {
                printWarning("listening on \(host): the emulator and its control API are reachable from other machines")
            }
            var options = ServeOptions(
                scenarioPath: scenario,
                host: host,
                port: port,
                dataDirectory: data,
                time: ScenarioTime.mode(time) ?? .real,
                caFile: trust.caFile
            )
            let environment = ProcessInfo.processInfo.environment
            options.credentials = APICredentials(
                login: apiLogin ?? environment["SIGFOX_SIM_API_LOGIN"] ?? APICredentials.defaults.login,
                password: apiPassword ?? environment["SIGFOX_SIM_API_PASSWORD"] ?? APICredentials.defaults.password
            )
            let server: CloudServer
            do {
                server = try CloudServer(options: options)
            } catch {
                throw CommandFailure.usage("\(error)")
            }
            let signals = [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                let count = Atomic<Int>(0)
                source.setEventHandler {
                    if count.add(1, ordering: .relaxed).newValue == 1 {
                        FileHandle.standardError.write(
                            Data(
                                "sigfox-sim serve: stopping (tries in flight get their deadline; Ctrl-C again to stop at once)\n"
                                    .utf8
                            )
                        )
                    }
                    server.shutdown()
                }
                source.resume()
                return source
            }
            defer { for source in signals { source.cancel() } }
            if stopOnStdinEOF {
                // For the tests (and supervisors): when whoever started serve goes away, its end of the
                // standard input pipe closes, and serve stops at once instead of outliving it.
                Thread {
                    while case let data = FileHandle.standardInput.availableData, !data.isEmpty {}
                    server.shutdown(immediately: true)
                }.start()
            }
            let host = self.host
            let failure = Mutex<(any Error)?>(nil)
            let done = DispatchSemaphore(value: 0)
            let data = self.data
            let time = self.time
            Task {
                do {
                    try await server.run { port in
                        Self.printBanner(server: server, host: host, port: port, data: data, time: time)
                    }
                } catch {
                    failure.withLock { $0 = error }
                }
                done.signal()
            }
            done.wait()
            server.close()
            if let error = failure.withLock({ $0 }) {
                let text = "\(error)"
                if text.contains("bind(") || text.contains("EADDRINUSE") || text.contains("Address already in use") {
                    throw CommandFailure.usage(listenFailure(error, host: host, port: port, option: "--port"))
                }
                throw CommandFailure.usage("the HTTP server stopped: \(text)")
            }
            print("sigfox-sim serve: stopped")
        }

        static func printBanner(server: CloudServer, host: String, port: Int, data: String?, time: String) {
            let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
            var lines = [
                "sigfox-sim serve: listening on \(base) (\(time) time; data: \(data ?? "ephemeral, removed at exit"))",
                "  \(server.summary)",
            ]
            if let resumed = server.resumed { lines.append("  \(resumed)") }
            if let device = server.exampleDevice {
                lines.append(
                    "  try:  curl -X POST \(base)/sim/devices/\(device)/uplinks -H 'Content-Type: application/json' "
                        + "-d '{\"payload\":\"ff3842\"}'"
                )
            }
            lines.append("  then: curl \(base)/sim/attempts    (live: curl -N \(base)/sim/events)")
            let login = server.options.credentials
            lines.append(
                "  Sigfox API v2: \(base)/v2 (login \(login.login), password \(login.password)); OpenAPI: \(base)/openapi.json"
            )
            lines.append("  stop: Ctrl-C")
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
