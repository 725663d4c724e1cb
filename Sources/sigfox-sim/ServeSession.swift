import Foundation
import SigfoxCloud
import Synchronization

/// One `CloudServer` from start to stop, as `serve` and `exec` run it: the banner (text, or the ready
/// object as JSON), the ready file, and the mapping of start-up failures to exit code 2.
struct ServeSession {
    let arguments: ServeArguments
    let server: CloudServer
    /// Where the banner goes: standard output for `serve`, standard error for `exec` (whose standard
    /// output is the command's).
    let output: FileHandle

    /// Opens the store, starts the receiver and the engine; a bad scenario or folder is a usage error.
    init(arguments: ServeArguments, defaultPort: Int, output: FileHandle) throws {
        if !["127.0.0.1", "localhost", "::1"].contains(arguments.host) {
            printWarning(
                "listening on \(arguments.host): the emulator and its control API are reachable from other machines"
            )
        }
        self.arguments = arguments
        self.output = output
        do {
            server = try CloudServer(options: arguments.options(defaultPort: defaultPort, log: output))
        } catch {
            throw CommandFailure.usage("\(error)")
        }
        for warning in server.storeWarnings { printWarning(warning) }
    }

    /// Serves until ``CloudServer/shutdown(immediately:)`` or, with `stopSignals`, until SIGINT or SIGTERM
    /// (the first drains, a second stops at once). `onReady` runs once the server answers (after the banner
    /// and the ready file); `beforeClose` runs once the engine stopped, with the store still open.
    func run(
        stopSignals: Bool,
        onReady: @escaping @Sendable (ServeReadiness) -> Void = { _ in },
        beforeClose: () throws -> Void = {}
    ) async throws {
        let server = self.server
        if arguments.stopOnStdinEOF {
            // For the tests (and supervisors): when whoever started serve goes away, its end of the
            // standard input pipe closes, and serve stops at once instead of outliving it.
            Thread {
                while case let data = FileHandle.standardInput.availableData, !data.isEmpty {}
                server.shutdown(immediately: true)
            }.start()
        }
        let failure = Mutex<CommandFailure?>(nil)
        let readyFile = arguments.readyFile
        let json = arguments.json
        let output = self.output
        var stopped: (any Error)?
        do {
            try await server.run(stopSignals: stopSignals) { ports in
                let readiness = ServeReadiness(server: server, ports: ports)
                let banner = json ? readiness.jsonLine : Self.banner(server: server, readiness: readiness)
                output.write(Data((banner + "\n").utf8))
                if let readyFile {
                    do {
                        try readiness.write(to: readyFile)
                    } catch {
                        failure.withLock { $0 = CommandFailure.usage("\(error)") }
                        server.shutdown(immediately: true)
                        return
                    }
                }
                onReady(readiness)
            }
        } catch {
            stopped = error
        }
        if let readyFile { unlink(readyFile) }
        let closing = Result { try beforeClose() }
        await server.close()
        if let failure = failure.withLock({ $0 }) { throw failure }
        if let stopped {
            if let reason = ListenFailure(stopped) {
                throw CommandFailure.usage(
                    reason.message(host: arguments.host, port: server.options.port, option: "--port")
                )
            }
            throw CommandFailure.usage("the HTTP server stopped: \(stopped)")
        }
        try closing.get()
    }

    /// The banner a person reads: where it listens, what it holds, what to try first.
    static func banner(server: CloudServer, readiness: ServeReadiness) -> String {
        let base = readiness.url
        let options = server.options
        let listening = "http://\(options.host.contains(":") ? "[\(options.host)]" : options.host):\(readiness.port)"
        var lines = [
            "sigfox-sim serve: listening on \(listening) (\(options.timeText) time; data: "
                + "\(options.dataDirectory ?? "ephemeral, removed at exit"))",
            "  \(server.summary)",
        ]
        if let resumed = server.resumed { lines.append("  \(resumed)") }
        lines += server.warnings.map { "  warning: \($0)" }
        if let device = server.exampleDevice {
            lines.append(
                "  try:  curl -X POST \(base)/sim/devices/\(device)/uplinks -H 'Content-Type: application/json' "
                    + "-d '{\"payload\":\"ff3842\"}'"
            )
        }
        lines.append("  then: curl \(base)/sim/attempts    (live: curl -N \(base)/sim/events)")
        lines.append(
            "  Sigfox API v2: \(readiness.apiUrl) (login \(readiness.apiLogin), password "
                + (options.passwordGiven ? "as given" : readiness.apiPassword) + "); "
                + "OpenAPI: \(base)/openapi.json"
        )
        if let httpsApiUrl = readiness.httpsApiUrl, let httpsPort = readiness.httpsPort {
            lines.append(
                "  over TLS: \(httpsApiUrl) (also https://127.0.0.1:\(httpsPort)/v2); api.sigfox.com must name this "
                    + "machine: echo '127.0.0.1 api.sigfox.com' >> /etc/hosts (as root)"
            )
            if let caFile = readiness.caFile, let caBundle = readiness.caBundle {
                lines.append("  local CA: \(caFile); for your code to trust it:")
                lines.append(
                    "    export SSL_CERT_FILE=\(caBundle) REQUESTS_CA_BUNDLE=\(caBundle) NODE_EXTRA_CA_CERTS=\(caFile)"
                )
                lines.append(
                    "    JVM: keytool -importcert -noprompt -alias sigfox-sim -file \(caFile) -keystore sigfox-sim.p12 "
                        + "-storepass changeit, then -Djavax.net.ssl.trustStore=sigfox-sim.p12 "
                        + "-Djavax.net.ssl.trustStorePassword=changeit"
                )
            }
        }
        lines.append("  stop: Ctrl-C")
        return lines.joined(separator: "\n")
    }
}
