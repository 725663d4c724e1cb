import ArgumentParser
import SigfoxModel

extension SigfoxSim {
    /// `sigfox-sim decode`: what a payloadConfig reads from a payload.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode a payload with a Sigfox custom payload configuration (payloadConfig).",
            discussion: """
                Prints the fields in configuration order as a JSON object with typed values (numbers, \
                booleans, strings, null for a field that runs past the end of the payload), or as a table.

                Example:
                  sigfox-sim decode --config 'temp::int:16 hum::uint:8' --data ff3842
                  {"temp":-200,"hum":66}
                """
        )

        @Option(
            name: [.customLong("config"), .customShort("c")],
            help: "The payloadConfig, e.g. 'temp::int:16 hum::uint:8'."
        )
        var config: String

        @Option(name: [.customLong("data"), .customShort("d")], help: "The payload as hex, e.g. ff3842 (any length).")
        var data: String

        @Option(help: "Output format: json (one line, for machines) or table (for people).")
        var format: OutputFormat = .json

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case json, table
        }

        func run() throws {
            let payloadConfig: PayloadConfig
            do {
                payloadConfig = try PayloadConfig(parsing: config)
            } catch {
                throw CommandFailure.usage(error.description)
            }
            let bytes: [UInt8]
            do {
                bytes = try Hex.bytes(from: data.trimmedASCIIWhitespace)
            } catch {
                throw CommandFailure.usage("--data: \(error)")
            }
            let decoded = payloadConfig.decode(bytes)
            switch format {
            case .json:
                let members = decoded.map { JSONText.quoted($0.name) + ":" + ($0.value?.jsonText ?? "null") }
                print("{" + members.joined(separator: ",") + "}")
            case .table:
                print(table(payloadConfig, decoded))
            }
        }

        private func table(_ config: PayloadConfig, _ decoded: [DecodedField]) -> String {
            var rows = [["FIELD", "TYPE", "VALUE"]]
            for (field, value) in zip(config.fields, decoded) {
                let parts = field.text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                let type = parts.count == 3 ? String(parts[2]) : field.text
                rows.append([field.name, type, value.value?.templateText ?? "null"])
            }
            let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
            return rows.map { row in
                zip(row, widths).enumerated().map { index, pair in
                    index == row.count - 1 ? pair.0 : pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
            }.joined(separator: "\n")
        }
    }
}
