/// How the embedded receiver chooses its answer: a default, and answers (or sequences) per path.
///
/// A path rule is a sequence: the n-th request to the path gets the n-th answer and the last one
/// repeats, so `["/flaky": [500, 500, 200]]` fails twice and then succeeds, which is how tests walk
/// the 1/2/4-minute retry ladder of SIGFOX.md section 4. A single answer is a sequence of one.
///
/// Paths are matched against the request path without its query. A key ending in `*` matches every
/// path starting with the text before it (`/bidir/*`); an exact key wins over a prefix, and a longer
/// prefix over a shorter one. Requests are counted per key, so all paths under `/bidir/*` share one
/// sequence.
public struct ReceiverRules: Sendable, Equatable {
    /// The answer to requests no path rule matches.
    public var defaultResponse: ReceiverResponse
    /// Answer sequences by path (or prefix ending in `*`); never empty.
    public private(set) var paths: [String: [ReceiverResponse]]

    public init(default defaultResponse: ReceiverResponse = .status(200), paths: [String: [ReceiverResponse]] = [:]) {
        self.defaultResponse = defaultResponse
        self.paths = paths.filter { !$0.value.isEmpty }
    }

    /// Answers every request to `path` with `response`.
    public mutating func set(_ response: ReceiverResponse, for path: String) {
        paths[path] = [response]
    }

    /// Answers the n-th request to `path` with the n-th of `responses`, repeating the last.
    /// An empty list removes the rule.
    public mutating func setSequence(_ responses: [ReceiverResponse], for path: String) {
        paths[path] = responses.isEmpty ? nil : responses
    }

    /// The key of the path rule that applies to `path`, or nil for the default answer.
    public func ruleKey(for path: String) -> String? {
        if paths[path] != nil { return path }
        var best: String?
        for key in paths.keys where key.hasSuffix("*") && path.hasPrefix(key.dropLast()) {
            if best == nil || key.count > best!.count || (key.count == best!.count && key < best!) {
                best = key
            }
        }
        return best
    }

    /// The answer to a request for `path`, advancing that rule's position in `positions`.
    ///
    /// `positions` counts the requests each rule key has answered; the receiver keeps it and clears it
    /// on `reset()` and `setRules(_:)`.
    public func response(for path: String, positions: inout [String: Int]) -> ReceiverResponse {
        guard let key = ruleKey(for: path), let sequence = paths[key] else { return defaultResponse }
        let position = positions[key, default: 0]
        positions[key] = position + 1
        return sequence[min(position, sequence.count - 1)]
    }
}
