import ArgumentParser
import Foundation
import ServiceLifecycle
import SigfoxReceiverModel
import SigfoxServices
import Synchronization

extension SigfoxSim {
    /// `sigfox-sim receive`: the embedded test receiver (HTTP) and SMTP sink, printing what arrives.
    struct Receive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the embedded test receiver (HTTP, and SMTP with --smtp-port), printing each request.",
            discussion: """
                Answers every request by rule, so you can see how a callback endpoint's failures look to \
                the Sigfox Cloud. Default answer: 200 with an empty body. Stop with Ctrl-C, --max-requests \
                or --duration. Each request is printed with the answer it got (a last line "=> answered \
                500 after 2 s"; with --json, an "answer" member).

                ANSWERS (in --sequence; the default: --status, --reset, --hang, --bidir):
                  200..599        that status, empty body
                  reset           close the connection abruptly (TCP RST), no answer
                  hang            never answer: the client's deadline expires
                  redirect[:URL]  302 with Location (default /moved), not followed
                  huge:BYTES      200 with BYTES bytes of body (k, m suffixes), streamed
                  bidir:KIND      a BIDIR answer (below)
                  ANSWER@SECONDS  any answer after a delay: 500@2, 200@250ms

                BIDIR KINDS (--bidir KIND, or bidir:KIND in a sequence):
                  fixed:HEX   200 {"<device>":{"downlinkData":"HEX"}}, HEX 16 digits
                  echo        the request's data as downlink, 0-padded or cut to 16
                  204         204 No Content (no downlink)
                  nodata      200 {"<device>":{"noData":true}}
                  malformed   200 with JSON cut short (INVALID_PAYLOAD)
                  bad-length  200 with 5 bytes of downlinkData (INVALID_PAYLOAD)
                The device is read from a text/plain batch body (first ;- or ,-separated field of each \
                line, one key per device), a JSON body's "device", a form field device, a query parameter \
                device, or a hex last path segment (/bidir/2C30EA), in that order.

                SEQUENCES (--sequence PATH=ANSWER,ANSWER,...; repeatable): the n-th request to PATH gets \
                the n-th answer and the last one repeats. PATH is the path without query; PATH/* matches \
                every path below it.

                EXAMPLES:
                  sigfox-sim receive                 # on http://127.0.0.1:8791
                  sigfox-sim receive --sequence /flaky=500,500,200 --sequence /slow=200@12
                  sigfox-sim receive --bidir fixed:0102030405060708 --json
                  sigfox-sim receive --port 0 --smtp-port 2525 --max-requests 1
                """
        )

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(
            help: ArgumentHelp(
                "HTTP port; 0 picks a free one (printed on start). The default, 8791, stays clear of the 8080s "
                    + "your own server is likely on, and sits beside serve's 8790."
            )
        )
        var port = 8791

        @Option(name: .customLong("smtp-port"), help: "Also run the SMTP sink on this port (0 picks a free one).")
        var smtpPort: Int?

        @Option(
            name: .customLong("smtp-reject"),
            help: ArgumentHelp("Answer 550 to RCPT TO this address (repeatable).", valueName: "address")
        )
        var smtpReject: [String] = []

        @Option(help: "Default answer: this HTTP status (200..599).")
        var status: Int?

        @Option(
            help: ArgumentHelp(
                "An answer sequence for a path, e.g. /flaky=500,500,200 (repeatable).",
                valueName: "path=answers"
            )
        )
        var sequence: [String] = []

        @Option(
            help: ArgumentHelp("Delay before the default answer, in seconds: 1.5, 1.5s or 250ms.", valueName: "seconds")
        )
        var delay: String?

        @Flag(help: "Default answer: reset the connection without answering.")
        var reset = false

        @Flag(help: "Default answer: never answer.")
        var hang = false

        @Option(
            help: ArgumentHelp(
                "Default answer: a BIDIR answer: fixed:HEX, echo, 204, nodata, malformed, bad-length.",
                valueName: "kind"
            )
        )
        var bidir: String?

        @Flag(help: "Print each request and e-mail as one JSON object per line.")
        var json = false

        @Option(name: .customLong("max-requests"), help: "Exit after this many requests and e-mails together.")
        var maxRequests: Int?

        @Option(help: ArgumentHelp("Exit after this many seconds.", valueName: "seconds"))
        var duration: Double?

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0..65535, not \(port)") }
            if let smtpPort, !(0...65535).contains(smtpPort) {
                throw ValidationError("--smtp-port must be 0..65535, not \(smtpPort)")
            }
            if let maxRequests, maxRequests < 1 { throw ValidationError("--max-requests must be at least 1") }
            if let duration, !(duration > 0) {
                throw ValidationError("--duration must be a positive number of seconds")
            }
            if !smtpReject.isEmpty, smtpPort == nil { throw ValidationError("--smtp-reject needs --smtp-port") }
        }

        func run() async throws {
            let rules: ReceiverRules
            do {
                rules = try ReceiverRules(
                    options: ReceiverRuleOptions(
                        status: status,
                        delay: delay,
                        reset: reset,
                        hang: hang,
                        bidir: bidir,
                        sequences: sequence
                    )
                )
            } catch {
                throw CommandFailure.usage(error.description)
            }
            let settings = ReceiveSettings(
                host: host,
                port: port,
                smtpPort: smtpPort,
                smtpRules: SMTPSinkRules(rejectedRecipients: Set(smtpReject)),
                rules: rules,
                json: json,
                maxRequests: maxRequests,
                duration: duration
            )
            try await settings.serve()
        }
    }
}

/// The checked options of `receive`, as a value the async part can take along.
struct ReceiveSettings: Sendable {
    var host: String
    var port: Int
    var smtpPort: Int?
    var smtpRules: SMTPSinkRules
    var rules: ReceiverRules
    var json: Bool
    var maxRequests: Int?
    var duration: Double?

    /// Runs the servers until Ctrl-C, `maxRequests` or `duration`, then stops them cleanly.
    func serve() async throws {
        let stop = StopSignal()
        let received = Atomic<Int>(0)
        let maxRequests = maxRequests
        let count: @Sendable () -> Void = {
            let total = received.add(1, ordering: .relaxed).newValue
            if let maxRequests, total >= maxRequests { stop.fire("--max-requests \(maxRequests) reached") }
        }
        let json = json
        let receiver: EmbeddedReceiver
        do {
            receiver = try await EmbeddedReceiver.start(host: host, port: port, rules: rules, recordLimit: 1000) {
                request,
                answer in
                writeOut(json ? request.jsonLine(answer: answer) + "\n" : request.readableText(answer: answer) + "\n")
                count()
            }
        } catch {
            throw CommandFailure.usage(listenFailure(error, host: host, port: port, option: "--port"))
        }
        var sink: SMTPSink?
        if let smtpPort {
            do {
                sink = try await SMTPSink.start(host: host, port: smtpPort, rules: smtpRules, recordLimit: 1000) {
                    writeOut(json ? $0.jsonLine + "\n" : $0.readableText + "\n")
                    count()
                }
            } catch {
                try? await receiver.shutdown()
                throw CommandFailure.usage(
                    listenFailure(error, host: host, port: smtpPort, option: "--smtp-port", what: "listen for SMTP")
                )
            }
        }
        if let duration {
            Task {
                try? await Task.sleep(for: .seconds(duration))
                stop.fire("\(duration) s passed")
            }
        }
        // The receivers stop after the first reason: a signal (the group's graceful shutdown), the request
        // count, or the duration (the watcher's end shuts the group down).
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: receiver)]
        if let sink { services.append(.init(service: sink)) }
        services.append(.init(service: StopWatcher(stop: stop), successTerminationBehavior: .gracefullyShutdownGroup))
        try await SignalledServices.run(services) {
            // Said once Ctrl-C and SIGTERM are taken, on standard error: standard output carries only what
            // arrives (one JSON object a line with --json).
            writeErr("listening on \(receiver.baseURL)\n")
            if let sink { writeErr("smtp listening on smtp://\(host):\(sink.port)\n") }
        } onSignal: { signal, _ in
            stop.fire(signal == .sigint ? "interrupted" : "terminated")
        }
        FileHandle.standardError.write(Data("sigfox-sim: stopped: \(await stop.reason())\n".utf8))
    }
}

/// The first reason to stop, fired from any thread, awaited by any number of tasks.
private final class StopSignal: Sendable {
    private let state = Mutex<(reason: String?, waiters: [CheckedContinuation<String, Never>])>((nil, []))

    func fire(_ reason: String) {
        let waiters = state.withLock { state in
            guard state.reason == nil else { return [CheckedContinuation<String, Never>]() }
            state.reason = reason
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    func reason() async -> String {
        await withCheckedContinuation { continuation in
            let reason = state.withLock { state in
                if state.reason == nil { state.waiters.append(continuation) }
                return state.reason
            }
            if let reason { continuation.resume(returning: reason) }
        }
    }
}

/// Ends when the first reason to stop comes, which shuts `receive`'s group down; a shutdown of the group
/// from elsewhere is a reason too.
private struct StopWatcher: Service {
    let stop: StopSignal

    func run() async throws {
        await withGracefulShutdownHandler {
            _ = await stop.reason()
        } onGracefulShutdown: { [stop] in
            stop.fire("stopped")
        }
    }
}

/// Writes straight to standard output, unbuffered, so each request shows as it arrives even in a pipe.
private func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Writes to standard error (the banner), so `receive --json | jq` sees only JSON.
private func writeErr(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
