extension CallbackDefinition {
    /// The fields of the Sigfox API v2 callback object (SIGFOX.md section 7).
    public static let apiFields = [
        "channel", "callbackType", "callbackSubtype", "payloadConfig", "enabled", "url", "httpMethod",
        "headers", "sendSni", "bodyTemplate", "contentType", "linePattern", "recipient", "subject", "message",
        "sendDuplicate", "id", "dead", "downlinkHook", "urlPattern",
    ]

    /// The fields of the project's readable form.
    public static let readableFields = [
        "id", "service", "channel", "enabled", "url", "method", "httpMethod", "headers", "contentType", "body",
        "bodyTemplate", "linePattern", "recipient", "subject", "message", "payloadConfig", "sendSni",
        "sendDuplicate", "downlinkHook", "eventType",
    ]

    /// Loads a callback written either as a Sigfox API v2 object (it has `callbackType`) or in the
    /// project's readable form (it has `service: DATA/UPLINK`). Both forms give the same value.
    public init(from node: ConfigNode, path: String = "") throws(ConfigError) {
        var object = try ConfigObject(node, path: path)
        let isAPI = object.has("callbackType")
        let isReadable = object.has("service")
        if isAPI && isReadable {
            throw object.error(
                "service",
                "write either 'service' (readable form) or 'callbackType' (Sigfox API v2), not both"
            )
        }
        guard isAPI || isReadable else {
            // A misspelt `service` (or `callbackType`) is the likely cause: point at that field.
            let known = Self.readableFields + Self.apiFields
            for entry in object.entries where !known.contains(entry.key) {
                if let near = nearestName(to: entry.key, among: ["service", "callbackType"]) {
                    throw ConfigError(
                        location: entry.keyLocation,
                        path: object.fieldPath(entry.key),
                        message: "unknown field '\(entry.key)'; did you mean '\(near)'?"
                    )
                }
            }
            throw ConfigError(
                location: node.location,
                path: path,
                message:
                    "a callback needs 'service' (e.g. service: DATA/UPLINK) or the API v2 'callbackType' and 'callbackSubtype'"
            )
        }
        var spec = isAPI ? try Self.apiSpec(&object) : try Self.readableSpec(&object)
        spec.path = path
        spec.location = node.location
        var unknown = [ConfigError]()
        try Self.readCommonFields(&object, into: &spec, warnings: &unknown)
        if isAPI {
            // Objects exported from the real cloud may carry fields this emulator has no use for:
            // they load, with a warning, so real configurations are never refused for them.
            unknown += object.unreadEntries.map {
                ConfigError(
                    location: $0.keyLocation,
                    path: object.fieldPath($0.key),
                    message: "unknown API v2 field ignored"
                )
            }
        } else {
            try object.rejectUnknownFields(allowed: Self.readableFields)
        }
        try self.init(validating: spec)
        warnings = unknown + warnings
    }

    private static func apiSpec(_ object: inout ConfigObject) throws(ConfigError) -> CallbackSpec {
        guard let type = try object.integer("callbackType") else {
            throw object.error("callbackType", "callbackType is required")
        }
        let subtype = try object.integer("callbackSubtype")
        guard let service = CallbackService(callbackType: type, callbackSubtype: subtype) else {
            let known = CallbackService.allCases.map {
                "\($0.callbackType)/\($0.callbackSubtype.map(String.init) ?? "-") \($0)"
            }
            throw object.error(
                object.has("callbackSubtype") ? "callbackSubtype" : "callbackType",
                "no callback service has callbackType \(type) and callbackSubtype \(subtype.map(String.init) ?? "none"); known: "
                    + known.joined(separator: ", ")
            )
        }
        let channelName = try object.string("channel") ?? "URL"
        guard let channel = CallbackChannel(name: channelName) else {
            throw object.error("channel", "'\(channelName)' is not a channel; use URL, BATCH_URL or EMAIL")
        }
        var spec = CallbackSpec(service: service, channel: channel)
        spec.httpMethod = try object.string("httpMethod")
        spec.bodyTemplate = try object.string("bodyTemplate")
        _ = try object.bool("dead")
        return spec
    }

    private static func readableSpec(_ object: inout ConfigObject) throws(ConfigError) -> CallbackSpec {
        let serviceName = try object.string("service") ?? ""
        guard let service = CallbackService(name: serviceName) else {
            let names = CallbackService.allCases.map(\.rawValue).joined(separator: ", ")
            throw object.error("service", "'\(serviceName)' is not a callback service; use one of \(names)")
        }
        let channel: CallbackChannel
        if let name = try object.string("channel") {
            guard let named = CallbackChannel(name: name) else {
                throw object.error("channel", "'\(name)' is not a channel; use URL, BATCH_URL or EMAIL")
            }
            channel = named
        } else {
            channel = object.has("recipient") ? .email : object.has("linePattern") ? .batchURL : .url
        }
        var spec = CallbackSpec(service: service, channel: channel)
        spec.httpMethod = try synonym(&object, "method", "httpMethod", spec: &spec)
        spec.bodyTemplate = try synonym(&object, "body", "bodyTemplate", spec: &spec)
        return spec
    }

    /// Reads a field the readable form lets users spell two ways; both at once is an error.
    private static func synonym(
        _ object: inout ConfigObject,
        _ short: String,
        _ apiName: String,
        spec: inout CallbackSpec
    ) throws(ConfigError) -> String? {
        if object.has(short) && object.has(apiName) {
            throw object.error(short, "write '\(short)' or '\(apiName)', not both")
        }
        if object.has(short) {
            spec.spelling[apiName] = short
            spec.locations[apiName] = object.location(of: short)
            return try object.string(short)
        }
        return try object.string(apiName)
    }

    /// The callback's URL, written `url` or, in API v1 exports, `urlPattern` (SIGFOX.md section 7).
    ///
    /// **Emulator rule:** callbacks exported from the backend carry both, one of them empty
    /// (`"urlPattern": ""` beside `"url"`): the empty one is ignored with a warning. Two non-empty values
    /// that differ are an error; the same text twice is taken once.
    private static func readURL(
        _ object: inout ConfigObject,
        into spec: inout CallbackSpec,
        warnings: inout [ConfigError]
    ) throws(ConfigError) {
        let url = try object.string("url")
        let pattern = try object.string("urlPattern")
        func useURL() { spec.url = url }
        func usePattern() {
            spec.spelling["url"] = "urlPattern"
            spec.locations["url"] = object.location(of: "urlPattern")
            spec.url = pattern
        }
        switch (url, pattern) {
        case (_, nil): useURL()
        case (nil, _): usePattern()
        case (.some(let url), .some(let pattern)):
            if pattern.isEmpty {
                useURL()
                warnings.append(object.error("urlPattern", "empty API v1 'urlPattern' beside 'url' ignored"))
            } else if url.isEmpty {
                usePattern()
                warnings.append(object.error("url", "empty 'url' beside the API v1 'urlPattern' ignored"))
            } else if url == pattern {
                useURL()
            } else {
                throw object.error(
                    "urlPattern",
                    "'url' and its API v1 name 'urlPattern' give two different URLs; keep one"
                )
            }
        }
    }

    private static func readCommonFields(
        _ object: inout ConfigObject,
        into spec: inout CallbackSpec,
        warnings: inout [ConfigError]
    ) throws(ConfigError) {
        spec.id = try object.string("id")
        spec.enabled = try object.bool("enabled") ?? true
        try readURL(&object, into: &spec, warnings: &warnings)
        spec.contentType = try object.string("contentType")
        spec.linePattern = try object.string("linePattern")
        spec.recipient = try object.string("recipient")
        spec.subject = try object.string("subject")
        spec.message = try object.string("message")
        spec.payloadConfig = try object.string("payloadConfig")
        spec.sendSni = try object.bool("sendSni")
        spec.sendDuplicate = try object.bool("sendDuplicate")
        spec.downlinkHook = try object.bool("downlinkHook")
        spec.eventType = try object.string("eventType")
        for entry in object.entries where spec.locations[entry.key] == nil {
            spec.locations[entry.key] = entry.node.location
        }
        if let headersNode = object.node("headers") {
            let headers = try ConfigObject(headersNode, path: object.fieldPath("headers"))
            for entry in headers.entries {
                guard let value = entry.node.scalarText else {
                    throw ConfigError(
                        location: entry.node.location,
                        path: headers.fieldPath(entry.key),
                        message: "a header value must be text, found \(entry.node.kindName)"
                    )
                }
                spec.headers.append((entry.key, value))
                spec.locations["headers." + entry.key] = entry.keyLocation
            }
        }
    }
}
