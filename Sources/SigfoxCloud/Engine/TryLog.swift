import Foundation
import SigfoxModel
import SigfoxScenario

/// `serve`'s log of tries, one line per try as it ends (as `stripe listen` prints each forwarded event):
/// the try's time on the simulation clock, device, callback, method and URL (or e-mail recipient), the
/// answer's status or the error, latency, try number and, after a failure, when the next try is due.
public struct TryLogLine: Decodable, Sendable, Equatable {
    public struct Request: Decodable, Sendable, Equatable {
        public var kind: String
        public var method: String?
        public var url: String?
        public var recipient: String?
    }

    public var device: String
    /// When the try was due, epoch milliseconds on the simulation clock.
    public var time: Int64
    public var callback: String
    public var service: String
    public var attempt: Int
    public var request: Request?
    /// The HTTP status (or SMTP reply code); 0 when no answer came.
    public var status: Int
    /// The reason phrase, or what went wrong (`timeout: ...`, `connection refused`).
    public var message: String
    /// `delivered`, `retry`, `failed` or `cancelled`.
    public var outcome: String
    public var nextTry: Int64?
    public var latencyMs: Double?

    /// The line for an `attempt` event of `/sim/events` (its JSON data), or nil if it is not one.
    public init?(attemptEvent json: String) {
        guard let line = try? JSONDecoder().decode(TryLogLine.self, from: Data(json.utf8)) else { return nil }
        self = line
    }

    /// `2026-12-07 16:20:01  2C30EA  uplink (DATA/UPLINK)  POST http://127.0.0.1:8080/up  200 OK  3.21 ms  try 1`
    public var text: String { text(colour: .off) }

    /// The line, its answer coloured by outcome on a terminal (green delivered, yellow retry, red failed).
    public func text(colour: TerminalColour) -> String {
        var parts = [
            UTCDateTime(epochMilliseconds: time).sigfoxText, device, "\(callback) (\(service))", target,
            colour.outcome(outcome, answer),
        ]
        if let latencyMs { parts.append(VariableValue.twoDecimals(latencyMs) + " ms") }
        var tryText = "try \(attempt)"
        switch outcome {
        case "retry":
            if let nextTry { tryText += ", next try \(UTCDateTime(epochMilliseconds: nextTry).sigfoxText)" }
        case "failed": tryText += ", failed for good"
        case "cancelled": tryText += ", cancelled"
        default: break
        }
        parts.append(tryText)
        return parts.joined(separator: "  ")
    }

    /// The same fields as one JSON object (`--log-format json`).
    public var json: String {
        struct Line: Encodable {
            var time: String
            var device: String
            var callback: String
            var service: String
            var method: String
            var url: String
            var status: Int
            var message: String
            var outcome: String
            var latencyMs: Double?
            var attempt: Int
            var nextTry: String?
        }
        let line = Line(
            time: UTCDateTime(epochMilliseconds: time).iso8601Milliseconds,
            device: device,
            callback: callback,
            service: service,
            method: request?.kind == "email" ? "EMAIL" : request?.method ?? "",
            url: request?.url ?? request?.recipient.map { "mailto:" + $0 } ?? "",
            status: status,
            message: message,
            outcome: outcome,
            latencyMs: latencyMs,
            attempt: attempt,
            nextTry: nextTry.map { UTCDateTime(epochMilliseconds: $0).iso8601Milliseconds }
        )
        return line.sortedJSONLine
    }

    private var target: String {
        guard let request else { return "(nothing sent)" }
        if request.kind == "email" { return "EMAIL " + (request.recipient ?? "") }
        return (request.method ?? "") + " " + (request.url ?? "")
    }

    private var answer: String {
        if status == 0 { return message.isEmpty ? "no answer" : message }
        return message.isEmpty ? "\(status)" : "\(status) \(message)"
    }
}
