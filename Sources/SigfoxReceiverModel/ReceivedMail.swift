import SigfoxModel

/// An e-mail the SMTP sink accepted, with its envelope and its parsed headers.
///
/// The EMAIL channel sends one message per Sigfox message with a templated subject and body
/// (SIGFOX.md section 4); tests read them back here.
public struct ReceivedMail: Sendable, Equatable {
    /// The `MAIL FROM` address, without angle brackets (empty for the null sender `<>`).
    public var from: String
    /// The accepted `RCPT TO` addresses, in order, without angle brackets.
    public var recipients: [String]
    /// The message after dot-unstuffing: lines joined with CRLF, each ending with CRLF.
    public var data: String
    /// The header fields, in order, folded lines joined (CRLF + white space replaced by one space).
    public var headers: [Header]
    /// The text after the blank line that ends the headers (CRLF line ends kept).
    public var body: String
    /// Wall-clock time the final `.` arrived, in seconds since 1970-01-01 UTC.
    public var receivedAt: Double
    /// 1 for the first mail since the sink started, then 2, 3, ...
    public var sequence: Int
    /// The name the client gave in `EHLO`/`HELO`.
    public var clientName: String

    public init(
        from: String,
        recipients: [String],
        data: String,
        receivedAt: Double = 0,
        sequence: Int = 0,
        clientName: String = ""
    ) {
        self.from = from
        self.recipients = recipients
        self.data = data
        self.receivedAt = receivedAt
        self.sequence = sequence
        self.clientName = clientName
        (self.headers, self.body) = Self.split(data)
    }

    /// The `Subject` header, if any.
    public var subject: String? { header("Subject") }

    /// The value of the first header called `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == wanted })?.value
    }

    /// Splits RFC 5322 text into unfolded header fields and the body.
    static func split(_ data: String) -> ([Header], String) {
        var headers = [Header]()
        var rest = Substring(data)
        while !rest.isEmpty {
            let lineEnd = rest.firstRange(of: "\r\n")
            let line = lineEnd.map { rest[..<$0.lowerBound] } ?? rest
            rest = lineEnd.map { rest[$0.upperBound...] } ?? ""
            if line.isEmpty { break }
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmedASCIIWhitespace
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(Header(String(line[..<colon]), line[line.index(after: colon)...].trimmedASCIIWhitespace))
            } else {
                // Not a header field: the body starts here (there was no blank line).
                if headers.isEmpty { return ([], data) }
                return (headers, String(line) + (lineEnd == nil ? "" : "\r\n") + rest)
            }
        }
        return (headers, String(rest))
    }
}
