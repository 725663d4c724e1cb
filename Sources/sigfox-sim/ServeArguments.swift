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

    @Option(
        help: ArgumentHelp(
            "Send the callbacks to your own server: this URL replaces {receiver} (the embedded receiver is "
                + "not started).",
            valueName: "url"
        )
    )
    var target: String?

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
        help: ArgumentHelp(
            "Once the server answers, write a JSON object here (url, port, apiUrl, apiLogin, apiPassword, "
                + "receiverUrl, data, time, pid, version); removed when it stops.",
            valueName: "path"
        )
    )
    var readyFile: String?

    @Flag(help: "Print the banner as that same JSON object, on one line.")
    var json = false

    @Flag(help: "Do not log each try.")
    var quiet = false

    @Option(help: ArgumentHelp("How each try is logged: text or json (one object a line).", valueName: "format"))
    var logFormat: TryLogOutput.Format = .text

    @Flag(help: .hidden)
    var stopOnStdinEOF = false

    func validate() throws {
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port must be in 0...65535, not \(port)")
        }
        guard let mode = ScenarioTime.mode(time), mode != .virtual else {
            throw ValidationError("--time must be real or scaled:N (N from 0.001 to 1000000) for serve, not '\(time)'")
        }
        if let target, !(target.hasPrefix("http://") || target.hasPrefix("https://")) {
            throw ValidationError("--target must be an http:// or https:// URL, not '\(target)'")
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
        options.credentials = APICredentials(
            login: apiLogin ?? environment["SIGFOX_SIM_API_LOGIN"] ?? APICredentials.defaults.login,
            password: apiPassword ?? environment["SIGFOX_SIM_API_PASSWORD"] ?? APICredentials.defaults.password
        )
        options.target = target
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
