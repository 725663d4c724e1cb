import SigfoxModel

/// A file of callback definitions: one callback, a list, or a Sigfox API v2 listing (`{"data": [...],
/// "paging": {...}}`, the answer of `GET /v2/device-types/{id}/callbacks`, SIGFOX.md section 7).
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
        // One callback, a list, or a listing `{"data": [...], "paging": {...}}` (paging is ignored).
        let items = try ImportListing.items(root, what: "callback") { $0["data"] == nil }
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
