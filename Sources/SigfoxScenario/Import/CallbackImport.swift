import SigfoxModel

/// The callbacks of a device type as the Sigfox API v2 lists them (`GET /v2/device-types/{id}/callbacks`,
/// SIGFOX.md section 7), read for `sigfox-sim import`.
///
/// The objects are kept as they came, so the scenario carries the real configuration; with
/// `toReceiver` each callback URL's origin (`https://host:port`) becomes `{receiver}`, the embedded
/// receiver's address, so the scenario runs locally at once.
public struct CallbackImport: Sendable {
    /// The callback objects, in the listing's order (URLs rewritten when asked).
    public var nodes: [ConfigNode]
    /// Each callback loaded and validated, as a scenario will load it.
    public var definitions: [CallbackDefinition]
    /// Unknown API v2 fields and other things the user may want to read.
    public var warnings: [ConfigError]
    /// The callbacks that could not load, each with its file, line and field: left out of the import.
    public var skipped: [ConfigError]
    /// URLs given to the embedded receiver (`{receiver}`).
    public var rewrittenURLs: Int
    /// The file they came from.
    public var file: String

    /// Reads the file at `path`: the paged answer (`{"data": [...], "paging": {...}}`), a bare list, or
    /// one callback object. Errors name the file, line, column and field.
    public static func load(path: String, toReceiver: Bool) throws(ConfigError) -> CallbackImport {
        let root = try ConfigDocument.load(path: path)
        do {
            return try CallbackImport(root: root, file: path, toReceiver: toReceiver)
        } catch {
            throw error.inFile(path)
        }
    }

    /// Reads a parsed document (see ``load(path:toReceiver:)``).
    public init(root: ConfigNode, file: String, toReceiver: Bool) throws(ConfigError) {
        let items = try ImportListing.items(root, what: "callback", isItem: { $0["callbackType"] != nil })
        guard !items.isEmpty else {
            throw ConfigError(location: root.location, path: "", message: "the listing holds no callback")
        }
        var nodes = [ConfigNode]()
        var definitions = [CallbackDefinition]()
        var warnings = [ConfigError]()
        var skipped = [ConfigError]()
        var rewritten = 0
        for (item, path) in items {
            // Checked as written first, so errors point at the user's own text. A callback that cannot
            // load is left out, the others imported; the command says which and exits 1.
            let original: CallbackDefinition
            do {
                original = try CallbackDefinition(from: item, path: path)
            } catch {
                skipped.append(error.inFile(file))
                continue
            }
            var node = item
            // API v1 exports name the url `urlPattern`; exports from the backend carry both, one empty.
            let urlKeys = ["url", "urlPattern"].filter { item[$0]?.scalarText?.isEmpty == false }
            if toReceiver, original.channel != .email {
                var local = 0
                for urlKey in urlKeys {
                    guard let url = item[urlKey], case .string(let text) = url.value else { continue }
                    if let address = Self.receiverURL(text) {
                        node = node.replacing(key: urlKey, with: ConfigNode(.string(address), at: url.location))
                        local = 1
                    } else {
                        warnings.append(
                            ConfigError(
                                location: url.location,
                                path: path.isEmpty ? urlKey : path + "." + urlKey,
                                message: "not an http(s) URL, left as it is: \(text)"
                            )
                        )
                    }
                }
                rewritten += local
            }
            let definition = try CallbackDefinition(
                from: node.replacingReceiver(with: "http://127.0.0.1:9"),
                path: path
            )
            warnings += definition.warnings.map { $0.inFile(file) }
            nodes.append(node)
            definitions.append(definition)
        }
        if definitions.isEmpty, let first = skipped.first { throw first }
        self.nodes = nodes
        self.definitions = definitions
        self.warnings = warnings
        self.skipped = skipped
        self.rewrittenURLs = rewritten
        self.file = file
    }

    /// `{receiver}` and the path, query and fragment of `url`, or nil when it is not an http(s) URL.
    static func receiverURL(_ url: String) -> String? {
        guard let parts = URLParts(url), parts.scheme == "http" || parts.scheme == "https" else { return nil }
        return ConfigNode.receiverPlaceholder + parts.rest
    }
}

/// The shapes of Sigfox API v2 listings: `{"data": [...], "paging": {...}}`, a bare list, or one item.
enum ImportListing {
    /// The items and their paths (`data[3]`, `[3]`, or empty for a single item).
    static func items(
        _ root: ConfigNode,
        what: String,
        isItem: (ConfigNode) -> Bool
    ) throws(ConfigError) -> [(ConfigNode, String)] {
        switch root.value {
        case .array(let nodes):
            return nodes.enumerated().map { ($1, "[\($0)]") }
        case .object:
            if let data = root["data"] {
                guard case .array(let nodes) = data.value else {
                    throw ConfigError(
                        location: data.location,
                        path: "data",
                        message: "expected the list of \(what)s, found \(data.kindName)"
                    )
                }
                return nodes.enumerated().map { ($1, "data[\($0)]") }
            }
            guard isItem(root) else {
                throw ConfigError(
                    location: root.location,
                    path: "",
                    message: "expected a Sigfox API v2 listing {\"data\": [...]}, a list of \(what)s or one \(what)"
                )
            }
            return [(root, "")]
        default:
            throw ConfigError(
                location: root.location,
                path: "",
                message: "expected a Sigfox API v2 listing {\"data\": [...]} or a list, found \(root.kindName)"
            )
        }
    }
}

extension ConfigNode {
    /// This object with the value of `key` replaced (the key keeps its place).
    func replacing(key: String, with node: ConfigNode) -> ConfigNode {
        guard case .object(let entries) = value else { return self }
        let replaced = entries.map {
            $0.key == key ? ConfigEntry(key: key, keyLocation: $0.keyLocation, node: node) : $0
        }
        return ConfigNode(.object(replaced), at: location)
    }
}
