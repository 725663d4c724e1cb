import SigfoxModel

/// Small edits of configuration nodes, for `serve`'s document (``CloudDocument``); the JSON writer is
/// ``ConfigNode/jsonText`` of SigfoxModel.
extension ConfigNode {
    /// The entry named `key` replaced by (or added as) `node`; self when this is not an object.
    func setting(_ key: String, to node: ConfigNode) -> ConfigNode {
        guard case .object(var entries) = value else { return self }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].node = node
        } else {
            entries.append(ConfigEntry(key: key, keyLocation: location, node: node))
        }
        return ConfigNode(.object(entries), at: location)
    }

    /// This object without the entry `key`.
    func removing(_ key: String) -> ConfigNode {
        guard case .object(let entries) = value else { return self }
        return ConfigNode(.object(entries.filter { $0.key != key }), at: location)
    }

    /// The items of an array node, or none.
    public var items: [ConfigNode] {
        if case .array(let items) = value { return items }
        return []
    }

    static func object(_ entries: [(String, ConfigNode)]) -> ConfigNode {
        let location = SourceLocation(line: 1, column: 1)
        return ConfigNode(.object(entries.map { ConfigEntry(key: $0.0, keyLocation: location, node: $0.1) }))
    }

    static func string(_ text: String) -> ConfigNode { ConfigNode(.string(text)) }
}

extension ConfigObject {
    /// Refuses a field not in `allowed` before any is read (the API's "extra fields not permitted").
    mutating func rejectingUnknown(_ allowed: [String]) throws(ConfigError) {
        var probe = self
        for name in allowed { _ = probe.node(name) }
        try probe.rejectUnknownFields(allowed: allowed)
    }
}
