import Foundation
import SigfoxEngine

/// A run's journal in the form golden files keep, and its comparison with a golden file.
///
/// Normalised so that two runs of the same scenario and seed give the same lines (DESIGN.md,
/// "Determinism"): tries in canonical order (due time, delivery, attempt; tries in flight together may end
/// in any order), no `latencyMs` (measured, so it differs), and the embedded receiver's ephemeral base URL
/// written back as `{receiver}`. Everything else, requests byte for byte included, must match.
public struct GoldenJournal: Sendable {
    /// The normalised lines of the run.
    public var lines: [String]
    /// The folder golden paths are relative to (the scenario file's).
    public var folder: String
    /// Write the run's lines to the golden file instead of comparing (`--update-golden`).
    public var update: Bool

    /// How many differing lines a failure shows.
    public static let differencesShown = 3

    public init(lines: [String], folder: String, update: Bool = false) {
        self.lines = lines
        self.folder = folder
        self.update = update
    }

    /// The normalised lines of `attempts`; `receiverURL` (the embedded receiver's base URL) becomes
    /// `{receiver}`.
    public static func normalize(_ attempts: [AttemptRecord], receiverURL: String?) -> [String] {
        attempts.sorted { ($0.scheduledAt, $0.delivery, $0.attempt) < ($1.scheduledAt, $1.delivery, $1.attempt) }
            .map { normalize(line: $0.jsonLine, receiverURL: receiverURL) }
    }

    /// One journal line without its `latencyMs`, with `receiverURL` written `{receiver}`, and with what
    /// libcurl measured in a failure's message written `{ms}` ("Failed to connect to {receiver} after
    /// {ms} ms", "Operation timed out after {ms} milliseconds ...").
    public static func normalize(line: String, receiverURL: String?) -> String {
        var line = line
        if let range = line.range(of: ",\"latencyMs\":", options: .backwards) {
            line = String(line[..<range.lowerBound]) + "}"
        }
        line = normalizeMessage(line, receiverURL: receiverURL)
        if let receiverURL, !receiverURL.isEmpty {
            line = line.replacingOccurrences(of: receiverURL, with: ConfigNodePlaceholder.receiver)
        }
        return line
    }

    /// The line with its `message` field's measured parts normalised; nothing else in the line (request
    /// bodies, answers) is touched.
    private static func normalizeMessage(_ line: String, receiverURL: String?) -> String {
        // The message follows the request, whose strings are escaped: the last unescaped key is the field.
        guard let key = line.range(of: #","message":""#, options: .backwards) else { return line }
        var end = key.upperBound
        var escaped = false
        while end < line.endIndex {
            let character = line[end]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                break
            }
            end = line.index(after: end)
        }
        var message = String(line[key.upperBound..<end])
        message = AttemptRecord.withoutTimings(message, placeholder: "{ms}")
        if let receiverURL, let url = URLComponents(string: receiverURL), let host = url.host, let port = url.port {
            message = message.replacingOccurrences(of: "\(host) port \(port)", with: ConfigNodePlaceholder.receiver)
        }
        return String(line[..<key.upperBound]) + message + String(line[end...])
    }

    /// The path of `file`: as written when absolute, otherwise in ``folder``.
    public func resolve(_ file: String) -> String {
        file.hasPrefix("/") || folder.isEmpty ? file : folder + "/" + file
    }

    /// Whether `path` stays inside ``folder`` once symbolic links are followed (the part that exists).
    func isInsideFolder(_ path: String) -> Bool {
        let base = Self.realPath(folder.isEmpty ? "." : folder)
        return Self.realPath(path).hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }

    /// `path` with every link of its longest existing prefix followed (`realpath`), the rest as written.
    static func realPath(_ path: String) -> String {
        var components = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        var rest = [String]()
        while !components.isEmpty {
            if let resolved = realpath(NSString.path(withComponents: components), nil) {
                defer { free(resolved) }
                return ([String(cString: resolved)] + rest.reversed()).joined(separator: "/")
            }
            rest.append(components.removeLast())
        }
        return path
    }

    /// Compares the run with the golden file (or writes it when updating).
    func check(file: String, expectation: Expectation) -> ExpectationResult {
        let path = resolve(file)
        guard isInsideFolder(path) else {
            return ExpectationResult(
                expectation: expectation,
                passed: false,
                actual: "\(path) is outside the scenario's folder (a link leads out of it): not read, not written"
            )
        }
        if update {
            do {
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
                try (lines.map { $0 + "\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
                return ExpectationResult(
                    expectation: expectation,
                    passed: true,
                    actual: "written (\(lines.count) lines)"
                )
            } catch {
                return ExpectationResult(
                    expectation: expectation,
                    passed: false,
                    actual: "cannot write \(path): \(error.localizedDescription)"
                )
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return ExpectationResult(
                expectation: expectation,
                passed: false,
                actual: "no golden file \(path)",
                detail: ["run with --update-golden to write it from this run"]
            )
        }
        let golden = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .map { Self.normalize(line: String($0), receiverURL: nil) }
        let differences = Self.differences(golden: golden, run: lines)
        guard !differences.isEmpty else {
            return ExpectationResult(expectation: expectation, passed: true, actual: "\(lines.count) lines match")
        }
        var detail = [String]()
        for difference in differences.prefix(Self.differencesShown) {
            detail += difference.text
        }
        if differences.count > Self.differencesShown {
            detail.append("… and \(differences.count - Self.differencesShown) more differing lines")
        }
        detail.append("if the change is intended: sigfox-sim run SCENARIO --update-golden")
        let count = golden.count == lines.count ? "" : "; golden \(golden.count) lines, run \(lines.count)"
        return ExpectationResult(
            expectation: expectation,
            passed: false,
            actual: "\(differences.count) \(differences.count == 1 ? "line differs" : "lines differ"), first at line "
                + "\(differences[0].line)\(count)",
            detail: detail
        )
    }

    /// One line that differs: its number (1-based), the golden and the run's text (nil when missing).
    struct Difference {
        var line: Int
        var golden: String?
        var run: String?

        /// `line 3, column 57:` then `- golden` and `+ run`, each cut around the first differing column.
        var text: [String] {
            guard let golden, let run else {
                if let golden { return ["line \(line): missing from the run", "  - \(Self.cut(golden, at: 0))"] }
                return ["line \(line): not in the golden file", "  + \(Self.cut(run ?? "", at: 0))"]
            }
            let column = zip(golden, run).prefix { $0 == $1 }.count
            return [
                "line \(line), column \(column + 1):",
                "  - \(Self.cut(golden, at: column))",
                "  + \(Self.cut(run, at: column))",
            ]
        }

        /// At most 160 characters of `text`, starting a little before `column`.
        static func cut(_ text: String, at column: Int) -> String {
            let characters = Array(text)
            guard characters.count > 160 else { return text }
            let start = max(0, min(column - 40, characters.count - 160))
            let end = min(characters.count, start + 160)
            return (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
        }
    }

    /// Line-by-line differences (journals are in canonical order, so line numbers line up).
    static func differences(golden: [String], run: [String]) -> [Difference] {
        var result = [Difference]()
        for index in 0..<max(golden.count, run.count) {
            let left = index < golden.count ? golden[index] : nil
            let right = index < run.count ? run[index] : nil
            if left != right { result.append(Difference(line: index + 1, golden: left, run: right)) }
        }
        return result
    }
}

/// The placeholder text the scenario file and golden journals use for the embedded receiver.
enum ConfigNodePlaceholder {
    static let receiver = "{receiver}"
}

extension GoldenJournal {
    /// The text of the differences between two lists of lines, as a failed golden check shows them.
    public static func lineDifferences(golden: [String], run: [String]) -> [String] {
        differences(golden: golden, run: run).flatMap(\.text)
    }
}
