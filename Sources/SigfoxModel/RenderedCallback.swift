/// What one callback sends: an HTTP request or an e-mail.
public enum RenderedCallback: Sendable, Equatable {
    case http(HTTPRequest)
    case email(EmailMessage)
}

/// A rendered HTTP request, exactly as it will be sent.
public struct HTTPRequest: Sendable, Equatable {
    public var method: HTTPMethod
    public var url: String
    /// Custom headers then `Content-Type`, in that order; names as written.
    public var headers: [HTTPHeader]
    /// The body of a POST or PUT; nil for GET.
    public var body: String?

    public init(method: HTTPMethod, url: String, headers: [HTTPHeader], body: String?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header named `name` (any case).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == lower })?.value
    }
}

/// One header line.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A rendered e-mail (SIGFOX.md section 4, EMAIL channel).
public struct EmailMessage: Sendable, Equatable {
    /// One or more addresses, separated by commas.
    public var recipient: String
    public var subject: String
    public var body: String

    public init(recipient: String, subject: String, body: String) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
    }

    /// Each address of `recipient`, trimmed.
    public var recipients: [String] {
        recipient.split(separator: ",").map { $0.trimmedASCIIWhitespace }.filter { !$0.isEmpty }
    }
}

extension RenderedCallback {
    /// The request or e-mail as a person reads it: request line, headers, blank line, body.
    public var text: String {
        switch self {
        case .http(let request):
            var lines = ["\(request.method.rawValue) \(request.url)"]
            lines += request.headers.map { $0.value.isEmpty ? "\($0.name):" : "\($0.name): \($0.value)" }
            if let body = request.body {
                lines.append("")
                lines.append(body)
            }
            return lines.joined(separator: "\n")
        case .email(let mail):
            return (["To: \(mail.recipient)", "Subject: \(mail.subject)", ""] + [mail.body]).joined(separator: "\n")
        }
    }

    /// The request or e-mail as one JSON object, for machines.
    public var json: String {
        switch self {
        case .http(let request):
            let headers = request.headers.map { JSONText.quoted($0.name) + ":" + JSONText.quoted($0.value) }
            var fields = [
                "\"kind\":\"http\"", "\"method\":" + JSONText.quoted(request.method.rawValue),
                "\"url\":" + JSONText.quoted(request.url), "\"headers\":{" + headers.joined(separator: ",") + "}",
            ]
            fields.append("\"body\":" + (request.body.map(JSONText.quoted) ?? "null"))
            return "{" + fields.joined(separator: ",") + "}"
        case .email(let mail):
            return "{\"kind\":\"email\",\"recipient\":\(JSONText.quoted(mail.recipient)),\"subject\":"
                + "\(JSONText.quoted(mail.subject)),\"message\":\(JSONText.quoted(mail.body))}"
        }
    }
}
