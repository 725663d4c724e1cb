extension CallbackDefinition {
    /// Checks every rule of SIGFOX.md sections 2, 3 and 4 and compiles the templates.
    ///
    /// Errors name the callback's field, where it was written, and for templates the variable and its
    /// position in the template.
    public init(validating spec: CallbackSpec) throws(ConfigError) {
        var warnings = [ConfigError]()
        let payloadConfig: PayloadConfig?
        if let text = spec.payloadConfig, !text.trimmedASCIIWhitespace.isEmpty {
            do {
                payloadConfig = try PayloadConfig(parsing: text)
            } catch {
                throw spec.error("payloadConfig", error.description)
            }
        } else {
            payloadConfig = nil
        }
        let checker = TemplateChecker(spec: spec, payloadConfig: payloadConfig)

        var method: HTTPMethod?
        var url: Template?
        var headers = [CallbackHeader]()
        var contentType: ContentType?
        var body: Template?
        var linePattern: Template?
        var subject: Template?
        var message: Template?
        var recipient: String?

        switch spec.channel {
        case .url, .batchURL:
            for field in ["recipient", "subject", "message"] where spec.value(of: field) != nil {
                throw spec.error(field, "'\(field)' belongs to EMAIL callbacks, not \(spec.channel.rawValue)")
            }
            method = try Self.method(spec)
            url = try checker.check("url", Self.urlText(spec), allowBatch: spec.channel == .batchURL)
            if spec.channel == .batchURL {
                for field in ["bodyTemplate", "contentType"] where spec.value(of: field) != nil {
                    throw spec.error(
                        field,
                        "BATCH_URL callbacks have no '\(field)': the body is the joined lines, as text/plain"
                    )
                }
                if !spec.headers.isEmpty {
                    throw spec.error("headers", "BATCH_URL callbacks have no custom headers")
                }
                guard let pattern = spec.linePattern, !pattern.isEmpty else {
                    throw spec.error("linePattern", "a BATCH_URL callback needs a linePattern")
                }
                if method == .get, url?.references.contains(where: { $0.variable == .batch }) != true {
                    throw spec.error(
                        "url",
                        "a BATCH_URL callback with GET has no body: put {batch} in its url (?lines={batch}) or "
                            + "use POST, otherwise it sends no message data"
                    )
                }
                linePattern = try checker.check("linePattern", pattern)
            } else {
                if spec.linePattern != nil {
                    throw spec.error("linePattern", "'linePattern' belongs to BATCH_URL callbacks")
                }
                headers = try Self.headers(spec, checker: checker)
                (contentType, body) = try Self.body(spec, method: method!, checker: checker, warnings: &warnings)
            }
        case .email:
            for field in ["url", "httpMethod", "bodyTemplate", "contentType", "linePattern"]
            where spec.value(of: field) != nil {
                throw spec.error(field, "'\(field)' does not apply to EMAIL callbacks")
            }
            if !spec.headers.isEmpty { throw spec.error("headers", "EMAIL callbacks have no headers") }
            if spec.sendSni == true { throw spec.error("sendSni", "sendSni applies to URL and BATCH_URL callbacks") }
            recipient = try Self.recipient(spec)
            guard let subjectText = spec.subject else {
                throw spec.error("subject", "an EMAIL callback needs a subject")
            }
            guard let messageText = spec.message else {
                throw spec.error("message", "an EMAIL callback needs a message")
            }
            subject = try checker.check("subject", subjectText)
            message = try checker.check("message", messageText)
        }

        if spec.sendDuplicate == true && !spec.service.isData {
            throw spec.error("sendDuplicate", "sendDuplicate is a legacy mode of DATA callbacks, not \(spec.service)")
        }
        if spec.downlinkHook == true && spec.service != .dataBidir {
            throw spec.error("downlinkHook", "only a DATA/BIDIR callback can be the downlink callback")
        }
        var eventType: DeviceEventType?
        if spec.service == .event {
            if spec.channel == .batchURL {
                throw spec.error("channel", "an EVENT callback is URL or EMAIL, not BATCH_URL")
            }
            guard let text = spec.eventType else {
                throw spec.error(
                    "eventType",
                    "an EVENT callback needs an eventType: "
                        + DeviceEventType.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            guard let parsed = DeviceEventType(name: text) else {
                throw spec.error(
                    "eventType",
                    "'\(text)' is not an event type; use one of "
                        + DeviceEventType.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            eventType = parsed
        } else if spec.eventType != nil {
            throw spec.error("eventType", "eventType belongs to EVENT callbacks, not \(spec.service)")
        }
        if payloadConfig != nil && !VariableCatalogue.offersCustomData(spec.service) {
            warnings.append(
                spec.error("payloadConfig", "\(spec.service) callbacks have no {customData#…} variables; ignored")
            )
        }

        self.init(
            id: spec.id,
            service: spec.service,
            channel: spec.channel,
            enabled: spec.enabled,
            url: url,
            httpMethod: method,
            headers: headers,
            contentType: contentType,
            bodyTemplate: body,
            linePattern: linePattern,
            recipient: recipient,
            subject: subject,
            message: message,
            payloadConfig: payloadConfig,
            sendSni: spec.sendSni ?? false,
            sendDuplicate: spec.sendDuplicate ?? false,
            downlinkHook: spec.downlinkHook ?? false,
            warnings: warnings,
            eventType: eventType
        )
    }

    /// Header names the real cloud refuses: standard HTTP headers, of which only `Authorization` may be
    /// set (SIGFOX.md section 4). Compared in lower case.
    public static let reservedHeaderNames: Set<String> = [
        "accept", "accept-charset", "accept-encoding", "accept-language", "accept-datetime", "cache-control",
        "connection", "content-encoding", "content-length", "content-md5", "content-type", "cookie", "date",
        "expect", "forwarded", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range",
        "if-unmodified-since", "keep-alive", "max-forwards", "origin", "pragma", "proxy-authorization",
        "proxy-connection", "range", "referer", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
        "via", "warning",
    ]

    private static func method(_ spec: CallbackSpec) throws(ConfigError) -> HTTPMethod {
        guard let text = spec.httpMethod else {
            // The Sigfox UI offers GET first; a batch carries its lines in a body, so it defaults to POST.
            if spec.channel == .batchURL { return .post }
            if let body = spec.bodyTemplate, !body.isEmpty {
                throw spec.error("bodyTemplate", "a bodyTemplate needs httpMethod POST or PUT")
            }
            return .get
        }
        guard let method = HTTPMethod(rawValue: text.uppercased()) else {
            throw spec.error(
                "httpMethod",
                "'\(text)' is not allowed; \(spec.channel.rawValue) callbacks use GET, POST or PUT"
            )
        }
        return method
    }

    private static func urlText(_ spec: CallbackSpec) throws(ConfigError) -> String {
        guard let url = spec.url, !url.isEmpty else {
            throw spec.error("url", "a \(spec.channel.rawValue) callback needs a url")
        }
        let lower = url.lowercased()
        let scheme = lower.hasPrefix("http://") ? 7 : lower.hasPrefix("https://") ? 8 : 0
        guard scheme > 0 else {
            throw spec.error("url", "'\(url)' must start with http:// or https://")
        }
        guard url.count > scheme, !"/?#".contains(url[url.index(url.startIndex, offsetBy: scheme)]) else {
            throw spec.error("url", "'\(url)' has no host")
        }
        if url.utf8.contains(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw spec.error("url", "'\(url)' contains white space; write it as %20")
        }
        return url
    }

    private static func headers(_ spec: CallbackSpec, checker: TemplateChecker) throws(ConfigError) -> [CallbackHeader]
    {
        var seen = Set<String>()
        var headers = [CallbackHeader]()
        for (name, value) in spec.headers {
            let field = "headers." + name
            guard !name.isEmpty else { throw spec.error("headers", "a header has an empty name") }
            if name.contains("{") || name.contains("}") {
                throw spec.error(field, "variables are not allowed in header names, only in values")
            }
            guard name.utf8.allSatisfy(isTokenCharacter) else {
                throw spec.error(field, "'\(name)' is not a valid header name")
            }
            let lower = name.lowercased()
            if reservedHeaderNames.contains(lower) {
                throw spec.error(field, "'\(name)' is a standard header; of those only Authorization may be set")
            }
            guard seen.insert(lower).inserted else { throw spec.error(field, "header '\(name)' is repeated") }
            if value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) {
                throw spec.error(field, "a header value cannot contain a line break or a NUL")
            }
            headers.append(CallbackHeader(name: name, value: try checker.check(field, value)))
        }
        return headers
    }

    private static func body(
        _ spec: CallbackSpec,
        method: HTTPMethod,
        checker: TemplateChecker,
        warnings: inout [ConfigError]
    ) throws(ConfigError) -> (ContentType?, Template?) {
        guard method.hasBody else {
            if let body = spec.bodyTemplate, !body.isEmpty {
                throw spec.error("bodyTemplate", "a GET request has no body; use POST or PUT, or remove bodyTemplate")
            }
            if let type = spec.contentType, !type.isEmpty {
                warnings.append(spec.error("contentType", "ignored: a GET request has no body"))
            }
            return (nil, nil)
        }
        var contentType = ContentType.formURLEncoded
        if let text = spec.contentType, !text.isEmpty {
            guard let type = ContentType(mediaType: text) else {
                let allowed = ContentType.allCases.map(\.rawValue).joined(separator: ", ")
                throw spec.error("contentType", "'\(text)' is not supported; use one of \(allowed)")
            }
            contentType = type
        }
        return (contentType, try checker.check("bodyTemplate", spec.bodyTemplate ?? ""))
    }

    private static func recipient(_ spec: CallbackSpec) throws(ConfigError) -> String {
        guard let text = spec.recipient?.trimmedASCIIWhitespace, !text.isEmpty else {
            throw spec.error("recipient", "an EMAIL callback needs a recipient")
        }
        for address in text.split(separator: ",") {
            let trimmed = address.trimmedASCIIWhitespace
            let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !trimmed.contains(" ") else {
                throw spec.error("recipient", "'\(trimmed)' is not an e-mail address")
            }
            // A line break or another control character would end the SMTP command (`RSET` injected).
            guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
                !trimmed.contains("<"),
                !trimmed.contains(">")
            else {
                throw spec.error(
                    "recipient",
                    "'\(trimmed)' is not an e-mail address: it holds a control character or <>"
                )
            }
            if trimmed.contains("{") { throw spec.error("recipient", "variables are not allowed in the recipient") }
        }
        return text
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension CallbackSpec {
    /// The raw value of a text field by its API v2 name, for "does not apply" checks.
    func value(of field: String) -> String? {
        switch field {
        case "url": return url
        case "httpMethod": return httpMethod
        case "contentType": return contentType
        case "bodyTemplate": return bodyTemplate
        case "linePattern": return linePattern
        case "recipient": return recipient
        case "subject": return subject
        case "message": return message
        default: return nil
        }
    }
}

/// Checks that every variable of a template is known and offered by the callback's service.
struct TemplateChecker {
    let spec: CallbackSpec
    let payloadConfig: PayloadConfig?

    /// Compiles `text` (the value of `field`) and checks its variables (SIGFOX.md section 3).
    func check(_ field: String, _ text: String, allowBatch: Bool = false) throws(ConfigError) -> Template {
        let template = Template(text)
        let service = spec.service
        for reference in template.references {
            let place = "line \(reference.position.line), column \(reference.position.column)"
            guard let variable = reference.variable else {
                throw spec.error(field, "unknown variable {\(reference.name)} at \(place)")
            }
            switch variable {
            case .batch:
                if !allowBatch {
                    throw spec.error(field, "{batch} at \(place) is only available in the url of a BATCH_URL callback")
                }
            case .customData(let name):
                guard VariableCatalogue.offersCustomData(service) else {
                    throw spec.error(
                        field,
                        "{customData#\(name)} at \(place) is not available for \(service) callbacks"
                    )
                }
                guard let payloadConfig else {
                    throw spec.error(field, "{customData#\(name)} at \(place) needs a payloadConfig defining '\(name)'")
                }
                guard payloadConfig.defines(name) else {
                    let known = payloadConfig.fieldNames.joined(separator: ", ")
                    throw spec.error(
                        field,
                        "{customData#\(name)} at \(place): the payloadConfig defines no field '\(name)' (it has: \(known))"
                    )
                }
            case .standard(let standard):
                if allowBatch && field == "url" {
                    throw spec.error(
                        field,
                        "\(variable) at \(place): a BATCH_URL url may only use {batch}, as one request carries many messages"
                    )
                }
                guard VariableCatalogue.kind(of: standard, for: service) != nil else {
                    let available = VariableCatalogue.variables(for: service).map { "{\($0.rawValue)}" }
                    throw spec.error(
                        field,
                        "\(variable) at \(place) is not available for \(service) callbacks; available: "
                            + available.joined(separator: " ")
                    )
                }
            }
        }
        return template
    }
}
