/// One validated callback of a device type (SIGFOX.md sections 2, 4 and 7).
///
/// Built from a ``CallbackSpec`` (raw fields, as read from the Sigfox API v2 object or from the
/// project's readable form) by ``init(validating:)``, which checks every rule and compiles every
/// template once. Two specs that say the same thing in either form give equal definitions.
public struct CallbackDefinition: Sendable, Equatable {
    /// The API v2 `id`, or the name a scenario gives it.
    public var id: String?
    public var service: CallbackService
    public var channel: CallbackChannel
    public var enabled: Bool
    /// URL and BATCH_URL: where the request goes.
    public var url: Template?
    /// URL and BATCH_URL.
    public var httpMethod: HTTPMethod?
    /// URL only: custom headers, in the order written; values are templates.
    public var headers: [CallbackHeader]
    /// POST and PUT of the URL channel (BATCH_URL bodies are always `text/plain`).
    public var contentType: ContentType?
    /// POST and PUT of the URL channel.
    public var bodyTemplate: Template?
    /// BATCH_URL: the line each message contributes.
    public var linePattern: Template?
    /// EMAIL: one or more addresses, separated by commas.
    public var recipient: String?
    public var subject: Template?
    public var message: Template?
    public var payloadConfig: PayloadConfig?
    /// HTTPS: send the server name (SNI) in the TLS handshake.
    public var sendSni: Bool
    /// Legacy DATA mode: one more DATA callback per extra station that heard the message (section 2).
    public var sendDuplicate: Bool
    /// BIDIR: this callback is the device type's downlink callback (section 5).
    public var downlinkHook: Bool
    /// Things the configuration says that the emulator accepts but ignores, for the user to read.
    public var warnings: [ConfigError]
    /// EVENT: the event this callback reports (SIGFOX.md section 8); nil for every other service.
    public var eventType: DeviceEventType? = nil

    /// A short name for reports: the id, or `DATA/UPLINK URL POST http://…`.
    public var displayName: String {
        if let id { return id }
        let service = eventType.map { "EVENT \($0)" } ?? self.service.rawValue
        switch channel {
        case .url, .batchURL:
            return "\(service) \(channel.rawValue) \(httpMethod?.rawValue ?? "") \(url?.source ?? "")"
        case .email:
            return "\(service) EMAIL \(recipient ?? "")"
        }
    }
}

/// A custom header of a URL callback. The name is fixed; the value may hold variables.
public struct CallbackHeader: Sendable, Equatable {
    public var name: String
    public var value: Template

    public init(name: String, value: Template) {
        self.name = name
        self.value = value
    }
}

/// The raw fields of a callback, before validation, with where each was written.
public struct CallbackSpec: Sendable {
    public var id: String?
    public var service: CallbackService
    public var channel: CallbackChannel
    public var enabled: Bool = true
    public var url: String?
    public var httpMethod: String?
    public var headers: [(name: String, value: String)] = []
    public var contentType: String?
    public var bodyTemplate: String?
    public var linePattern: String?
    public var recipient: String?
    public var subject: String?
    public var message: String?
    public var payloadConfig: String?
    public var sendSni: Bool?
    public var sendDuplicate: Bool?
    public var downlinkHook: Bool?
    /// EVENT: the `eventType` as written.
    public var eventType: String?

    /// The path of the callback in its file (`callbacks[2]`), for errors.
    public var path: String = ""
    /// Where each field was written, by its API v2 name (`url`, `bodyTemplate`, `headers.X-Key`).
    public var locations: [String: SourceLocation] = [:]
    /// The name the user wrote for a field when it differs from the API v2 name (`body` for
    /// `bodyTemplate` in the readable form), so errors use the user's words.
    public var spelling: [String: String] = [:]
    /// Where the callback itself starts.
    public var location: SourceLocation?

    public init(service: CallbackService, channel: CallbackChannel) {
        self.service = service
        self.channel = channel
    }

    /// An error about `field` (an API v2 field name), placed and named as the user wrote it.
    func error(_ field: String, _ message: String) -> ConfigError {
        let written = spelling[field] ?? field
        let fieldPath = field.isEmpty ? path : (path.isEmpty ? written : path + "." + written)
        return ConfigError(location: locations[field] ?? location, path: fieldPath, message: message)
    }
}

extension CallbackDefinition {
    /// Every template of the callback: URL, header values, body, batch line, e-mail subject and message.
    public var templates: [Template] {
        [url, bodyTemplate, linePattern, subject, message].compactMap { $0 } + headers.map(\.value)
    }

    /// The catalogue variables the callback's templates use, each once, in catalogue order; and whether they
    /// use `{customData#…}` (which needs the payload).
    public var usedVariables: (standard: [StandardVariable], customData: Bool) {
        var used = Set<StandardVariable>()
        var customData = false
        for template in templates {
            for reference in template.references {
                switch reference.variable {
                case .standard(let variable)?: used.insert(variable)
                case .customData?: customData = true
                default: break
                }
            }
        }
        return (StandardVariable.allCases.filter { used.contains($0) }, customData)
    }
}
