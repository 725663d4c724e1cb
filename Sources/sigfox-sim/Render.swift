import ArgumentParser
import SigfoxModel
import SigfoxScenario

extension SigfoxSim {
    /// `sigfox-sim render`: the exact request a callback sends for a message, before deploying it.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the exact request (or e-mail) a callback would send for a message.",
            discussion: """
                CALLBACK FILE (JSON or YAML): one callback, a list of callbacks, or a Sigfox API v2 listing \
                ({"data": [...]}). Each callback is a Sigfox API v2 object (callbackType, callbackSubtype, \
                channel, url, httpMethod, headers, contentType, bodyTemplate, ...) or the readable form \
                (service: DATA/UPLINK, url, method, headers, contentType, body, ...).

                MESSAGE FILE (JSON or YAML): the variables' values, e.g.
                  {"device": "2C30EA", "time": 1700000000, "data": "0102", "seqNumber": 12}
                A list of messages renders one request per message, or one batch for a BATCH_URL callback.
                Variables the message does not give render as null.

                --format api-v2 prints each callback as a Sigfox API v2 object instead (one a line, no \
                --message needed), ready to POST to /v2/device-types/{id}/callbacks of the real cloud or of \
                `sigfox-sim serve`:
                  sigfox-sim render --callback callbacks.yaml --format api-v2

                Examples (files in Scenarios/callbacks/; a scenario's deviceTypes[].callbacks take the same \
                callback objects, see docs/scenario-format.md and docs/commands.md):
                  sigfox-sim render --callback Scenarios/callbacks/uplink-readable.yaml \\
                    --message Scenarios/callbacks/message.json
                  sigfox-sim render --callback Scenarios/callbacks/uplink-api-v2.json \\
                    --message Scenarios/callbacks/message.json --format json
                  sigfox-sim render --callback - --message m.json < my-callback.yaml

                Exit code 1 when a request would not be sent (a JSON body that is not valid JSON after \
                rendering); 2 when a file is malformed.
                """
        )

        @Option(name: .long, help: "The callback file (JSON or YAML; '-' reads standard input).")
        var callback: String

        @Option(name: .long, help: "The message file (JSON or YAML); not with --format api-v2.")
        var message: String?

        @Option(
            help: """
                Output format: text (the request as it goes on the wire, for people), json (one object a line), \
                or api-v2 (the callbacks themselves as Sigfox API v2 objects).
                """
        )
        var format: OutputFormat = .text

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, json
            case apiV2 = "api-v2"
        }

        func validate() throws {
            if format == .apiV2 {
                guard message == nil else {
                    throw ValidationError("--format api-v2 prints the callbacks: leave out --message")
                }
                return
            }
            guard message != nil else { throw ValidationError("Missing expected argument '--message <message>'") }
            if callback == "-" && message == "-" {
                throw ValidationError("--callback and --message cannot both read standard input")
            }
        }

        func run() throws {
            let callbacks: [CallbackDefinition]
            let messageNodes: [ConfigNode]
            if format == .apiV2 {
                do throws(ConfigError) {
                    let definitions = try CallbackFile.load(path: callback)
                    if let event = definitions.firstIndex(where: { $0.service == .event }) {
                        throw ConfigError(
                            file: callback,
                            location: nil,
                            path: definitions.count > 1 ? "[\(event)]" : "",
                            message: "an EVENT callback has no Sigfox API v2 callback object: the real cloud takes "
                                + "it in its event configuration (SIGFOX.md section 8)"
                        )
                    }
                    for definition in definitions { print(definition.apiV2JSON()) }
                } catch {
                    throw CommandFailure.usage(error.description)
                }
                return
            }
            let message = self.message ?? ""
            do throws(ConfigError) {
                callbacks = try CallbackFile.load(path: callback)
                let root = try ConfigDocument.load(path: message)
                if case .array(let items) = root.value {
                    messageNodes = items
                } else {
                    messageNodes = [root]
                }
                guard !messageNodes.isEmpty else {
                    throw ConfigError(
                        file: message,
                        location: root.location,
                        path: "",
                        message: "the list of messages is empty"
                    )
                }
            } catch {
                throw CommandFailure.usage(error.description)
            }
            for definition in callbacks {
                for warning in definition.warnings { printWarning(warning.inFile(callback).description) }
            }
            var failed = false
            for (index, definition) in callbacks.enumerated() {
                if callbacks.count > 1 && format == .text {
                    if index > 0 { print("") }
                    print(
                        "### callback \(index + 1): \(definition.displayName)\(definition.enabled ? "" : " (disabled)")"
                    )
                }
                var bindings = [VariableBindings]()
                for (position, node) in messageNodes.enumerated() {
                    do throws(ConfigError) {
                        let path = messageNodes.count > 1 ? "[\(position)]" : ""
                        bindings.append(try VariableBindings(from: node, service: definition.service, path: path))
                    } catch {
                        throw CommandFailure.usage(error.inFile(message).description)
                    }
                }
                let groups = definition.channel == .batchURL ? [bindings] : bindings.map { [$0] }
                for (position, group) in groups.enumerated() {
                    if groups.count > 1 && format == .text && position > 0 { print("") }
                    do throws(RenderError) {
                        let rendered =
                            try definition.channel == .batchURL
                            ? definition.renderBatch(group) : definition.render(group[0])
                        print(format == .json ? rendered.json : rendered.text)
                    } catch {
                        failed = true
                        if format == .json {
                            print(
                                "{\"error\":\(JSONText.quoted(error.description)),\"rendered\":\(JSONText.quoted(error.rendered))}"
                            )
                        } else {
                            print("# not sent: \(error.description)")
                            print(error.rendered)
                        }
                        printWarning("\(definition.displayName): \(error.description)")
                    }
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
