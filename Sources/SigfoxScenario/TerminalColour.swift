#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Colours for what a person reads on a terminal: ✓ and delivered in green, ✗ and failures in red, retries
/// in yellow. Off when the output is not a terminal, when `NO_COLOR` is set to anything (no-color.org), or
/// with `TERM=dumb`; the words and marks say the same without them.
public struct TerminalColour: Sendable {
    public let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// On for a terminal on `fileDescriptor`, unless `NO_COLOR` or `TERM=dumb` says otherwise.
    public init(fileDescriptor: Int32, environment: [String: String]) {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        enabled = isatty(fileDescriptor) == 1 && !noColour && environment["TERM"] != "dumb"
    }

    public static let off = TerminalColour(enabled: false)

    public func green(_ text: String) -> String { paint(text, "32") }
    public func red(_ text: String) -> String { paint(text, "31") }
    public func yellow(_ text: String) -> String { paint(text, "33") }

    private func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// `text` in the colour of an outcome: `delivered` green, `retry` yellow, anything else red.
    public func outcome(_ name: String, _ text: String) -> String {
        switch name {
        case "delivered": return green(text)
        case "retry": return yellow(text)
        default: return red(text)
        }
    }

    /// A report whose lines start with ✓ or ✗ (after their indent), `PASSED`, `FAILED`, `DIFFERENT` or
    /// `INTERRUPTED`, with those marks and words coloured.
    public func report(_ text: String) -> String {
        guard enabled else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let body = line.drop { $0 == " " }
            let indent = String(line.prefix(line.count - body.count))
            if body.hasPrefix("✓") { return indent + green("✓") + body.dropFirst() }
            if body.hasPrefix("✗") { return indent + red("✗") + body.dropFirst() }
            for (word, good) in [("PASSED", true), ("FAILED", false), ("DIFFERENT", false), ("INTERRUPTED", false)]
            where line.hasPrefix(word) {
                return (good ? green(word) : red(word)) + line.dropFirst(word.count)
            }
            return String(line)
        }.joined(separator: "\n")
    }
}
