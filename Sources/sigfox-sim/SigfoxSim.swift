import ArgumentParser
import CCurl
import Foundation
import NIOCore
import SigfoxModel
import SigfoxScenario

/// The `sigfox-sim` command: a local Sigfox Cloud for testing callback endpoints.
@main
struct SigfoxSim: AsyncParsableCommand {
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

    /// Runs the command, mapping every usage and configuration error to exit code 2. The commands that serve
    /// or run (serve, exec, receive, run, replay, load) are `AsyncParsableCommand`s; the others are plain.
    static func main() async {
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
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
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

/// Why a server of ours could not listen, from the socket error's errno (SwiftNIO's `IOError`), in words:
/// a port in use says which and what to do, without `bind(descriptor:ptr:bytes:)`.
enum ListenFailure {
    case portInUse, permissionDenied, notAnAddress

    /// The reason `error` names, or nil when it is not a listening socket's errno.
    init?(_ error: any Error) {
        guard let error = error as? IOError else { return nil }
        switch error.errnoCode {
        case EADDRINUSE: self = .portInUse
        case EACCES: self = .permissionDenied
        case EADDRNOTAVAIL: self = .notAnAddress
        default: return nil
        }
    }

    func message(host: String, port: Int, option: String, what: String = "listen") -> String {
        let place = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        switch self {
        case .portInUse:
            return "cannot \(what) on \(place): the port is in use (another program, or another sigfox-sim, "
                + "listens there); choose another with \(option) PORT (\(option) 0 picks a free one)"
        case .permissionDenied:
            return "cannot \(what) on \(place): permission denied (ports below 1024 need root); choose another "
                + "with \(option) PORT"
        case .notAnAddress:
            return "cannot \(what) on \(place): \(host) is not an address of this machine (try 127.0.0.1)"
        }
    }
}

/// Why a server of ours could not listen, in words (``ListenFailure``), or the error as it came.
func listenFailure(_ error: any Error, host: String, port: Int, option: String, what: String = "listen") -> String {
    if let reason = ListenFailure(error) { return reason.message(host: host, port: port, option: option, what: what) }
    let place = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
    return "cannot \(what) on \(place): \(error)"
}

/// A failure with its own message and exit code: 2 for bad input, 1 for a failed check.
struct CommandFailure: Error {
    var message: String
    var code: Int32

    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 2) }
}

/// Writes warnings so they never mix with the command's output.
func printWarning(_ text: String) {
    FileHandle.standardError.write(Data("sigfox-sim: warning: \(text)\n".utf8))
}
