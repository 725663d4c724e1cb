import SigfoxModel
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AttemptRecord {
    /// The try as one JSON object on one line (JSON Lines).
    ///
    /// Fields: `time` (when the try was due, simulation epoch ms), `delivery`, `callback`, `service`,
    /// `channel`, `attempt`, `devices`, `overLimit` (only when a message it carries is past the daily limit:
    /// `true`), `request` (or `null` when it could not be rendered), `status`,
    /// `message`, `response` (the start of the answer), `outcome` (`delivered`, `retry`, `failed`,
    /// `cancelled`), `nextTry` (ms or null) and, last, `latencyMs`, the only field that differs between
    /// two runs of the same scenario.
    public var jsonLine: String {
        var fields = [String]()
        fields.append("\"time\":\(scheduledAt.milliseconds)")
        fields.append("\"delivery\":\(delivery)")
        fields.append("\"callback\":" + JSONText.quoted(callback.description))
        fields.append("\"service\":" + JSONText.quoted(callback.service.rawValue))
        fields.append("\"channel\":" + JSONText.quoted(callback.channel.rawValue))
        fields.append("\"attempt\":\(attempt)")
        fields.append(
            "\"devices\":[" + messages.map { JSONText.quoted($0.device.description) }.joined(separator: ",") + "]"
        )
        if messages.contains(where: \.isOverLimit) { fields.append("\"overLimit\":true") }
        fields.append("\"request\":" + (request?.json ?? "null"))
        fields.append("\"status\":\(status)")
        fields.append("\"message\":" + JSONText.quoted(message))
        fields.append("\"response\":" + JSONText.quoted(responseExcerpt))
        fields.append("\"outcome\":" + JSONText.quoted(outcome.name))
        if case .retrying(let next) = outcome {
            fields.append("\"nextTry\":\(next.milliseconds)")
        } else {
            fields.append("\"nextTry\":null")
        }
        if let requestHeaders { fields.append("\"requestHeaders\":" + JSONText.quoted(requestHeaders)) }
        if let responseHeaders { fields.append("\"responseHeaders\":" + JSONText.quoted(responseHeaders)) }
        fields.append("\"latencyMs\":" + (latencyMilliseconds.map { VariableValue.twoDecimals($0) } ?? "null"))
        // When the try really went out, if later than it was due (`time`): the in-flight cap was full. After
        // `latencyMs`, so golden journals leave it out with the latency.
        if let sentAt, sentAt != scheduledAt { fields.append("\"sentAt\":\(sentAt.milliseconds)") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The entries of the list of callbacks not delivered for this failed try, one per message, in the
    /// shape of the API v2 `errorMessages` items (SIGFOX.md section 4): `deviceId`, `deviceTypeId`,
    /// `time` (ms), `data`, `status`, `message`, `callback` and `parameters` (every variable used).
    public var notDeliveredEntries: [String] {
        guard !succeeded else { return [] }
        return messages.map { carried in
            var fields = [String]()
            fields.append("\"deviceId\":" + JSONText.quoted(carried.device.description))
            fields.append("\"deviceTypeId\":" + JSONText.quoted(carried.deviceType.description))
            fields.append("\"time\":\(carried.time.milliseconds)")
            fields.append("\"data\":" + (carried.bindings[.data].map { JSONText.quoted($0.renderedText) } ?? "null"))
            fields.append("\"status\":\(status)")
            fields.append("\"message\":" + JSONText.quoted(message))
            fields.append("\"callback\":" + callbackObject)
            let parameters = carried.bindings.boundVariables.map {
                JSONText.quoted($0.0.rawValue) + ":" + JSONText.quoted($0.1.renderedText)
            }
            fields.append("\"parameters\":{" + parameters.joined(separator: ",") + "}")
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    private var callbackObject: String {
        switch request {
        case .http(let http)?:
            let headers = http.headers.map { JSONText.quoted($0.name) + ":" + JSONText.quoted($0.value) }
            return "{\"url\":\(JSONText.quoted(http.url)),\"headers\":{\(headers.joined(separator: ","))},"
                + "\"body\":\(http.body.map(JSONText.quoted) ?? "null"),"
                + "\"contentType\":\(http.header("Content-Type").map(JSONText.quoted) ?? "null"),"
                + "\"method\":\(JSONText.quoted(http.method.rawValue)),\"error\":\(JSONText.quoted(message))}"
        case .email(let mail)?:
            return "{\"subject\":\(JSONText.quoted(mail.subject)),\"message\":\(JSONText.quoted(mail.body))}"
        case nil:
            return "{\"error\":\(JSONText.quoted(message))}"
        }
    }
}

/// Appends JSON lines to a file and flushes each one, so a crash loses nothing already written.
public final class JournalWriter: Sendable {
    private let file: Mutex<UnsafeMutablePointer<FILE>?>
    public let path: String

    /// Opens (creates or truncates) the file at `path`.
    public init(path: String) throws(JournalError) {
        self.path = path
        guard let handle = fopen(path, "w") else {
            throw JournalError(path: path, message: String(cString: strerror(errno)))
        }
        file = Mutex(handle)
    }

    /// Writes one line and flushes it.
    public func write(_ line: String) {
        file.withLock { file in
            guard let file else { return }
            fputs(line, file)
            fputs("\n", file)
            fflush(file)
        }
    }

    /// Closes the file; later writes are dropped.
    public func close() {
        file.withLock { file in
            if let open = file { fclose(open) }
            file = nil
        }
    }

    deinit { close() }
}

/// The journal could not be opened.
public struct JournalError: Error, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "cannot write the journal \(path): \(message)" }
}
