import Foundation
import SigfoxModel
import Yams

/// Reads JSON and YAML configuration files into ``ConfigNode`` trees, keeping lines and columns.
///
/// JSON goes through the strict ``JSONParser``; YAML through Yams, whose scalars are typed here the
/// same way for every file: quoted text is a string, `true`/`false` a boolean, `null`/`~`/nothing null,
/// JSON-shaped numbers numbers, anything else a string.
public enum ConfigDocument {
    /// The syntax of a document.
    public enum Syntax: Sendable {
        case json
        case yaml

        /// JSON for `.json` files and for text that starts with `{` or `[`; YAML otherwise.
        static func guess(path: String, text: String) -> Syntax {
            if path.lowercased().hasSuffix(".json") { return .json }
            if path.lowercased().hasSuffix(".yaml") || path.lowercased().hasSuffix(".yml") { return .yaml }
            let first = text.first(where: { !$0.isWhitespace })
            return first == "{" || first == "[" ? .json : .yaml
        }
    }

    /// Loads the file at `path` (`-` is standard input). Errors name the file.
    public static func load(path: String) throws(ConfigError) -> ConfigNode {
        let text = try readText(path: path, calling: "the file")
        return try parse(text, file: path, syntax: Syntax.guess(path: path, text: text))
    }

    /// The UTF-8 text at `path` (`-` is standard input). Errors name the file and call it `noun`
    /// ("the file", "the journal").
    static func readText(path: String, calling noun: String) throws(ConfigError) -> String {
        if path == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw ConfigError(file: path, location: nil, path: "", message: "\(noun) \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (offset, location) = firstInvalidUTF8(Array(data))
            throw ConfigError(
                file: path,
                location: location,
                path: "",
                message:
                    "\(noun) is not UTF-8 text: byte 0x\(String(data[offset], radix: 16)) at byte offset \(offset) "
                    + "is not part of a UTF-8 character"
            )
        }
        return text
    }

    /// Where the first byte that is not valid UTF-8 stands: its offset, and its line and column.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (offset: Int, location: SourceLocation) {
        var index = 0
        var line = 1
        var column = 1
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (index, SourceLocation(line: line, column: column))
            }
            guard index + length <= bytes.count,
                bytes[(index + 1)..<(index + length)].allSatisfy({ $0 & 0xC0 == 0x80 }),
                String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil
            else { return (index, SourceLocation(line: line, column: column)) }
            if lead == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += length
        }
        return (max(0, bytes.count - 1), SourceLocation(line: line, column: column))
    }

    /// Parses `text`; `file` is only used in errors.
    public static func parse(_ text: String, file: String? = nil, syntax: Syntax) throws(ConfigError) -> ConfigNode {
        switch syntax {
        case .json:
            do {
                return try JSONParser.parse(text)
            } catch {
                throw ConfigError(
                    file: file,
                    location: error.location,
                    path: "",
                    message: "invalid JSON: \(error.message)"
                )
            }
        case .yaml:
            let root: Node?
            do {
                root = try Yams.compose(yaml: text)
            } catch let error as YamlError {
                if case .duplicatedKeysInMapping(let keys, let context) = error {
                    throw duplicateKey(keys, after: context.mark, in: text, file: file)
                }
                throw yamlError(error, file: file)
            } catch {
                throw ConfigError(file: file, location: nil, path: "", message: "invalid YAML: \(error)")
            }
            guard let root else {
                throw ConfigError(
                    file: file,
                    location: SourceLocation(line: 1, column: 1),
                    path: "",
                    message: "the document is empty"
                )
            }
            do {
                return try convert(root)
            } catch {
                throw error.inFile(file ?? "")
            }
        }
    }

    private static func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func convert(_ node: Node) throws(ConfigError) -> ConfigNode {
        switch node {
        case .scalar(let scalar):
            return ConfigNode(scalarValue(scalar), at: location(scalar.mark))
        case .sequence(let sequence):
            var items = [ConfigNode]()
            for item in sequence { items.append(try convert(item)) }
            return ConfigNode(.array(items), at: location(sequence.mark))
        case .mapping(let mapping):
            var entries = [ConfigEntry]()
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ConfigError(location: location(key.mark), path: "", message: "a key must be plain text")
                }
                let converted = try convert(value)
                entries.append(
                    ConfigEntry(key: keyScalar.string, keyLocation: location(keyScalar.mark), node: converted)
                )
            }
            return ConfigNode(.object(entries), at: location(mapping.mark))
        case .alias(let alias):
            throw ConfigError(location: location(alias.mark), path: "", message: "unresolved YAML alias")
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar) -> ConfigNode.Value {
        let text = scalar.string
        guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        return isJSONNumber(text) ? .number(text) : .string(text)
    }

    /// Whether `text` is a number as JSON writes them (so `0x10`, `1_000` and `0102` stay text).
    static func isJSONNumber(_ text: String) -> Bool {
        (try? JSONParser.parse(text)).map { if case .number = $0.value { return true } else { return false } } ?? false
    }

    /// A key written twice in one mapping, placed at its second occurrence, as the JSON reader says it.
    /// Yams names the keys only: the place is found in the text (the second time the key starts a line,
    /// or follows `{`, `,` or `- `, at the column it first stood at, after the mapping's start).
    static func duplicateKey(_ keys: [String], after mark: Mark?, in text: String, file: String?) -> ConfigError {
        let key = keys.sorted().first ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var seen: (line: Int, column: Int)?
        for (index, line) in lines.enumerated() where index + 1 >= (mark?.line ?? 1) {
            var search = line[...]
            while let range = search.range(of: key + ":") {
                let before = line[..<range.lowerBound].last
                let column = line.distance(from: line.startIndex, to: range.lowerBound) + 1
                if before == nil || before == " " || before == "{" || before == "," || before == "\t" {
                    let prefix = line[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                    if prefix.isEmpty || prefix.hasSuffix("{") || prefix.hasSuffix(",") || prefix.hasSuffix("-") {
                        if let first = seen {
                            // The same mapping: on the same line (flow style) or at the same indentation.
                            if first.line == index + 1 || first.column == column {
                                return ConfigError(
                                    file: file,
                                    location: SourceLocation(line: index + 1, column: column),
                                    path: key,
                                    message: "field written twice"
                                )
                            }
                        } else {
                            seen = (index + 1, column)
                        }
                    }
                }
                search = line[range.upperBound...]
            }
        }
        return ConfigError(file: file, location: location(mark), path: key, message: "field written twice")
    }

    private static func yamlError(_ error: YamlError, file: String?) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigError(file: file, location: location(mark), path: "", message: "invalid YAML: \(detail)")
        default:
            return ConfigError(file: file, location: nil, path: "", message: "invalid YAML: \(error)")
        }
    }
}
