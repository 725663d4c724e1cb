import SigfoxModel

extension ConfigNode {
    /// The node as JSON text (numbers as written, objects in their order): how `serve` stores and exports
    /// its configuration, in a form `run` and `serve` load again.
    public var jsonText: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch value {
        case .object(let entries):
            out += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { out += "," }
                out += JSONText.quoted(entry.key) + ":"
                entry.node.write(to: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .string(let text): out += JSONText.quoted(text)
        case .number(let text): out += JSONParser.isValid(text) ? text : JSONText.quoted(text)
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        }
    }

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
    var items: [ConfigNode] {
        if case .array(let items) = value { return items }
        return []
    }

    static func object(_ entries: [(String, ConfigNode)]) -> ConfigNode {
        let location = SourceLocation(line: 1, column: 1)
        return ConfigNode(.object(entries.map { ConfigEntry(key: $0.0, keyLocation: location, node: $0.1) }))
    }

    static func string(_ text: String) -> ConfigNode { ConfigNode(.string(text)) }
}
