import ArgumentParser
import Foundation
import SigfoxCloud

extension SigfoxSim {
    /// `sigfox-sim export`: what a running `serve` holds, as a scenario file that `run` and `serve` accept.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a running `sigfox-sim serve`'s configuration as a scenario file.",
            discussion: """
                The base stations, device types with their callbacks, devices, receiver and network settings \
                as they are now (changes made through the control API or the Sigfox API v2 included), as a \
                JSON scenario (GET /sim/scenario). `run` plays it; `serve` starts from it. To send a \
                scenario's callbacks to the real cloud, `sigfox-sim render --callback FILE --format api-v2` \
                writes them as Sigfox API v2 objects.

                Examples:
                  sigfox-sim export > tested.json
                  sigfox-sim export --server http://127.0.0.1:9000 --output tested.json

                Exit codes: 0 written, 2 no server there or the file could not be written.
                """
        )

        @OptionGroup var server: ServerOption

        @Option(
            name: [.short, .long],
            help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")
        )
        var output: String?

        func run() throws {
            let client = try server.client()
            let answer: ServeClient.Answer
            do {
                answer = try client.request("GET", "/sim/scenario")
            } catch {
                throw CommandFailure.usage(error.description)
            }
            guard answer.status == 200 else {
                throw CommandFailure.usage("GET \(server.url)/sim/scenario answered \(answer.status): \(answer.body)")
            }
            guard let output else {
                FileHandle.standardOutput.write(Data(answer.body.utf8))
                return
            }
            do {
                try answer.body.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure.usage("cannot write \(output): \(error.localizedDescription)")
            }
            FileHandle.standardError.write(Data("sigfox-sim: wrote \(output)\n".utf8))
        }
    }
}
