import ArgumentParser
import Foundation
import SigfoxCloud

/// `--server URL` of the commands that talk to a running `serve` (`uplink`, `export`, `health`): when it
/// is absent, `$SIGFOX_SIM_URL` (which `exec` sets), else `http://127.0.0.1:8790`.
struct ServerOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The running serve; default: $SIGFOX_SIM_URL, else http://127.0.0.1:\(ServeOptions.defaultPort).",
            valueName: "url"
        )
    )
    var server: String?

    var url: String {
        if let server { return server }
        if let variable = ProcessInfo.processInfo.environment["SIGFOX_SIM_URL"], !variable.isEmpty { return variable }
        return "http://127.0.0.1:\(ServeOptions.defaultPort)"
    }

    /// A client for it; a malformed URL is a usage error.
    func client() throws -> ServeClient {
        do {
            return try ServeClient(url: url)
        } catch {
            throw CommandFailure.usage(error.description)
        }
    }
}
