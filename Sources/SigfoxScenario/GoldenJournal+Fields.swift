import SigfoxModel

/// The fields that differ between a golden line and the run's: a journal line is JSON, and a request body
/// is often JSON too, written as a string inside it. Compared as JSON (inside the body as well), a change
/// reads `request.body.temp: 215 → 216` instead of two long escaped strings that differ somewhere.
extension GoldenJournal {
    /// One field that differs: its path (`request.body.temp`, `status`), and its JSON text on each side
    /// (nil where it is absent).
    struct FieldChange: Equatable {
        var path: String
        var golden: String?
        var run: String?

        /// A string too long to read inline: its line is better shown cut around the difference.
        var isLongText: Bool { [golden, run].contains { ($0?.count ?? 0) > 60 && $0?.first == "\"" } }

        var text: String {
            "\(path): \(golden.map { GoldenJournal.Difference.cut($0, at: 0) } ?? "(absent)") → "
                + (run.map { GoldenJournal.Difference.cut($0, at: 0) } ?? "(absent)")
        }
    }

    /// How many field changes a difference lists.
    static let fieldChangesShown = 6

    /// The fields that differ between two JSON lines, in document order (at most `limit`); nil when a line
    /// is not JSON.
    static func fieldChanges(golden: String, run: String, limit: Int = fieldChangesShown) -> [FieldChange]? {
        guard let left = try? JSONParser.parse(golden), let right = try? JSONParser.parse(run) else { return nil }
        var changes = [FieldChange]()
        compare(left, right, path: "", into: &changes, limit: limit)
        return changes
    }

    private static func compare(
        _ left: ConfigNode,
        _ right: ConfigNode,
        path: String,
        into changes: inout [FieldChange],
        limit: Int
    ) {
        guard changes.count < limit else { return }
        func join(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
        switch (left.value, right.value) {
        case (.object(let golden), .object(let run)):
            for entry in golden {
                if let other = run.first(where: { $0.key == entry.key }) {
                    compare(entry.node, other.node, path: join(entry.key), into: &changes, limit: limit)
                } else if changes.count < limit {
                    changes.append(FieldChange(path: join(entry.key), golden: compact(entry.node), run: nil))
                }
            }
            for entry in run where !golden.contains(where: { $0.key == entry.key }) && changes.count < limit {
                changes.append(FieldChange(path: join(entry.key), golden: nil, run: compact(entry.node)))
            }
        case (.array(let golden), .array(let run)):
            for index in 0..<max(golden.count, run.count) where changes.count < limit {
                let item = "\(path)[\(index)]"
                switch (index < golden.count, index < run.count) {
                case (true, true): compare(golden[index], run[index], path: item, into: &changes, limit: limit)
                case (true, false): changes.append(FieldChange(path: item, golden: compact(golden[index]), run: nil))
                default: changes.append(FieldChange(path: item, golden: nil, run: compact(run[index])))
                }
            }
        case (.string(let golden), .string(let run)) where golden != run:
            // A body written as a string that is itself JSON: the fields inside it.
            if let inner = container(golden), let other = container(run) {
                compare(inner, other, path: path, into: &changes, limit: limit)
            } else {
                changes.append(FieldChange(path: path, golden: compact(left), run: compact(right)))
            }
        default:
            let (golden, run) = (compact(left), compact(right))
            if golden != run { changes.append(FieldChange(path: path, golden: golden, run: run)) }
        }
    }

    /// The text parsed as a JSON object or array, or nil.
    private static func container(_ text: String) -> ConfigNode? {
        guard let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[",
            let node = try? JSONParser.parse(text)
        else { return nil }
        return node
    }

    /// A value as compact JSON text.
    static func compact(_ node: ConfigNode) -> String {
        switch node.value {
        case .object(let entries):
            return "{" + entries.map { JSONText.quoted($0.key) + ":" + compact($0.node) }.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map(compact).joined(separator: ",") + "]"
        case .string(let text): return JSONText.quoted(text)
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        }
    }
}
