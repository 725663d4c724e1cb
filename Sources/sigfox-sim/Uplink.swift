import ArgumentParser
import Foundation
import SigfoxCloud
import SigfoxModel
import SigfoxScenario
import Synchronization

extension SigfoxSim {
    /// `sigfox-sim uplink DEVICE PAYLOAD`: sends one uplink to a running `serve`, and with `--wait` follows
    /// the callbacks it fired until each was delivered or failed for good (the Stripe CLI's `trigger`).
    struct Uplink: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one uplink to a running `sigfox-sim serve`, and with --wait follow its callbacks.",
            discussion: """
                Examples:
                  sigfox-sim uplink 2C30EA ff3842
                  sigfox-sim uplink 2C30EA 0102 --ack --wait

                With --wait every try of every callback the uplink fired is printed as it ends (DATA at \
                once, DATA_ADVANCED 25 s later, retries 1, 2 and 4 minutes after failures). Exit codes: \
                0 sent (with --wait: every callback delivered), 1 a callback failed for good or the wait \
                timed out, 2 bad usage, an unknown device, or no server.
                """
        )

        @Argument(help: ArgumentHelp("The device id (hex, e.g. 2C30EA).", valueName: "device"))
        var device: String

        @Argument(
            help: ArgumentHelp("The payload, 0 to 12 bytes of hex (e.g. ff3842; \"\" for none).", valueName: "payload")
        )
        var payload: String

        @Flag(help: "The device asks for a downlink (BIDIR).")
        var ack = false

        @OptionGroup var server: ServerOption

        @Flag(help: "Wait until every callback the uplink fired was delivered or failed for good.")
        var wait = false

        @Option(
            parsing: .unconditional,
            help: ArgumentHelp(
                "Give up waiting after this long (with --wait); default: what the callbacks can take in the "
                    + "server's time mode (DATA_ADVANCED's 25 s, the retry ladder and four 10 s deadlines: 8m40s "
                    + "in real time, 1m03s under scaled:60).",
                valueName: "duration"
            )
        )
        var timeout: String?

        @Flag(help: "Print the answer and each try as JSON lines.")
        var json = false

        func validate() throws {
            guard DeviceID(hex: device) != nil else {
                throw ValidationError("the device must be a hex id of up to 8 digits (e.g. 2C30EA), not '\(device)'")
            }
            guard (try? Hex.bytes(from: payload)).map({ $0.count <= 12 }) == true else {
                throw ValidationError(
                    "the payload must be 0 to 12 bytes of hex digits in pairs (e.g. ff3842), not '\(payload)'"
                )
            }
            if let timeout, (ScenarioTime.duration(timeout)?.milliseconds ?? 0) <= 0 {
                throw ValidationError("--timeout must be a positive duration such as 90s or 10m, not '\(timeout)'")
            }
        }

        func run() throws {
            let client = try server.client()
            let id = DeviceID(hex: device)!.description
            let body = "{\"payload\":\(JSONText.quoted(payload.lowercased())),\"ack\":\(ack)}"
            let path = "/sim/devices/\(id)/uplinks"
            guard wait else {
                let answer = try post(client, path, body)
                print(json ? answer : Self.describe(answer))
                return
            }
            let milliseconds = try timeout.flatMap(ScenarioTime.duration)?.milliseconds ?? defaultTimeout(client)
            let seconds = Int((milliseconds + 999) / 1000)
            let shownTimeout = timeout ?? "\(seconds)s"
            let tracker = WaitTracker(
                colour: json
                    ? .off
                    : TerminalColour(fileDescriptor: STDOUT_FILENO, environment: ProcessInfo.processInfo.environment)
            )
            do {
                try client.events("/sim/events?types=attempt", timeoutSeconds: seconds) {
                    let answer = try post(client, path, body)
                    print(json ? answer : Self.describe(answer))
                    if let receipt = try? JSONParser.parse(answer), receipt["lost"]?.scalarText == "true" {
                        let why = receipt["explanation"]?.scalarText.map { " (\($0))" } ?? ""
                        throw CommandFailure(
                            message: "the uplink was lost: no base station heard it\(why), so no callback fires",
                            code: 1
                        )
                    }
                    tracker.start(receipt: answer)
                } onEvent: { _, data in
                    guard let line = tracker.take(data) else { return !tracker.done }
                    print(json ? data : line)
                    return !tracker.done
                }
            } catch let error as CommandFailure {
                throw error
            } catch let error as ServeClient.ClientError where error.description.contains("timed out") {
                throw CommandFailure(
                    message: "gave up after \(shownTimeout): \(tracker.remaining) not finished",
                    code: 1
                )
            } catch {
                throw CommandFailure.usage("\(error)")
            }
            guard tracker.done else {
                throw CommandFailure(message: "the event stream ended before every callback finished", code: 1)
            }
            if tracker.failed > 0 {
                throw CommandFailure(
                    message: "\(tracker.failed) of \(tracker.expected) callbacks not delivered",
                    code: 1
                )
            }
        }

        /// How long the callbacks of one uplink can take on this server: DATA_ADVANCED (25 s) or
        /// ACKNOWLEDGE (35 s) after the first reception, then three retries 1, 2 and 4 minutes after their
        /// failures (SIGFOX.md section 4), scaled by the server's time mode; four 10 s deadlines and a margin,
        /// which stay real.
        private func defaultTimeout(_ client: ServeClient) throws -> Int64 {
            let health: ServeClient.Answer
            do {
                health = try client.request("GET", "/health", timeoutSeconds: 10)
            } catch {
                throw CommandFailure.usage(error.description)
            }
            let mode = (try? JSONParser.parse(health.body))?["time"]?.scalarText.flatMap(ScenarioTime.mode) ?? .real
            let simulated: Double = (35 + 7 * 60 + 10) * 1000
            let real: Double = (4 * 10 + 15) * 1000
            if case .scaled(let factor) = mode { return Int64(simulated / factor + real) }
            return Int64(simulated + real)
        }

        private func post(_ client: ServeClient, _ path: String, _ body: String) throws -> String {
            let answer: ServeClient.Answer
            do {
                answer = try client.request("POST", path, body: body)
            } catch {
                throw CommandFailure.usage(error.description)
            }
            guard answer.status == 201 else {
                let message = (try? JSONParser.parse(answer.body))?["message"]?.scalarText ?? answer.body
                throw CommandFailure.usage("the server refused the uplink (\(answer.status)): \(message)")
            }
            return answer.body
        }

        /// `1 station`, `3 stations`.
        static func stations(_ count: String?) -> String {
            guard let count else { return "? stations" }
            return count == "1" ? "1 station" : "\(count) stations"
        }

        static func describe(_ receipt: String) -> String {
            guard let node = try? JSONParser.parse(receipt) else { return receipt }
            if node["lost"]?.scalarText == "true" {
                return
                    "uplink sent (sequence number \(node["seqNumber"]?.scalarText ?? "?")): no station heard it, lost"
                    + (node["explanation"]?.scalarText.map { ": \($0)" } ?? "")
            }
            let time =
                node["time"]?.scalarText.flatMap(Int64.init).map { UTCDateTime(epochMilliseconds: $0).sigfoxText }
                ?? "?"
            let callbacks = node["callbacks"]?.items.compactMap(\.scalarText) ?? []
            return "message \(node["id"]?.scalarText ?? "?"): device \(node["device"]?.scalarText ?? "?"), sequence "
                + "number \(node["seqNumber"]?.scalarText ?? "?"), first reception \(time) UTC, heard by "
                + Self.stations(node["stations"]?.scalarText) + " (\(node["lqi"]?.scalarText ?? "?")); fires "
                + (callbacks.isEmpty ? "no callback" : callbacks.joined(separator: ", "))
        }
    }
}

/// What `uplink --wait` has seen of the callbacks its uplink fired.
final class WaitTracker: Sendable {
    private struct State {
        var device = ""
        var time = ""
        var callbacks: [String] = []
        var finished: [String: String] = [:]
        var started = false
    }

    private let state = Mutex(State())
    private let colour: TerminalColour

    init(colour: TerminalColour = .off) { self.colour = colour }

    func start(receipt: String) {
        guard let node = try? JSONParser.parse(receipt) else { return }
        state.withLock { state in
            state.device = node["device"]?.scalarText ?? ""
            state.time = node["time"]?.scalarText ?? ""
            state.callbacks = node["callbacks"]?.items.compactMap(\.scalarText) ?? []
            state.started = true
        }
    }

    var expected: Int { state.withLock { $0.callbacks.count } }
    var done: Bool { state.withLock { $0.started && $0.finished.count >= $0.callbacks.count } }
    var failed: Int { state.withLock { $0.finished.values.filter { $0 != "delivered" }.count } }
    var remaining: String {
        state.withLock { state in state.callbacks.filter { state.finished[$0] == nil }.joined(separator: ", ") }
    }

    /// The line to print for an attempt event of this uplink, or nil for another's.
    func take(_ data: String) -> String? {
        guard let node = try? JSONParser.parse(data) else { return nil }
        return state.withLock { state -> String? in
            guard state.started, node["device"]?.scalarText == state.device,
                node["messageTime"]?.scalarText == state.time, let callback = node["callback"]?.scalarText
            else { return nil }
            let outcome = node["outcome"]?.scalarText ?? "?"
            let service = node["service"]?.scalarText ?? ""
            let attempt = node["attempt"]?.scalarText ?? "?"
            let status = node["status"]?.scalarText ?? ""
            let message = node["message"]?.scalarText ?? ""
            let latency = node["latencyMs"]?.scalarText.map { " in \($0) ms" } ?? ""
            var line = "  \(callback) (\(service)) try \(attempt): "
            switch outcome {
            case "delivered":
                line += colour.green("✓ delivered, \(status) \(message)") + latency
            case "retry":
                let next =
                    node["nextTry"]?.scalarText.flatMap(Int64.init)
                    .map { UTCDateTime(epochMilliseconds: $0).sigfoxText } ?? "?"
                line += colour.yellow("↻ \(status) \(message)") + "\(latency); next try at \(next) UTC"
            default:
                line += colour.red("✗ \(outcome), \(status) \(message)") + latency
            }
            if outcome != "retry", state.callbacks.contains(callback) { state.finished[callback] = outcome }
            return line
        }
    }
}
