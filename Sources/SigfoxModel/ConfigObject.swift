/// Reads the fields of one configuration object, with errors that name the field and its place.
///
/// It remembers which keys were read so the caller can reject (or warn about) the others, which is
/// how a misspelt field is caught instead of silently ignored.
public struct ConfigObject: Sendable {
    public let node: ConfigNode
    /// The object's path, such as `deviceTypes[0].callbacks[1]`; empty at the top of a file.
    public let path: String
    public let entries: [ConfigEntry]
    private var read: Set<String> = []

    public init(_ node: ConfigNode, path: String) throws(ConfigError) {
        guard let entries = node.entries else {
            throw ConfigError(
                location: node.location,
                path: path,
                message: "expected an object, found \(node.kindName)"
            )
        }
        var seen = Set<String>()
        for entry in entries where !seen.insert(entry.key).inserted {
            throw ConfigError(
                location: entry.keyLocation,
                path: Self.join(path, entry.key),
                message: "field written twice"
            )
        }
        self.node = node
        self.path = path
        self.entries = entries
    }

    /// `path.key`, or `key` at the top.
    public func fieldPath(_ key: String) -> String { Self.join(path, key) }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// Whether the object has `key`.
    public func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The value of `key` (null counts as absent), marking it read.
    public mutating func node(_ key: String) -> ConfigNode? {
        read.insert(key)
        guard let node = entries.first(where: { $0.key == key })?.node else { return nil }
        if case .null = node.value { return nil }
        return node
    }

    /// Where the value of `key` was written.
    public func location(of key: String) -> SourceLocation? {
        entries.first(where: { $0.key == key })?.node.location
    }

    /// A text field. Numbers and booleans written without quotes are read as their text.
    public mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let node = node(key) else { return nil }
        guard let text = node.scalarText else { throw mismatch(key, node, expected: "a string") }
        return text
    }

    /// A boolean field (`true` / `false`).
    public mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let node = node(key) else { return nil }
        switch node.value {
        case .bool(let flag): return flag
        case .string(let text) where text == "true" || text == "false": return text == "true"
        default: throw mismatch(key, node, expected: "true or false")
        }
    }

    /// An integer field.
    public mutating func integer(_ key: String) throws(ConfigError) -> Int? {
        guard let node = node(key) else { return nil }
        if case .number(let text) = node.value, let value = Int(text) { return value }
        if case .string(let text) = node.value, let value = Int(text) { return value }
        throw mismatch(key, node, expected: "an integer")
    }

    /// A number field.
    public mutating func double(_ key: String) throws(ConfigError) -> Double? {
        guard let node = node(key) else { return nil }
        if case .number(let text) = node.value, let value = Double(text) { return value }
        throw mismatch(key, node, expected: "a number")
    }

    /// The keys present but never read, in document order.
    public var unreadEntries: [ConfigEntry] {
        entries.filter { !read.contains($0.key) }
    }

    /// Throws for the first key never read, listing the fields that are allowed.
    public func rejectUnknownFields(allowed: [String]) throws(ConfigError) {
        guard let entry = unreadEntries.first else { return }
        throw unknownField(entry, allowed: allowed)
    }

    /// Throws for the first key not in `allowed`, whether read or not, with a "did you mean": for checking
    /// an object's keys before reading it, so a mistyped key is named before what it leaves missing.
    public func rejectFields(outside allowed: [String]) throws(ConfigError) {
        guard let entry = entries.first(where: { !allowed.contains($0.key) }) else { return }
        throw unknownField(entry, allowed: allowed)
    }

    private func unknownField(_ entry: ConfigEntry, allowed: [String]) -> ConfigError {
        var message = "unknown field '\(entry.key)'"
        if let suggestion = nearestName(to: entry.key, among: allowed) {
            message += "; did you mean '\(suggestion)'?"
        } else {
            message += "; expected one of: " + allowed.joined(separator: ", ")
        }
        return ConfigError(location: entry.keyLocation, path: fieldPath(entry.key), message: message)
    }

    /// An error about the value of `key`.
    public func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(
            location: location(of: key) ?? node.location,
            path: key.isEmpty ? path : fieldPath(key),
            message: message
        )
    }

    private func mismatch(_ key: String, _ node: ConfigNode, expected: String) -> ConfigError {
        ConfigError(
            location: node.location,
            path: fieldPath(key),
            message: "expected \(expected), found \(node.kindName)"
        )
    }
}
