import Foundation
import SigfoxModel

/// One try read back from a journal (the JSON Lines `sigfox-sim run --journal` writes, one object per
/// try; see `AttemptRecord.jsonLine`).
public struct JournalEntry: Sendable, Equatable {
    /// What the try sent.
    public enum Request: Sendable, Equatable {
        case http(HTTPRequest)
        /// An e-mail: replay does not send those.
        case email
        /// `request: null`: the try could not be rendered (a JSON body that is not JSON), nothing was sent.
        case notRendered
    }

    /// 1-based line of the journal file.
    public var line: Int
    /// When the try was due, simulation epoch milliseconds.
    public var time: Int64
    public var callback: String
    /// `DATA/BIDIR`, `SERVICE/DATA_ADVANCED`, ...
    public var service: String
    public var attempt: Int?
    public var request: Request
    /// The recorded HTTP status, or 600 for failures that are not HTTP statuses.
    public var status: Int
    /// `OK`, `HTTP 500`, `Connection refused (...)`, `Timeout: no answer within 10 s`, ...
    public var message: String
    /// The start of the recorded answer's body.
    public var response: String
    /// `delivered`, `retry`, `failed` or `cancelled`.
    public var outcome: String

    /// Whether the recorded try succeeded (2xx within the deadline).
    public var delivered: Bool { outcome == "delivered" }
}

/// Reads journal files for `sigfox-sim replay`; errors name the file, line, column and field.
public enum ReplayJournal {
    static let outcomes = ["delivered", "retry", "failed", "cancelled"]

    /// Loads the journal at `path` (`-` is standard input).
    public static func load(path: String) throws(ConfigError) -> [JournalEntry] {
        try parse(ConfigDocument.readText(path: path, calling: "the journal"), file: path)
    }

    /// Parses journal text: one JSON object per line; blank lines are ignored.
    public static func parse(_ text: String, file: String = "journal.jsonl") throws(ConfigError) -> [JournalEntry] {
        var entries = [JournalEntry]()
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let content = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if content.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            entries.append(try entry(content, line: number, file: file))
        }
        guard !entries.isEmpty else {
            throw ConfigError(
                file: file,
                location: nil,
                path: "",
                message: "the journal holds no try (expected one JSON object per line, as `run --journal` writes)"
            )
        }
        return entries
    }

    /// One line of the journal.
    static func entry(_ text: String, line: Int, file: String) throws(ConfigError) -> JournalEntry {
        func located(_ error: ConfigError) -> ConfigError {
            var copy = error
            copy.file = file
            copy.location = SourceLocation(line: line, column: error.location?.column ?? 1)
            return copy
        }
        let node: ConfigNode
        do {
            node = try JSONParser.parse(text)
        } catch {
            throw ConfigError(
                file: file,
                location: SourceLocation(line: line, column: error.location.column),
                path: "",
                message: "not a journal line: invalid JSON: \(error.message)"
            )
        }
        do {
            return try entry(node, line: line)
        } catch {
            throw located(error)
        }
    }

    private static func entry(_ node: ConfigNode, line: Int) throws(ConfigError) -> JournalEntry {
        var object = try ConfigObject(node, path: "")
        guard let time = try object.integer("time") else {
            throw object.error("time", "missing 'time' (when the try was due, simulation epoch milliseconds)")
        }
        guard (0...32_503_680_000_000).contains(time) else {
            throw object.error("time", "expected epoch milliseconds from 0 to the year 3000, found \(time)")
        }
        guard object.has("request") else {
            throw object.error("request", "missing 'request' (the request sent, or null)")
        }
        let request = try request(object.node("request"))
        guard let status = try object.integer("status") else {
            throw object.error("status", "missing 'status' (the HTTP status recorded, 600 for other failures)")
        }
        guard let outcome = try object.string("outcome") else {
            throw object.error("outcome", "missing 'outcome' (delivered, retry, failed or cancelled)")
        }
        guard outcomes.contains(outcome) else {
            throw object.error("outcome", "expected delivered, retry, failed or cancelled, found '\(outcome)'")
        }
        return JournalEntry(
            line: line,
            time: Int64(time),
            callback: try object.string("callback") ?? "",
            service: try object.string("service") ?? "",
            attempt: try object.integer("attempt"),
            request: request,
            status: status,
            message: try object.string("message") ?? "",
            response: try object.string("response") ?? "",
            outcome: outcome
        )
    }

    private static func request(_ node: ConfigNode?) throws(ConfigError) -> JournalEntry.Request {
        guard let node else { return .notRendered }
        var object = try ConfigObject(node, path: "request")
        let kind = try object.string("kind") ?? (object.has("recipient") ? "email" : "http")
        switch kind {
        case "email":
            return .email
        case "http":
            let methodName = try object.string("method") ?? ""
            guard let method = HTTPMethod(rawValue: methodName.uppercased()) else {
                throw object.error("method", "expected GET, POST or PUT, found '\(methodName)'")
            }
            guard let url = try object.string("url"), !url.isEmpty else {
                throw object.error("url", "missing 'url'")
            }
            // A URL must name its scheme and host, so --target can replace them (one without would reach
            // its own host whatever --target says).
            let lower = url.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), url.count > 8,
                !url.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F })
            else {
                throw object.error(
                    "url",
                    "expected an http:// or https:// URL without control characters, found '\(url)'"
                )
            }
            var headers = [HTTPHeader]()
            if let headersNode = object.node("headers") {
                let fields = try ConfigObject(headersNode, path: "request.headers")
                for entry in fields.entries {
                    // A line break would split one recorded header into two on the wire.
                    let breaks: (String) -> Bool = { $0.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0 } }
                    if breaks(entry.key) || entry.key.isEmpty || entry.key.contains(":") {
                        throw ConfigError(
                            location: entry.keyLocation,
                            path: fields.fieldPath(entry.key),
                            message: "a header name must be a token without ':' or line breaks"
                        )
                    }
                    if case .string(let value) = entry.node.value, breaks(value) {
                        throw ConfigError(
                            location: entry.node.location,
                            path: fields.fieldPath(entry.key),
                            message: "a header value cannot contain a line break"
                        )
                    }
                    guard case .string(let value) = entry.node.value else {
                        throw ConfigError(
                            location: entry.node.location,
                            path: fields.fieldPath(entry.key),
                            message: "a header value must be a string, found \(entry.node.kindName)"
                        )
                    }
                    headers.append(HTTPHeader(name: entry.key, value: value))
                }
            }
            var body: String?
            if let bodyNode = object.node("body") {
                guard case .string(let text) = bodyNode.value else {
                    throw object.error("body", "expected a string or null, found \(bodyNode.kindName)")
                }
                body = text
            }
            return .http(HTTPRequest(method: method, url: url, headers: headers, body: body))
        default:
            throw object.error("kind", "expected http or email, found '\(kind)'")
        }
    }
}
