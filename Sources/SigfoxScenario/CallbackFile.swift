import SigfoxModel

/// A file of callback definitions: one callback, a list, or a Sigfox API v2 listing (`{"data": [...]}`,
/// the answer of `GET /v2/device-types/{id}/callbacks`, SIGFOX.md section 7).
public enum CallbackFile {
    /// Loads and validates every callback of the file at `path`; errors name the file, line and field.
    public static func load(path: String) throws(ConfigError) -> [CallbackDefinition] {
        let root = try ConfigDocument.load(path: path)
        do {
            return try definitions(in: root)
        } catch {
            throw error.inFile(path)
        }
    }

    /// The callbacks in a parsed document.
    public static func definitions(in root: ConfigNode) throws(ConfigError) -> [CallbackDefinition] {
        var items: [(ConfigNode, String)]
        switch root.value {
        case .array(let nodes):
            items = nodes.enumerated().map { ($1, "[\($0)]") }
        case .object(let entries) where entries.count == 1 && entries[0].key == "data":
            guard case .array(let nodes) = entries[0].node.value else {
                throw ConfigError(
                    location: entries[0].node.location,
                    path: "data",
                    message: "expected a list of callbacks"
                )
            }
            items = nodes.enumerated().map { ($1, "data[\($0)]") }
        default:
            items = [(root, "")]
        }
        guard !items.isEmpty else {
            throw ConfigError(location: root.location, path: "", message: "the file holds no callback")
        }
        var result = [CallbackDefinition]()
        for (node, path) in items {
            result.append(try CallbackDefinition(from: node, path: path))
        }
        return result
    }
}
