import SigfoxModel

/// A scenario (or any configuration tree) written as YAML that the scenario loader reads back to the same
/// values: `export` writes one when its file ends in `.yaml`.
public enum ScenarioYAML {
    /// The YAML text of `root`: `comment` as `#` lines first, then each top-level field, a blank line
    /// between fields whose value spans several lines.
    public static func text(_ root: ConfigNode, comment: [String] = []) -> String {
        var lines = comment.map { $0.isEmpty ? "#" : "# " + $0 }
        if !lines.isEmpty { lines.append("") }
        guard case .object(let entries) = root.value else {
            return (lines + ImportYAML.lines(root, indent: 0)).joined(separator: "\n") + "\n"
        }
        for entry in entries {
            let block = ImportYAML.lines(ConfigNode(.object([entry])), indent: 0)
            if block.count > 1, let last = lines.last, !last.isEmpty { lines.append("") }
            lines += block
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
