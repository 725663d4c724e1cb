extension VariableBindings {
    /// Reads a message's variable values from an object such as
    /// `{"device": "2C30EA", "time": 1700000000, "data": "0102", "seqNumber": 12, "rssi": -120.5}`.
    ///
    /// Each value is checked against the variable's kind and written the Sigfox way (upper-case device
    /// id without leading zeros, lower-case data, 4-hex station, ...). Variables the callback's
    /// service does not offer are ignored, so one message file serves callbacks of several services;
    /// names that are no variable at all are errors.
    public init(from node: ConfigNode, service: CallbackService, path: String = "") throws(ConfigError) {
        self.init()
        let object = try ConfigObject(node, path: path)
        for entry in object.entries {
            let field = object.fieldPath(entry.key)
            guard let variable = StandardVariable(rawValue: entry.key) else {
                let names = StandardVariable.allCases.map(\.rawValue)
                var message = "'\(entry.key)' is not a Sigfox variable"
                if let near = nearestName(to: entry.key, among: names) { message += "; did you mean '\(near)'?" }
                throw ConfigError(location: entry.keyLocation, path: field, message: message)
            }
            if variable == .data, let text = entry.node.scalarText {
                do {
                    payload = try Hex.bytes(from: text)
                } catch {
                    throw ConfigError(location: entry.node.location, path: field, message: "\(error)")
                }
            }
            guard let kind = VariableCatalogue.kind(of: variable, for: service) else { continue }
            self[variable] = try Self.value(entry.node, kind: kind, field: field)
        }
    }

    /// Converts a configuration value to a variable value of `kind`.
    public static func value(_ node: ConfigNode, kind: VariableKind, field: String) throws(ConfigError) -> VariableValue
    {
        func fail(_ expected: String) -> ConfigError {
            ConfigError(location: node.location, path: field, message: "expected \(expected), found \(node.kindName)")
        }
        if case .null = node.value { return .null }
        let text = node.scalarText
        switch kind {
        case .deviceID:
            guard let text, let id = DeviceID(hex: text) else { throw fail("a device id of 1 to 8 hex digits") }
            return .text(id.description)
        case .deviceTypeID:
            guard let text, let id = DeviceTypeID(text) else { throw fail("a device type id of 24 hex digits") }
            return .text(id.description)
        case .stationID:
            guard let text, let id = BaseStationID(hex: text) else {
                throw fail("a base station id of 1 to 8 hex digits")
            }
            return .text(id.description)
        case .hexData:
            guard let text, let bytes = try? Hex.bytes(from: text) else { throw fail("hex bytes such as 0102ff") }
            return .text(Hex.lowercase(bytes))
        case .integer:
            guard case .number(let raw) = node.value, let value = Int64(raw) else { throw fail("an integer") }
            return .integer(value)
        case .decimal2, .float:
            guard case .number(let raw) = node.value, let value = Double(raw) else { throw fail("a number") }
            return kind == .decimal2 ? .decimal2(value) : .float(value)
        case .decimal2OrText:
            if case .number(let raw) = node.value, let value = Double(raw) { return .decimal2(value) }
            guard let text else { throw fail("a number or N/A") }
            return .text(text)
        case .bool:
            guard case .bool(let flag) = node.value else { throw fail("true or false") }
            return .bool(flag)
        case .text:
            guard let text else { throw fail("text") }
            return .text(text)
        case .lqiWord:
            if let text, let quality = LinkQuality(word: text) { return .text(quality.word()) }
            if let text, let number = Int(text), let quality = LinkQuality(rawValue: number) {
                return .text(quality.word())
            }
            throw fail("Limit, Average, Good or Excellent")
        case .json:
            return .json(node.jsonText)
        }
    }
}

extension ConfigNode {
    /// The value as compact JSON text (numbers keep the text they were written with).
    public var jsonText: String {
        switch value {
        case .object(let entries):
            return "{" + entries.map { JSONText.quoted($0.key) + ":" + $0.node.jsonText }.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .string(let text): return JSONText.quoted(text)
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        }
    }
}
