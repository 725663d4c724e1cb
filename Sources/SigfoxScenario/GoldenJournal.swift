import Foundation
import SigfoxEngine

/// A run's journal in the form golden files keep, and its comparison with a golden file.
///
/// Normalised so that two runs of the same scenario and seed give the same lines (DESIGN.md,
/// "Determinism"): tries in canonical order (due time, delivery, attempt; tries in flight together may end
/// in any order), no `latencyMs` (measured, so it differs), and the embedded receiver's ephemeral base URL
/// written back as `{receiver}`. Everything else, requests byte for byte included, must match.
public struct GoldenJournal: Sendable {
    /// The file holding the normalised lines of the run, in canonical order (``GoldenStream``'s).
    public var runFile: String
    /// How many lines it holds.
    public var runCount: Int
    /// The folder golden paths are relative to (the scenario file's).
    public var folder: String
    /// Write the run's lines to the golden file instead of comparing (`--update-golden`).
    public var update: Bool

    /// How many differing lines a failure shows.
    public static let differencesShown = 3
    /// Journals up to this many lines are aligned whole when they differ; beyond, the lines from the
    /// first difference on, up to ``differenceWindow`` of each, are.
    public static let wholeAlignmentLines = 50_000
    public static let differenceWindow = 5_000

    public init(runFile: String, runCount: Int, folder: String, update: Bool = false) {
        self.runFile = runFile
        self.runCount = runCount
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
                // Copied beside the golden file, then renamed over it: a reader never sees half a file.
                let temporary = path + ".sigfox-sim-update"
                try? FileManager.default.removeItem(atPath: temporary)
                try FileManager.default.copyItem(atPath: runFile, toPath: temporary)
                // The run's file is private (0600); a golden file is for the repository: 0644.
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary)
                guard rename(temporary, path) == 0 else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
                }
                var result = ExpectationResult(
                    expectation: expectation,
                    passed: true,
                    actual: "wrote \(path), \(runCount) lines"
                )
                result.wrote = path
                return result
            } catch {
                return ExpectationResult(
                    expectation: expectation,
                    passed: false,
                    actual: "cannot write \(path): \(error.localizedDescription)"
                )
            }
        }
        guard let goldenReader = LineReader(path: path) else {
            return ExpectationResult(
                expectation: expectation,
                passed: false,
                actual: "no golden file \(path)",
                detail: ["run with --update-golden to write it from this run"]
            )
        }
        guard let runReader = LineReader(path: runFile) else {
            return ExpectationResult(
                expectation: expectation,
                passed: false,
                actual: "cannot read the run's journal at \(runFile)"
            )
        }
        // Side by side, one line of each at a time: the first difference and the golden file's length.
        var goldenCount = 0
        var firstDifference: Int?
        while let line = goldenReader.next() {
            goldenCount += 1
            if firstDifference == nil, runReader.next() != Self.normalize(line: line, receiverURL: nil) {
                firstDifference = goldenCount - 1
            }
        }
        if firstDifference == nil, runReader.next() != nil { firstDifference = goldenCount }
        guard let firstDifference else {
            return ExpectationResult(expectation: expectation, passed: true, actual: "\(runCount) lines match")
        }
        // The differing part, aligned: all of it when both journals are small, else a window of each from
        // the first difference on.
        let whole = goldenCount <= Self.wholeAlignmentLines && runCount <= Self.wholeAlignmentLines
        let skip = whole ? 0 : firstDifference
        let limit = whole ? Int.max : Self.differenceWindow
        let golden = Self.readLines(path, skip: skip, limit: limit).map { Self.normalize(line: $0, receiverURL: nil) }
        let run = Self.readLines(runFile, skip: skip, limit: limit)
        let differences = Self.differences(golden: golden, run: run).map { difference in
            var shifted = difference
            shifted.line += skip
            shifted.runLine = difference.runLine.map { $0 + skip }
            return shifted
        }
        var detail = [String]()
        for difference in differences.prefix(Self.differencesShown) {
            detail += difference.text
        }
        if differences.count > Self.differencesShown {
            detail.append("… and \(differences.count - Self.differencesShown) more differing lines")
        }
        if !whole {
            detail.append(
                "(aligned on the \(Self.differenceWindow) lines of each from the first difference on; "
                    + "the rest was not compared)"
            )
        }
        detail.append("if the change is intended: sigfox-sim run SCENARIO --update-golden")
        let count = goldenCount == runCount ? "" : "; golden \(goldenCount) lines, run \(runCount)"
        let number = max(differences.count, 1)
        return ExpectationResult(
            expectation: expectation,
            passed: false,
            actual: "\(whole ? "" : "at least ")\(number) \(number == 1 ? "line differs" : "lines differ"), first at "
                + "line \(differences.first?.line ?? firstDifference + 1)\(count)",
            detail: detail
        )
    }

    /// Up to `limit` lines of the file at `path`, after the first `skip`.
    static func readLines(_ path: String, skip: Int, limit: Int) -> [String] {
        guard let reader = LineReader(path: path) else { return [] }
        var lines = [String]()
        var index = 0
        while lines.count < limit, let line = reader.next() {
            if index >= skip { lines.append(line) }
            index += 1
        }
        return lines
    }

    /// One line that differs: its number (1-based: in the golden file for a changed or missing line, in
    /// the run for an added one), the golden and the run's text (nil when missing).
    struct Difference {
        var line: Int
        var golden: String?
        var run: String?
        /// The run's line number of a changed line, when it is not `line` (lines added or removed before).
        var runLine: Int? = nil

        /// `line 3, column 57:` then `- golden` and `+ run`, each cut around the first differing column.
        var text: [String] {
            guard let golden, let run else {
                if let golden { return ["line \(line): missing from the run", "  - \(Self.cut(golden, at: 0))"] }
                return ["line \(line): not in the golden file", "  + \(Self.cut(run ?? "", at: 0))"]
            }
            let column = zip(golden, run).prefix { $0 == $1 }.count
            let place = "line \(line)" + (runLine.map { " (run line \($0))" } ?? "")
            let cutLines = ["  - \(Self.cut(golden, at: column))", "  + \(Self.cut(run, at: column))"]
            // Compared as JSON, a JSON body included: the fields that changed, by name.
            guard let changes = GoldenJournal.fieldChanges(golden: golden, run: run), !changes.isEmpty else {
                return ["\(place), column \(column + 1):"] + cutLines
            }
            if changes.count == 1, changes[0].isLongText {
                return ["\(place), column \(column + 1): \(changes[0].path) differs:"] + cutLines
            }
            let count =
                changes.count >= GoldenJournal.fieldChangesShown ? "at least \(changes.count)" : "\(changes.count)"
            return ["\(place): \(changes.count == 1 ? "1 field differs" : "\(count) fields differ"):"]
                + changes.map { "  " + $0.text }
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

    /// The differences, aligned: one line removed from (or added to) the journal is one difference, not
    /// every line after it. The lines both sides share at the start and the end are set aside; the rest
    /// is aligned on a longest common subsequence, and a removed line followed by an added one is shown
    /// as one changed line (with the column where they part). Beyond `alignmentLimit` cells the middle is
    /// compared line by line instead.
    static func differences(golden: [String], run: [String], alignmentLimit: Int = 4_000_000) -> [Difference] {
        var prefix = 0
        while prefix < min(golden.count, run.count), golden[prefix] == run[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(golden.count, run.count) - prefix,
            golden[golden.count - 1 - suffix] == run[run.count - 1 - suffix]
        {
            suffix += 1
        }
        let left = Array(golden[prefix..<(golden.count - suffix)])
        let right = Array(run[prefix..<(run.count - suffix)])
        let steps: [Step] =
            left.count * right.count <= alignmentLimit
            ? alignedSteps(left, right)
            : (0..<max(left.count, right.count)).flatMap { index -> [Step] in
                switch (index < left.count, index < right.count) {
                case (true, true): return left[index] == right[index] ? [.same] : [.removed, .added]
                case (true, false): return [.removed]
                default: return [.added]
                }
            }
        var result = [Difference]()
        var goldenIndex = prefix
        var runIndex = prefix
        var index = 0
        while index < steps.count {
            if steps[index] == .same {
                goldenIndex += 1
                runIndex += 1
                index += 1
                continue
            }
            // A block of removals and additions: pair them up as changed lines, the rest as they are.
            var removed = 0
            var added = 0
            while index < steps.count, steps[index] != .same {
                if steps[index] == .removed { removed += 1 } else { added += 1 }
                index += 1
            }
            for offset in 0..<max(removed, added) {
                if offset < removed && offset < added {
                    let line = goldenIndex + offset + 1
                    let runLine = runIndex + offset + 1
                    result.append(
                        Difference(
                            line: line,
                            golden: golden[goldenIndex + offset],
                            run: run[runIndex + offset],
                            runLine: runLine == line ? nil : runLine
                        )
                    )
                } else if offset < removed {
                    result.append(
                        Difference(line: goldenIndex + offset + 1, golden: golden[goldenIndex + offset], run: nil)
                    )
                } else {
                    result.append(Difference(line: runIndex + offset + 1, golden: nil, run: run[runIndex + offset]))
                }
            }
            goldenIndex += removed
            runIndex += added
        }
        return result
    }

    enum Step { case same, removed, added }

    /// The edit steps from `left` to `right` along a longest common subsequence (removals before
    /// additions within a block, so a changed line pairs up).
    static func alignedSteps(_ left: [String], _ right: [String]) -> [Step] {
        let n = left.count
        let m = right.count
        guard n > 0, m > 0 else { return Array(repeating: .removed, count: n) + Array(repeating: .added, count: m) }
        // lengths[i][j]: the longest common subsequence of left[i...] and right[j...].
        var lengths = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] =
                    left[i] == right[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var steps = [Step]()
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, left[i] == right[j] {
                steps.append(.same)
                i += 1
                j += 1
            } else if i < n, j == m || lengths[i + 1][j] >= lengths[i][j + 1] {
                steps.append(.removed)
                i += 1
            } else {
                steps.append(.added)
                j += 1
            }
        }
        return steps
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

/// The lines of a file, one at a time (empty lines skipped, as golden files are read).
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    init?(path: String) {
        guard let file = fopen(path, "r") else { return nil }
        self.file = file
    }

    func next() -> String? {
        while true {
            let length = getline(&buffer, &capacity, file)
            guard length >= 0, let buffer else { return nil }
            var end = length
            while end > 0, buffer[end - 1] == 0x0A || buffer[end - 1] == 0x0D { end -= 1 }
            if end == 0 { continue }
            return buffer.withMemoryRebound(to: UInt8.self, capacity: end) {
                String(decoding: UnsafeBufferPointer(start: $0, count: end), as: UTF8.self)
            }
        }
    }

    deinit {
        free(buffer)
        fclose(file)
    }
}
