extension CallbackDefinition {
    /// Renders the request or e-mail this callback sends for one message (URL and EMAIL channels).
    ///
    /// SIGFOX.md section 4: values are percent-encoded in the URL, form-encoded in a form body, inserted
    /// as they are in JSON and text bodies, header values and e-mails. A JSON body that is not valid
    /// JSON after rendering throws ``RenderError`` (`JSON body could not be evaluated`).
    public func render(_ bindings: VariableBindings) throws(RenderError) -> RenderedCallback {
        if channel == .batchURL { return try renderBatch([bindings]) }
        let values = ValueSource(bindings: bindings, payloadConfig: payloadConfig)
        switch channel {
        case .email:
            let subject = self.subject?.render(encoding: .asIs, append: values.append) ?? ""
            // A line break in the subject would start new header lines (a `Bcc:` injected), a NUL would cut
            // it: refused, as in HTTP header values.
            if subject.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) {
                throw RenderError(reason: .lineBreakInSubject, rendered: subject)
            }
            return .email(
                EmailMessage(
                    recipient: recipient ?? "",
                    subject: subject,
                    body: message?.render(encoding: .asIs, append: values.append) ?? ""
                )
            )
        case .url, .batchURL:
            let method = httpMethod ?? .get
            var headers = [HTTPHeader]()
            for header in self.headers {
                let value = header.value.render(encoding: .asIs, append: values.append)
                // A line break would start a header of its own; a NUL (a payload byte) would cut the value on
                // the wire while the record kept all of it.
                if value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) {
                    throw RenderError(reason: .lineBreakInHeader(header.name), rendered: value)
                }
                headers.append(HTTPHeader(name: header.name, value: value))
            }
            var body: String?
            if method.hasBody {
                let type = contentType ?? .formURLEncoded
                headers.append(HTTPHeader(name: "Content-Type", value: type.rawValue))
                body = try Self.renderBody(bodyTemplate, type: type, values: values)
            }
            let url = url?.render(encoding: .percentEncoded, append: values.append) ?? ""
            return .http(HTTPRequest(method: method, url: url, headers: headers, body: body))
        }
    }

    /// The body of a POST or PUT, checked when it is JSON (SIGFOX.md section 4). Written and checked as
    /// bytes: one string is made, at the end.
    private static func renderBody(
        _ template: Template?,
        type: ContentType,
        values: ValueSource
    ) throws(RenderError) -> String {
        guard let template else {
            if type == .json { throw RenderError(reason: .invalidJSONBody, rendered: "") }
            return ""
        }
        if template.isLiteral {
            if type == .json && !JSONParser.isValid(template.source) {
                throw RenderError(reason: .invalidJSONBody, rendered: template.source)
            }
            return template.source
        }
        guard type == .json else {
            return String(
                decoding: template.renderBytes(encoding: type.valueEncoding, append: values.append),
                as: UTF8.self
            )
        }
        let (bytes, known) = template.renderJSON(append: values.append)
        if !known && !JSONParser.isValid(bytes) {
            throw RenderError(reason: .invalidJSONBody, rendered: String(decoding: bytes, as: UTF8.self))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Renders one BATCH_URL request for the messages of one 1 s window (SIGFOX.md section 4).
    ///
    /// Each message gives one line from `linePattern`; lines are joined with `\n`. **Emulator rule:**
    /// `{batch}` in the URL receives the joined lines, percent-encoded; POST and PUT carry them as a
    /// `text/plain` body.
    public func renderBatch(_ messages: [VariableBindings]) throws(RenderError) -> RenderedCallback {
        guard !messages.isEmpty else { throw RenderError(reason: .emptyBatch, rendered: "") }
        let lines = messages.map { bindings in
            let values = ValueSource(bindings: bindings, payloadConfig: payloadConfig)
            return linePattern?.render(encoding: .asIs, append: values.append) ?? ""
        }
        let joined = lines.joined(separator: "\n")
        let method = httpMethod ?? .post
        let url = url?.render(encoding: .percentEncoded) { $0 == .batch ? joined : "null" } ?? ""
        // **Emulator rule:** with {batch} in the url the lines go there only; a POST or PUT then has an
        // empty body, so the messages are not sent twice.
        let linesInURL = self.url?.references.contains { $0.variable == .batch } ?? false
        if method.hasBody && linesInURL {
            return .http(HTTPRequest(method: method, url: url, headers: [], body: ""))
        }
        if method.hasBody {
            return .http(
                HTTPRequest(
                    method: method,
                    url: url,
                    headers: [HTTPHeader(name: "Content-Type", value: ContentType.text.rawValue)],
                    body: joined
                )
            )
        }
        return .http(HTTPRequest(method: method, url: url, headers: [], body: nil))
    }
}

/// Looks up the text of each variable for one message and one callback.
private struct ValueSource {
    let bindings: VariableBindings
    let customData: [String: CustomValue?]

    init(bindings: VariableBindings, payloadConfig: PayloadConfig?) {
        self.bindings = bindings
        if let payloadConfig, let payload = bindings.payload {
            var decoded = [String: CustomValue?]()
            for field in payloadConfig.decode(payload) { decoded[field.name] = field.value }
            customData = decoded
        } else {
            customData = [:]
        }
    }

    /// Appends the variable's value, encoded, to `out`.
    func append(_ variable: Variable, _ encoding: ValueEncoding, _ out: inout [UInt8]) {
        switch variable {
        case .standard(let standard):
            (bindings[standard] ?? .null).appendRendered(encoding: encoding, to: &out)
        case .customData(let name):
            encoding.append((customData[name] ?? nil)?.templateText ?? "null", to: &out)
        case .batch:
            VariableValue.null.appendRendered(encoding: encoding, to: &out)
        }
    }
}
