import ArgumentParser
import CCurl
import Foundation
import SigfoxModel
import SigfoxScenario

/// The `sigfox-sim` command: a local Sigfox Cloud for testing callback endpoints.
@main
struct SigfoxSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sigfox-sim",
        abstract: "A local Sigfox Cloud: virtual devices, a simulated network, and the real cloud's callbacks.",
        discussion: """
            Exit codes: 0 success, 1 the command ran but found a failure (e.g. a body that would not be \
            sent), 2 bad usage or bad configuration.
            """,
        version: versionText,
        subcommands: [
            Run.self, Serve.self, Exec.self, Uplink.self, Export.self, Health.self, Load.self, Replay.self, Import.self,
            Decode.self,
            Render.self,
            Receive.self,
        ]
    )

    /// `0.1.0 (libcurl 7.88.1, OpenSSL/3.0.15)`: proves the binary links libcurl.
    static var versionText: String {
        "sigfox-sim \(toolVersion) (libcurl \(String(cString: sfx_curl_version_number())), "
            + "\(String(cString: sfx_curl_ssl_version())))"
    }

    static var toolVersion: String { ToolVersion.current }

    /// Runs the command, mapping every usage and configuration error to exit code 2.
    static func main() {
        if let word = CommandLine.arguments.dropFirst().first, !word.hasPrefix("-"), word != "help",
            let suggestion = suggestion(for: word)
        {
            FileHandle.standardError.write(
                Data(
                    "sigfox-sim: error: unknown command '\(word)'; did you mean '\(suggestion)'? (sigfox-sim --help lists them)\n"
                        .utf8
                )
            )
            Foundation.exit(2)
        }
        // Every line a command prints reaches a pipe or a file as it is printed, as on a terminal: serve's
        // log, uplink --wait and receive are read line by line by other programs.
        sfx_stdout_line_buffered()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CommandFailure {
            FileHandle.standardError.write(Data("sigfox-sim: error: \(error.message)\n".utf8))
            Foundation.exit(error.code)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

extension SigfoxSim {
    /// The subcommand `word` most likely meant, when it is not one (at most two letters off), or nil.
    static func suggestion(for word: String) -> String? {
        let names =
            configuration.subcommands.compactMap { $0.configuration.commandName ?? nil }
            + configuration.subcommands.map { String(describing: $0).lowercased() }
        guard !names.contains(word) else { return nil }
        return nearestName(to: word, among: names)
    }
}

/// Why a server of ours could not listen, in words: a port in use says which and what to do, without
/// SwiftNIO's `bind(descriptor:ptr:bytes:)` and errno.
func listenFailure(_ error: any Error, host: String, port: Int, option: String, what: String = "listen") -> String {
    let text = "\(error)"
    let place = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
    if text.contains("Address already in use") || text.contains("EADDRINUSE") || text.contains("errno: 98") {
        return "cannot \(what) on \(place): the port is in use (another program, or another sigfox-sim, "
            + "listens there); choose another with \(option) PORT (\(option) 0 picks a free one)"
    }
    if text.contains("Permission denied") || text.contains("errno: 13") {
        return "cannot \(what) on \(place): permission denied (ports below 1024 need root); choose another with "
            + "\(option) PORT"
    }
    if text.contains("Cannot assign requested address") || text.contains("errno: 99") {
        return "cannot \(what) on \(place): \(host) is not an address of this machine (try 127.0.0.1)"
    }
    return "cannot \(what) on \(place): \(text)"
}

/// A failure with its own message and exit code: 2 for bad input, 1 for a failed check.
struct CommandFailure: Error {
    var message: String
    var code: Int32

    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 2) }
}

/// SIGINT and SIGTERM ask `stop` to stop the command (saying `message` on standard error); a second
/// signal exits at once (130). Cancel the returned sources when the command ends.
func stopOnSignals(_ stop: RunStop, saying message: String) -> [any DispatchSourceSignal] {
    [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            if stop.isRequested { Foundation.exit(130) }
            FileHandle.standardError.write(Data("sigfox-sim: \(message)\n".utf8))
            stop.request()
        }
        source.resume()
        return source
    }
}

/// Writes warnings so they never mix with the command's output.
func printWarning(_ text: String) {
    FileHandle.standardError.write(Data("sigfox-sim: warning: \(text)\n".utf8))
}
