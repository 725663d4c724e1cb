/// A place in a configuration file: 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// One value of a JSON or YAML configuration document, with where it was written.
///
/// Callback definitions, messages and scenarios are read from this tree, whichever syntax the user
/// wrote, so both syntaxes give the same values and the same errors, each naming its line and column.
public struct ConfigNode: Sendable, Equatable {
    /// The value itself. Numbers keep their text, so `0102` written unquoted in YAML can still be
    /// read as the hex string the user meant.
    public enum Value: Sendable, Equatable {
        case object([ConfigEntry])
        case array([ConfigNode])
        case string(String)
        case number(String)
        case bool(Bool)
        case null
    }

    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation = SourceLocation(line: 1, column: 1)) {
        self.value = value
        self.location = location
    }

    /// A short name of the value's kind for error messages ("a string", "an object").
    public var kindName: String {
        switch value {
        case .object: return "an object"
        case .array: return "a list"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The entries of an object, or nil.
    public var entries: [ConfigEntry]? {
        if case .object(let entries) = value { return entries }
        return nil
    }

    /// The value of `key` in an object, or nil.
    public subscript(key: String) -> ConfigNode? {
        entries?.first(where: { $0.key == key })?.node
    }

    /// A string, or the text of a number or boolean written without quotes.
    public var scalarText: String? {
        switch value {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }
}

/// A key and its value in a configuration object, in document order.
public struct ConfigEntry: Sendable, Equatable {
    public var key: String
    public var keyLocation: SourceLocation
    public var node: ConfigNode

    public init(key: String, keyLocation: SourceLocation, node: ConfigNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.node = node
    }
}

/// A configuration error a user can act on: where (file, line, column, field path) and what is wrong.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String?
    public var location: SourceLocation?
    /// The field, as a path such as `callbacks[1].bodyTemplate`.
    public var path: String
    public var message: String

    public init(file: String? = nil, location: SourceLocation?, path: String, message: String) {
        self.file = file
        self.location = location
        self.path = path
        self.message = message
    }

    /// The same error, attributed to `file`.
    public func inFile(_ file: String) -> ConfigError {
        var copy = self
        copy.file = copy.file ?? file
        return copy
    }

    /// `file:line:column: path: message`, leaving out the parts that are unknown.
    public var description: String {
        var prefix = ""
        if let file { prefix += file + ":" }
        if let location { prefix += "\(location.line):\(location.column):" }
        if !prefix.isEmpty { prefix += " " }
        if !path.isEmpty { prefix += path + ": " }
        return prefix + message
    }
}
