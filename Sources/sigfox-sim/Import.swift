import ArgumentParser
import Foundation
import SigfoxModel
import SigfoxScenario

extension SigfoxSim {
    /// `sigfox-sim import callbacks|messages FILE`: scenario YAML from what the Sigfox API v2 returned.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn Sigfox API v2 JSON (callbacks, messages) into a scenario that `run` plays.",
            discussion: """
                Example: a device's messages and its device type's callbacks, fetched from the API, played \
                locally against the embedded receiver:
                  sigfox-sim import messages messages.json --callbacks callbacks.json --receiver -o replay.yaml
                  sigfox-sim run replay.yaml

                Exit codes: 0 the scenario was written, 2 bad usage or a malformed file (file:line:column and \
                the field).
                """,
            subcommands: [Callbacks.self, Messages.self]
        )

        /// Options both imports share.
        struct Common: ParsableArguments {
            @Option(
                name: .shortAndLong,
                help: ArgumentHelp(
                    "Write the scenario here instead of standard output.",
                    valueName: "file"
                )
            )
            var output: String?

            @Option(
                name: .customLong("device-type-id"),
                help: ArgumentHelp(
                    "The device type's id (24 hex digits; it renders as {deviceTypeId}).",
                    valueName: "id"
                )
            )
            var deviceTypeID: String?

            @Option(
                name: .customLong("device-type-name"),
                help: ArgumentHelp("The device type's name (it renders as {deviceTypeName}).", valueName: "name")
            )
            var deviceTypeName = "imported"

            func validate() throws {
                if let deviceTypeID, DeviceTypeID(deviceTypeID) == nil {
                    throw ValidationError("--device-type-id must be 24 hex digits, not '\(deviceTypeID)'")
                }
                if deviceTypeName.isEmpty { throw ValidationError("--device-type-name must not be empty") }
            }

            /// Checks that the scenario loads, then writes it.
            func write(_ scenario: ScenarioImport, callbacks: CallbackImport?) throws {
                for warning in callbacks?.warnings ?? [] { printWarning(warning.description) }
                defer {
                    // What could not load is named; the rest is written, and the command exits 1.
                    if let skipped = callbacks?.skipped, !skipped.isEmpty {
                        for error in skipped { printWarning("left out: \(error.description)") }
                    }
                }
                let yaml = scenario.yaml
                do {
                    _ = try Scenario.parse(yaml, file: output ?? "imported.yaml")
                } catch {
                    throw CommandFailure.usage("the imported scenario does not load: \(error.description)")
                }
                guard let output else {
                    FileHandle.standardOutput.write(Data(yaml.utf8))
                    return
                }
                do {
                    try yaml.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    throw CommandFailure.usage("cannot write \(output): \(error.localizedDescription)")
                }
            }
        }

        /// Exit 1 when callbacks were left out (the scenario of the others was written).
        static func failIfSkipped(_ callbacks: CallbackImport?) throws {
            guard let skipped = callbacks?.skipped, !skipped.isEmpty else { return }
            throw CommandFailure(
                message: "\(skipped.count) callback\(skipped.count == 1 ? " was" : "s were") left out (named above); "
                    + "the scenario holds the \(callbacks?.definitions.count ?? 0) others",
                code: 1
            )
        }

        static var commandText: String {
            (["sigfox-sim"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        }

        struct Callbacks: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A scenario with the callbacks of GET /v2/device-types/{id}/callbacks.",
                discussion: """
                    FILE is the JSON the API returned ({"data": [...]}) or a bare list of callback objects. The \
                    callbacks are kept as API v2 objects in one device type; an example device and uplink make \
                    the scenario run. With --receiver each callback URL's scheme, host and port become \
                    {receiver} and the scenario gets `receiver: embedded`, so it runs locally at once.

                    Example:
                      sigfox-sim import callbacks callbacks.json --receiver --output imported.yaml
                      sigfox-sim run imported.yaml
                    """
            )

            @Argument(help: ArgumentHelp("The API's answer (JSON; '-' reads standard input).", valueName: "file"))
            var file: String

            @Flag(help: "Send every callback to the embedded receiver ({receiver}) instead of its own host.")
            var receiver = false

            @OptionGroup var common: Common

            func run() throws {
                let callbacks: CallbackImport
                do {
                    callbacks = try CallbackImport.load(path: file, toReceiver: receiver)
                } catch {
                    throw CommandFailure.usage(error.description)
                }
                let scenario = ScenarioImport(
                    callbacks: callbacks,
                    messages: nil,
                    command: Import.commandText,
                    deviceTypeID: common.deviceTypeID.flatMap(DeviceTypeID.init),
                    deviceTypeName: common.deviceTypeName
                )
                try common.write(scenario, callbacks: callbacks)
                try Import.failIfSkipped(callbacks)
            }
        }

        struct Messages: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A scenario that sends the messages of GET /v2/devices/{id}/messages again.",
                discussion: """
                    FILE is the JSON the API returned ({"data": [...]}) or a bare list of messages, of one \
                    device or several. Each message becomes an uplink at its recorded time (the scenario starts \
                    at the first), each device a device of one device type starting at its first sequence \
                    number, and the stations of the receptions (rinfos) base stations, placed where the API \
                    says or where the recorded RSSI puts them. --callbacks adds the device type's callbacks \
                    (the JSON of GET /v2/device-types/{id}/callbacks).

                    Example:
                      sigfox-sim import messages messages.json --callbacks callbacks.json --receiver -o replay.yaml
                      sigfox-sim run replay.yaml
                    """
            )

            @Argument(help: ArgumentHelp("The API's answer (JSON; '-' reads standard input).", valueName: "file"))
            var file: String

            @Option(
                help: ArgumentHelp(
                    "The device type's callbacks, as `import callbacks` reads them.",
                    valueName: "file"
                )
            )
            var callbacks: String?

            @Flag(help: "Send every callback to the embedded receiver ({receiver}) instead of its own host.")
            var receiver = false

            @OptionGroup var common: Common

            func validate() throws {
                if receiver && callbacks == nil { throw ValidationError("--receiver needs --callbacks FILE") }
                if file == "-" && callbacks == "-" {
                    throw ValidationError("the messages and --callbacks cannot both read standard input")
                }
            }

            func run() throws {
                let messages: MessageImport
                var callbackImport: CallbackImport?
                do {
                    messages = try MessageImport.load(path: file)
                    if let callbacks { callbackImport = try CallbackImport.load(path: callbacks, toReceiver: receiver) }
                } catch {
                    throw CommandFailure.usage(error.description)
                }
                let scenario = ScenarioImport(
                    callbacks: callbackImport,
                    messages: messages,
                    command: Import.commandText,
                    deviceTypeID: common.deviceTypeID.flatMap(DeviceTypeID.init),
                    deviceTypeName: common.deviceTypeName
                )
                try common.write(scenario, callbacks: callbackImport)
                try Import.failIfSkipped(callbackImport)
            }
        }
    }
}
