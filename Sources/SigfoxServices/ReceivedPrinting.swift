import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel

/// How `sigfox-sim receive` shows what arrived: a readable block, or one JSON object per line.
extension RecordedRequest {
    /// `[time] #n METHOD URI VERSION (connection c)`, the headers, then the body, indented.
    public var readableText: String {
        let visible = ReceivedPrinting.visible
        var lines = [
            "[\(WallClock.iso8601(receivedAt))] #\(sequence) \(visible(method)) \(visible(uri)) \(visible(version)) "
                + "(connection \(connection))"
        ]
        lines += headers.map { "  \(visible($0.name)): \(visible($0.value))" }
        if !body.isEmpty {
            lines.append("")
            lines += ReceivedPrinting.indented(ReceivedPrinting.printable(body)).map(visible)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line of JSON: `type` `http`, time, sequence, method, uri, path, query, headers as
    /// `[name, value]` pairs in order, and `body` (UTF-8 text) or `bodyHex` when it is not text.
    public var jsonLine: String { ReceivedPrinting.object(jsonMembers) }

    private var jsonMembers: [(String, String)] {
        var members = [
            ("type", JSONText.quoted("http")), ("time", JSONText.quoted(WallClock.iso8601(receivedAt))),
            ("sequence", String(sequence)), ("connection", String(connection)), ("method", JSONText.quoted(method)),
            ("uri", JSONText.quoted(uri)), ("path", JSONText.quoted(path)), ("query", JSONText.quoted(query)),
            ("version", JSONText.quoted(version)), ("headers", ReceivedPrinting.json(headers)),
        ]
        if let text = String(validating: body, as: UTF8.self) {
            members.append(("body", JSONText.quoted(text)))
        } else {
            members.append(("bodyHex", JSONText.quoted(Hex.lowercase(body))))
        }
        return members
    }
}

extension ReceivedMail {
    /// `[time] mail #n from <a> to <b>, <c>`, the headers, then the body, indented.
    public var readableText: String {
        let visible = ReceivedPrinting.visible
        let to = recipients.map { "<\(visible($0))>" }.joined(separator: ", ")
        var lines = ["[\(WallClock.iso8601(receivedAt))] mail #\(sequence) from <\(visible(from))> to \(to)"]
        lines += headers.map { "  \(visible($0.name)): \(visible($0.value))" }
        if !body.isEmpty {
            lines.append("")
            lines += ReceivedPrinting.indented(body).map(visible)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line of JSON: `type` `mail`, time, sequence, from, recipients, subject, headers, body, data.
    public var jsonLine: String {
        ReceivedPrinting.object([
            ("type", JSONText.quoted("mail")), ("time", JSONText.quoted(WallClock.iso8601(receivedAt))),
            ("sequence", String(sequence)), ("from", JSONText.quoted(from)),
            ("recipients", "[" + recipients.map(JSONText.quoted).joined(separator: ",") + "]"),
            ("subject", subject.map(JSONText.quoted) ?? "null"), ("headers", ReceivedPrinting.json(headers)),
            ("body", JSONText.quoted(body)), ("data", JSONText.quoted(data)),
        ])
    }
}

enum ReceivedPrinting {
    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { JSONText.quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    static func json(_ headers: [Header]) -> String {
        "["
            + headers.map { "[" + JSONText.quoted($0.name) + "," + JSONText.quoted($0.value) + "]" }
            .joined(separator: ",") + "]"
    }

    /// `text` with every control character but the tab written as `\x1b` (C0, DEL, C1): what a request
    /// carries cannot move the cursor, set the terminal's title or clear the screen where it is printed.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }

    /// The body as text, or a hex dump note when it is not UTF-8.
    static func printable(_ body: [UInt8]) -> String {
        String(validating: body, as: UTF8.self) ?? "(\(body.count) bytes, not UTF-8) " + Hex.lowercase(body.prefix(64))
    }

    /// The lines of `text` (LF or CRLF), each indented by two spaces; a final line break adds no line.
    static func indented(_ text: String) -> [String] {
        var text = Substring(text)
        if text.last == "\n" || text.last == "\r\n" { text = text.dropLast() }
        return text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { "  " + $0 }
    }
}

/// How `sigfox-sim receive` shows the answer it chose for a request, next to the request.
extension ReceiverResponse {
    /// `=> answered 500 after 2 s`, `=> reset the connection, no answer`, `=> 200 {"2C30EA":...}`: one line.
    public func readableText(for request: RecordedRequest) -> String {
        let visible = ReceivedPrinting.visible
        let after = delay > .zero ? " after \(ReceivedPrinting.seconds(delay))" : ""
        let extra = headers.map { ", \(visible($0.name)): \(visible($0.value))" }.joined()
        func answered(_ status: Int, _ body: String) -> String {
            "  => answered \(status)\(after)\(extra)" + (body.isEmpty ? "" : " " + visible(body)) + "\n"
        }
        switch kind {
        case .status(let status, let body, _):
            return answered(status, body)
        case .reset:
            return "  => reset the connection\(after), no answer\n"
        case .hang:
            return "  => no answer, ever (hang)\n"
        case .redirect(let location, let status):
            return "  => answered \(status)\(after), Location: \(visible(location))\(extra)\n"
        case .hugeBody(let bytes, _):
            return "  => answered 200\(after) with \(bytes) bytes of body\(extra)\n"
        case .bidir(let answer):
            let (status, body) = answer.answer(to: request)
            return answered(status, body)
        }
    }

    /// The answer as a JSON object: `action` (`answer`, `reset`, `hang`), `status`, `delayMs`,
    /// `headers` and `body` where they apply.
    public func jsonObject(for request: RecordedRequest) -> String {
        let delayMs = ("delayMs", String(delay.wholeMilliseconds))
        let extra = ("headers", ReceivedPrinting.json(headers))
        func answered(_ status: Int, _ body: String, _ more: [Header] = []) -> String {
            ReceivedPrinting.object([
                ("action", JSONText.quoted("answer")), ("status", String(status)), delayMs,
                ("headers", ReceivedPrinting.json(more + headers)), ("body", JSONText.quoted(body)),
            ])
        }
        switch kind {
        case .status(let status, let body, _):
            return answered(status, body)
        case .reset:
            return ReceivedPrinting.object([("action", JSONText.quoted("reset")), delayMs])
        case .hang:
            return ReceivedPrinting.object([("action", JSONText.quoted("hang"))])
        case .redirect(let location, let status):
            return answered(status, "", [Header("Location", location)])
        case .hugeBody(let bytes, _):
            return ReceivedPrinting.object([
                ("action", JSONText.quoted("answer")), ("status", "200"), delayMs, extra,
                ("bodyBytes", String(bytes)),
            ])
        case .bidir(let answer):
            let (status, body) = answer.answer(to: request)
            return answered(status, body)
        }
    }
}

extension RecordedRequest {
    /// The request's JSON line with the answer it got as an `answer` member.
    public func jsonLine(answer: ReceiverResponse) -> String {
        ReceivedPrinting.object(jsonMembers + [("answer", answer.jsonObject(for: self))])
    }

    /// The request's readable block, the answer's line just before the blank line that ends it.
    public func readableText(answer: ReceiverResponse) -> String {
        readableText + answer.readableText(for: self)
    }
}

extension ReceivedPrinting {
    /// `2 s`, `1.5 s`, `250 ms`.
    static func seconds(_ duration: Duration) -> String {
        let ms = duration.wholeMilliseconds
        if ms < 1000 { return "\(ms) ms" }
        var fraction = String(ms % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return fraction.isEmpty ? "\(ms / 1000) s" : "\(ms / 1000).\(fraction) s"
    }
}
