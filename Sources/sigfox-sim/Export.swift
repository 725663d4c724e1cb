import ArgumentParser
import Foundation
import SigfoxCloud
import SigfoxModel
import SigfoxScenario

extension SigfoxSim {
    /// `sigfox-sim export`: what a running `serve` holds, as a scenario file that `run` and `serve` accept.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a running `sigfox-sim serve`'s configuration as a scenario file.",
            discussion: """
                The base stations, device types with their callbacks, devices, receiver and network settings \
                as they are now (changes made through the control API or the Sigfox API v2 included), as a \
                scenario (GET /sim/scenario): JSON, or YAML when the file ends in .yaml or .yml. `run` plays \
                it; `serve` starts from it. With --messages the session's traffic comes too: every message as \
                a recorded uplink (the stations that heard it, their RSSI and SNR, its sequence number) at its \
                time, and what the session saw as expectations (the messages, each callback's delivered \
                tries, the ledger), so `run` replays the session in CI. To send a scenario's callbacks to the \
                real cloud, `sigfox-sim render --callback FILE --format api-v2` writes them as Sigfox API v2 \
                objects.

                Examples:
                  sigfox-sim export > tested.json
                  sigfox-sim export --output tested.yaml
                  sigfox-sim export --messages --output session.yaml
                  sigfox-sim run session.yaml --junit report.xml

                Exit codes: 0 written, 2 no server there or the file could not be written.
                """
        )

        @OptionGroup var server: ServerOption

        @Option(
            name: [.short, .long],
            help: ArgumentHelp(
                "Write to this file instead of standard output (YAML when it ends in .yaml or .yml).",
                valueName: "file"
            )
        )
        var output: String?

        @Flag(help: "Add the session's messages as traffic and what it saw as expectations, for `run` to replay.")
        var messages = false

        func run() throws {
            let client = try server.client()
            var text = try get(client, "/sim/scenario")
            if messages {
                let document = try parse(text, "/sim/scenario")
                let scenario = SessionExport.scenario(
                    document: document,
                    messages: try listing(client, "/sim/messages"),
                    attempts: try listing(client, "/sim/attempts")
                )
                text = scenario.jsonText + "\n"
            }
            if let output, output.hasSuffix(".yaml") || output.hasSuffix(".yml") {
                text = ScenarioYAML.text(
                    try parse(text, "/sim/scenario"),
                    comment: [
                        "Exported from sigfox-sim serve at \(server.url)"
                            + (messages ? ", with the session's messages and what it saw." : "."),
                        "Replay it: sigfox-sim run \((output as NSString).lastPathComponent)",
                    ]
                )
            }
            guard let output else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure.usage("cannot write \(output): \(error.localizedDescription)")
            }
            FileHandle.standardError.write(Data("sigfox-sim: wrote \(output)\n".utf8))
        }

        private func get(_ client: ServeClient, _ path: String) throws -> String {
            let answer: ServeClient.Answer
            do {
                answer = try client.request("GET", path)
            } catch {
                throw CommandFailure.usage(error.description)
            }
            guard answer.status == 200 else {
                throw CommandFailure.usage("GET \(server.url)\(path) answered \(answer.status): \(answer.body)")
            }
            return answer.body
        }

        private func parse(_ text: String, _ path: String) throws -> ConfigNode {
            do {
                return try JSONParser.parse(text)
            } catch {
                throw CommandFailure.usage("GET \(server.url)\(path) did not answer JSON: \(error)")
            }
        }

        /// Every row of a listing, page by page (1,000 a page).
        private func listing(_ client: ServeClient, _ path: String) throws -> [ConfigNode] {
            var rows = [ConfigNode]()
            var next: String? = path + "?limit=1000"
            while let page = next {
                let node = try parse(try get(client, page), path)
                rows += node["data"]?.items ?? []
                next = node["paging"]?["next"]?.scalarText
            }
            return rows
        }
    }
}
