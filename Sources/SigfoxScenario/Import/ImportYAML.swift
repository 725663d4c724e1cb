import SigfoxModel

/// Writes configuration trees as YAML that ``ConfigDocument`` reads back to the same values.
///
/// Block style for objects and lists; strings plain when that cannot change their meaning, a literal
/// block (`|`) when they span lines, double-quoted otherwise; numbers and booleans as written.
enum ImportYAML {
    /// The lines of `node` as the value of a list item or key at `indent` spaces, without a trailing newline.
    static func lines(_ node: ConfigNode, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch node.value {
        case .object(let entries) where !entries.isEmpty:
            var out = [String]()
            for entry in entries {
                out += keyed(key(entry.key), entry.node, indent: indent, prefix: pad)
            }
            return out
        case .array(let items) where !items.isEmpty:
            var out = [String]()
            for item in items {
                switch item.value {
                case .object(let entries) where !entries.isEmpty:
                    // `- first: value` then the other keys under `first`.
                    var itemLines = [String]()
                    for (index, entry) in entries.enumerated() {
                        let prefix = index == 0 ? pad + "- " : pad + "  "
                        itemLines += keyed(key(entry.key), entry.node, indent: indent + 2, prefix: prefix)
                    }
                    out += itemLines
                case .array(let nested) where !nested.isEmpty:
                    out.append(pad + "-")
                    out += lines(item, indent: indent + 2)
                default:
                    let (head, block) = scalar(item, indent: indent + 2)
                    out.append(pad + "- " + head)
                    out += block
                }
            }
            return out
        default:
            let (head, block) = scalar(node, indent: indent)
            return [pad + head] + block
        }
    }

    /// `key: value`, or `key:` and the value's block under it. `indent` is the key's column.
    private static func keyed(_ key: String, _ node: ConfigNode, indent: Int, prefix: String) -> [String] {
        switch node.value {
        case .object(let entries) where !entries.isEmpty:
            return [prefix + key + ":"] + lines(node, indent: indent + 2)
        case .array(let items) where !items.isEmpty:
            return [prefix + key + ":"] + lines(node, indent: indent + 2)
        default:
            let (head, block) = scalar(node, indent: indent + 2)
            return [prefix + key + ": " + head] + block
        }
    }

    /// A scalar (or an empty object or list): its text after `key: ` and, for a literal block, the block's
    /// lines at `indent` spaces.
    static func scalar(_ node: ConfigNode, indent: Int) -> (String, [String]) {
        switch node.value {
        case .object: return ("{}", [])
        case .array: return ("[]", [])
        case .number(let text): return (text, [])
        case .bool(let flag): return (flag ? "true" : "false", [])
        case .null: return ("null", [])
        case .string(let text):
            if let block = literalBlock(text, indent: indent) { return block }
            return (string(text), [])
        }
    }

    /// A key: plain when safe, quoted otherwise.
    static func key(_ text: String) -> String { string(text) }

    /// A one-line string: plain when YAML and ``ConfigDocument`` read it back as the same string.
    static func string(_ text: String) -> String {
        isPlainSafe(text) ? text : quoted(text)
    }

    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        let special: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]
        guard !special.contains(text.lowercased()), !ConfigDocument.isJSONNumber(text) else { return false }
        guard first != " ", last != " ", !"-?:,[]{}#&*!|>'\"%@`.".unicodeScalars.contains(first) else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-./+@".unicodeScalars)
        return text.unicodeScalars.allSatisfy { allowed.contains($0) }
    }

    /// A double-quoted YAML string: `\\`, `\"`, `\n`, `\t`, `\r`, and `\uXXXX` for other characters YAML
    /// does not allow unescaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFEFF || (0xFFFE...0xFFFF).contains(value)
                {
                    let hex = String(value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A literal block (`|`, `|-`) for text of several lines that such a block keeps exactly, or nil.
    static func literalBlock(_ text: String, indent: Int) -> (String, [String])? {
        guard text.contains("\n"), !text.hasPrefix(" "), !text.hasPrefix("\n") else { return nil }
        let printable = text.unicodeScalars.allSatisfy {
            $0 == "\n" || $0 == "\t" || ($0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) && $0.value != 0xFEFF)
        }
        guard printable else { return nil }
        var body = text
        let header: String
        if body.hasSuffix("\n") {
            body.removeLast()
            // `|` keeps exactly one final line break; more would need `|+`, which is easy to get wrong.
            guard !body.hasSuffix("\n") else { return nil }
            header = "|"
        } else {
            header = "|-"
        }
        let parts = body.split(separator: "\n", omittingEmptySubsequences: false)
        // A line of spaces only would be read as an empty line, and libyaml refuses a line starting with a tab.
        let kept = parts.allSatisfy {
            $0.isEmpty || ($0.contains(where: { $0 != " " && $0 != "\t" }) && !$0.hasPrefix("\t"))
        }
        guard kept else { return nil }
        let pad = String(repeating: " ", count: indent)
        return (header, parts.map { $0.isEmpty ? "" : pad + $0 })
    }
}
