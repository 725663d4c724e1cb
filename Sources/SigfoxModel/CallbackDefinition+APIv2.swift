extension CallbackDefinition {
    /// The callback as a Sigfox API v2 object (SIGFOX.md section 7): what `POST
    /// /v2/device-types/{id}/callbacks` takes and `GET` lists, so a configuration tested locally goes to
    /// the real cloud unchanged. `id` leads when known; `extra` entries (already JSON: `"dead":false`) end it.
    ///
    /// Fields: `channel`, `callbackType`, `callbackSubtype`, `payloadConfig` (when set), `enabled`; for URL
    /// `url`, `httpMethod`, `headers`, `sendSni`, `bodyTemplate` and `contentType` (POST and PUT); for
    /// BATCH_URL `url`, `httpMethod`, `linePattern`; for EMAIL `recipient`, `subject`, `message`.
    public func apiV2JSON(id: String? = nil, extra: [String] = []) -> String {
        var fields = [String]()
        if let id = id ?? self.id { fields.append("\"id\":" + JSONText.quoted(id)) }
        fields.append("\"channel\":" + JSONText.quoted(channel.rawValue))
        fields.append("\"callbackType\":\(service.callbackType)")
        if let subtype = service.callbackSubtype { fields.append("\"callbackSubtype\":\(subtype)") }
        if let payloadConfig { fields.append("\"payloadConfig\":" + JSONText.quoted(payloadConfig.text)) }
        fields.append("\"enabled\":\(enabled)")
        switch channel {
        case .url:
            fields.append("\"url\":" + JSONText.quoted(url?.source ?? ""))
            fields.append("\"httpMethod\":" + JSONText.quoted(httpMethod?.rawValue ?? "GET"))
            let headerFields = headers.map { JSONText.quoted($0.name) + ":" + JSONText.quoted($0.value.source) }
            fields.append("\"headers\":{" + headerFields.joined(separator: ",") + "}")
            fields.append("\"sendSni\":\(sendSni)")
            if let bodyTemplate { fields.append("\"bodyTemplate\":" + JSONText.quoted(bodyTemplate.source)) }
            if let contentType { fields.append("\"contentType\":" + JSONText.quoted(contentType.rawValue)) }
            if sendDuplicate { fields.append("\"sendDuplicate\":true") }
        case .batchURL:
            fields.append("\"url\":" + JSONText.quoted(url?.source ?? ""))
            fields.append("\"httpMethod\":" + JSONText.quoted(httpMethod?.rawValue ?? "POST"))
            fields.append("\"linePattern\":" + JSONText.quoted(linePattern?.source ?? ""))
        case .email:
            fields.append("\"recipient\":" + JSONText.quoted(recipient ?? ""))
            fields.append("\"subject\":" + JSONText.quoted(subject?.source ?? ""))
            fields.append("\"message\":" + JSONText.quoted(message?.source ?? ""))
        }
        return "{" + (fields + extra).joined(separator: ",") + "}"
    }
}
