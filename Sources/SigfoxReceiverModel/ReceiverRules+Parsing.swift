import SigfoxModel

/// Why a receiver rule written on the command line was refused: the option, its text, what to write.
public struct ReceiverRulesError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The option the text came from, e.g. `--sequence`.
    public var option: String
    /// The text as the user wrote it.
    public var text: String
    public var message: String

    public init(option: String, text: String, message: String) {
        self.option = option
        self.text = text
        self.message = message
    }

    public var description: String { text.isEmpty ? "\(option): \(message)" : "\(option) '\(text)': \(message)" }
}

/// The rule options of `sigfox-sim receive`, as written, before they are checked.
public struct ReceiverRuleOptions: Sendable, Equatable {
    public var status: Int?
    /// Seconds, as written (`1.5`, `1.5s`, `250ms`).
    public var delay: String?
    public var reset: Bool
    public var hang: Bool
    /// `fixed:HEX`, `echo`, `204`, `nodata`, `malformed` or `bad-length`.
    public var bidir: String?
    /// `PATH=ANSWER,ANSWER,...` each.
    public var sequences: [String]

    public init(
        status: Int? = nil,
        delay: String? = nil,
        reset: Bool = false,
        hang: Bool = false,
        bidir: String? = nil,
        sequences: [String] = []
    ) {
        self.status = status
        self.delay = delay
        self.reset = reset
        self.hang = hang
        self.bidir = bidir
        self.sequences = sequences
    }
}

extension ReceiverRules {
    /// The grammar of one answer, for help texts and error messages.
    public static let answerSyntax =
        "a status (200..599), reset, hang, redirect[:URL], huge:BYTES (k/m suffix), or bidir:KIND, "
        + "optionally followed by @SECONDS (a delay, e.g. 500@1.5 or 200@250ms)"

    /// Builds the rules from the `receive` options, refusing contradictions with a clear message.
    public init(options: ReceiverRuleOptions) throws(ReceiverRulesError) {
        let exclusive = [
            ("--reset", options.reset), ("--hang", options.hang), ("--bidir", options.bidir != nil),
            ("--status", options.status != nil),
        ].filter { $0.1 }.map { $0.0 }
        if exclusive.count > 1 {
            throw ReceiverRulesError(
                option: exclusive[0],
                text: "",
                message: "cannot be combined with \(exclusive[1...].joined(separator: ", ")); choose one default answer"
            )
        }
        var response = ReceiverResponse.status(200)
        if options.reset { response = .reset }
        if options.hang { response = .hang }
        if let bidir = options.bidir { response = .bidir(try BidirAnswer(parsing: bidir, option: "--bidir")) }
        if let status = options.status {
            response = .status(try Self.status(String(status), option: "--status", text: String(status)))
        }
        if let delay = options.delay {
            response.delay = try Self.delay(delay, option: "--delay", text: delay)
        }
        self.init(default: response)
        for text in options.sequences {
            let (path, responses) = try Self.parseSequence(text)
            guard paths[path] == nil else {
                throw ReceiverRulesError(option: "--sequence", text: text, message: "\(path) already has a sequence")
            }
            setSequence(responses, for: path)
        }
    }

    /// Parses `PATH=ANSWER,ANSWER,...` (`/flaky=500,500,200`); PATH starts with `/` or is `*`.
    public static func parseSequence(_ text: String) throws(ReceiverRulesError) -> (String, [ReceiverResponse]) {
        func fail(_ message: String) -> ReceiverRulesError {
            ReceiverRulesError(option: "--sequence", text: text, message: message)
        }
        guard let equals = text.firstIndex(of: "=") else {
            throw fail("expected PATH=ANSWER,ANSWER,... e.g. /flaky=500,500,200")
        }
        let path = String(text[..<equals])
        guard path.hasPrefix("/") || path.hasPrefix("*") else {
            throw fail("the path '\(path)' must start with / (or be * for every path)")
        }
        let specs = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false)
        var responses = [ReceiverResponse]()
        for spec in specs {
            responses.append(try ReceiverResponse(parsing: String(spec), option: "--sequence", text: text))
        }
        return (path, responses)
    }

    static func status(_ spec: String, option: String, text: String) throws(ReceiverRulesError) -> Int {
        guard let code = Int(spec), (200...599).contains(code) else {
            throw ReceiverRulesError(
                option: option,
                text: text,
                message: "'\(spec)' is not an HTTP status from 200 to 599"
            )
        }
        return code
    }

    static func delay(_ spec: String, option: String, text: String) throws(ReceiverRulesError) -> Duration {
        var number = Substring(spec)
        var scale = 1.0
        if number.hasSuffix("ms") {
            number = number.dropLast(2)
            scale = 0.001
        } else if number.hasSuffix("s") {
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value >= 0, value * scale <= 86_400 else {
            throw ReceiverRulesError(
                option: option,
                text: text,
                message: "'\(spec)' is not a delay; write seconds such as 1.5, 1.5s or 250ms (at most a day)"
            )
        }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }
}

extension ReceiverResponse {
    /// Parses one answer written as in `ReceiverRules.answerSyntax` (`500`, `reset@2`, `bidir:echo`).
    public init(parsing spec: String, option: String = "--sequence", text: String? = nil) throws(ReceiverRulesError) {
        let text = text ?? spec
        func fail(_ message: String) -> ReceiverRulesError {
            ReceiverRulesError(option: option, text: text, message: message)
        }
        var body = spec.trimmedASCIIWhitespace
        var delay = Duration.zero
        if let at = body.lastIndex(of: "@") {
            delay = try ReceiverRules.delay(String(body[body.index(after: at)...]), option: option, text: text)
            body = String(body[..<at])
        }
        let (word, argument) = Self.split(body)
        switch word.lowercased() {
        case "":
            throw fail("an answer is missing; write \(ReceiverRules.answerSyntax)")
        case "reset":
            self = .reset
        case "hang":
            self = .hang
        case "redirect":
            self = .redirect(to: argument ?? "/moved")
        case "huge":
            guard let argument, let bytes = Self.byteCount(argument) else {
                throw fail("write huge:BYTES, e.g. huge:10000000 or huge:10m")
            }
            self = .hugeBody(bytes: bytes)
        case "bidir":
            self = .bidir(try BidirAnswer(parsing: argument ?? "", option: option, text: text))
        default:
            guard argument == nil, Int(word) != nil else {
                throw fail("'\(body)' is not an answer; write \(ReceiverRules.answerSyntax)")
            }
            self = .status(try ReceiverRules.status(word, option: option, text: text))
        }
        self.delay = delay
    }

    private static func split(_ text: String) -> (String, String?) {
        guard let colon = text.firstIndex(of: ":") else { return (text, nil) }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// `4096`, `512k` (KiB) or `10m` (MiB).
    private static func byteCount(_ text: String) -> Int? {
        let lower = text.lowercased()
        let (digits, scale) =
            lower.hasSuffix("k")
            ? (lower.dropLast(), 1024) : lower.hasSuffix("m") ? (lower.dropLast(), 1 << 20) : (Substring(lower), 1)
        guard let count = Int(digits), count > 0, count <= (1 << 40) / scale else { return nil }
        return count * scale
    }
}

extension BidirAnswer {
    /// The BIDIR kinds as written on the command line.
    public static let syntax = "fixed:HEX (16 hex digits), echo, 204, nodata, malformed or bad-length"

    /// Parses `fixed:0102030405060708`, `echo`, `204`, `nodata`, `malformed` or `bad-length`.
    public init(parsing spec: String, option: String = "--bidir", text: String? = nil) throws(ReceiverRulesError) {
        let text = text ?? spec
        let lower = spec.lowercased()
        switch lower {
        case "echo": self = .echo
        case "204", "no-content": self = .noContent
        case "nodata", "no-data": self = .noData
        case "malformed": self = .malformed
        case "bad-length", "badlength": self = .badLength
        default:
            guard lower.hasPrefix("fixed:") else {
                throw ReceiverRulesError(
                    option: option,
                    text: text,
                    message: "'\(spec)' is not a BIDIR answer; write \(Self.syntax)"
                )
            }
            let data = String(spec.dropFirst("fixed:".count))
            guard data.utf8.count == 16, data.utf8.allSatisfy({ Hex.nibble($0) != nil }) else {
                throw ReceiverRulesError(
                    option: option,
                    text: text,
                    message:
                        "'\(data)' is not 16 hex digits (8 bytes, SIGFOX.md section 5); use bad-length to send a wrong length on purpose"
                )
            }
            self = .fixed(data)
        }
    }
}
