import ArgumentParser
import Foundation
import SigfoxCloud
import SigfoxScenario

extension TryLogOutput.Format: ExpressibleByArgument {}

/// The options of `serve`, shared by `exec` (which starts the same server around a command).
struct ServeArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("A scenario file to start from (YAML or JSON).", valueName: "scenario"))
    var scenario: String?

    @Option(
        help: ArgumentHelp(
            "The port to listen on; 0 picks a free one (serve: 8790 by default; exec: a free one).",
            valueName: "port"
        )
    )
    var port: Int?

    @Option(
        help: ArgumentHelp(
            "The address to listen on. Anything but loopback is reachable from other machines (in a container, "
                + "0.0.0.0 is the container's own).",
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

    @OptionGroup var receiver: TargetOption

    @OptionGroup var trust: TrustOptions

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

    @Option(
        name: .customLong("allow-host"),
        help: ArgumentHelp(
            "Also accept requests whose Host is this name (IP addresses and localhost always are; others are "
                + "refused, so a web page cannot reach serve by rebinding its own name). Repeat for several.",
            valueName: "name"
        )
    )
    var allowedHosts: [String] = []

    @Option(
        help: ArgumentHelp(
            "Once the server answers, write a JSON object here (url, port, apiUrl, apiLogin, apiPassword, "
                + "receiverUrl, data, time, pid, version); removed when it stops.",
            valueName: "path"
        )
    )
    var readyFile: String?

    @Option(
        help: ArgumentHelp(
            "Also serve every route over TLS on this port (0: a free one; 443: where https://api.sigfox.com/v2 "
                + "goes), with a certificate for api.sigfox.com, localhost and 127.0.0.1 signed by a local CA made "
                + "once in --data's tls/ folder (else ~/.local/share/sigfox-sim/tls).",
            valueName: "port"
        )
    )
    var https: Int?

    @Option(
        help: ArgumentHelp("With --https: this certificate chain (PEM) instead of the local CA's.", valueName: "file")
    )
    var tlsCert: String?

    @Option(help: ArgumentHelp("With --https: the key of --tls-cert (PEM).", valueName: "file"))
    var tlsKey: String?

    @Flag(
        help: ArgumentHelp(
            "Answer 429 past the API v2's documented rate limits (e.g. one GET /v2/devices/{id}/messages a "
                + "second per device), as the live API does; off by default. See docs/serve.md."
        )
    )
    var apiRateLimits = false

    @Flag(help: "Print the banner as that same JSON object, on one line.")
    var json = false

    @Flag(help: "Do not log each try.")
    var quiet = false

    @Option(help: ArgumentHelp("How each try is logged: text or json (one object a line).", valueName: "format"))
    var logFormat: TryLogOutput.Format = .text

    @Option(help: ArgumentHelp("At most this many connections at once; more wait until one closes.", valueName: "n"))
    var maxConnections = ServeLimits().connections

    @Option(
        help: ArgumentHelp(
            "Close a connection idle this long between requests, or one that never finishes its request.",
            valueName: "duration"
        )
    )
    var idleTimeout = "\(ServeLimits().idleSeconds)s"

    @Option(help: ArgumentHelp("At most this many /sim/events readers at once (503 beyond).", valueName: "n"))
    var maxEventStreams = ServeLimits().eventStreams

    @Option(
        help: ArgumentHelp(
            "Keep at most this many deliveries waiting for a retry in memory; more wait in the store only.",
            valueName: "n"
        )
    )
    var maxHeldDeliveries = ServeLimits().heldDeliveries

    @Flag(help: .hidden)
    var stopOnStdinEOF = false

    func validate() throws {
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port must be in 0...65535, not \(port)")
        }
        if let https, !(0...65535).contains(https) {
            throw ValidationError("--https must be a port in 0...65535, not \(https)")
        }
        if https == nil, tlsCert != nil || tlsKey != nil {
            throw ValidationError("--tls-cert and --tls-key go with --https PORT")
        }
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together: give both, or neither for the local CA's")
        }
        guard let mode = ScenarioTime.mode(time), mode != .virtual else {
            throw ValidationError("--time must be real or scaled:N (N from 0.001 to 1000000) for serve, not '\(time)'")
        }
        guard maxConnections >= 1, maxEventStreams >= 0, maxHeldDeliveries >= 0 else {
            throw ValidationError("--max-connections must be 1 or more and --max-event-streams 0 or more")
        }
        guard let idle = ScenarioTime.duration(idleTimeout), idle.milliseconds >= 1000 else {
            throw ValidationError(
                "--idle-timeout must be a duration of a second or more (e.g. 30s), not '\(idleTimeout)'"
            )
        }
    }

    /// The server's options; tries are logged to `log` unless `--quiet`.
    func options(defaultPort: Int, log: FileHandle) -> ServeOptions {
        var options = ServeOptions(
            scenarioPath: scenario,
            host: host,
            port: port ?? defaultPort,
            dataDirectory: data,
            time: ScenarioTime.mode(time) ?? .real,
            caFile: trust.caFile
        )
        let environment = ProcessInfo.processInfo.environment
        let password = apiPassword ?? environment["SIGFOX_SIM_API_PASSWORD"]
        options.credentials = APICredentials(
            login: apiLogin ?? environment["SIGFOX_SIM_API_LOGIN"] ?? APICredentials.defaults.login,
            password: password ?? APICredentials.defaults.password
        )
        options.passwordGiven = password != nil
        options.allowedHosts = allowedHosts
        options.apiRateLimits = apiRateLimits
        options.https = https.map { HTTPSOptions(port: $0, certificatePath: tlsCert, keyPath: tlsKey) }
        options.limits.connections = maxConnections
        options.limits.eventStreams = maxEventStreams
        options.limits.heldDeliveries = maxHeldDeliveries
        options.limits.idleSeconds = (ScenarioTime.duration(idleTimeout)?.milliseconds ?? 30_000) / 1000
        options.target = receiver.target
        options.tryLog =
            quiet
            ? nil
            : TryLogOutput(
                format: logFormat,
                handle: log,
                colour: TerminalColour(
                    fileDescriptor: log.fileDescriptor,
                    environment: ProcessInfo.processInfo.environment
                )
            )
        return options
    }
}
