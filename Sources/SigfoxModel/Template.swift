/// A callback template compiled once into literal text and variable references, rendered many times.
///
/// Variables are written `{name}` and replaced as plain text (SIGFOX.md section 3). A brace that does not
/// open a well-formed `{name}` (JSON's own braces, `{ }`, `{"a":1}`) is literal text, so JSON bodies can be
/// written as they are. Whether a name is known, and offered by the callback's service, is checked by
/// ``CallbackDefinition`` so the error can name the callback.
public struct Template: Sendable, Equatable, CustomStringConvertible {
    /// One piece of a compiled template.
    public enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case variable(VariableReference)
    }

    /// A `{name}` in the template, with where it was written.
    public struct VariableReference: Sendable, Equatable {
        /// The text between the braces.
        public var name: String
        /// The variable, or nil when the emulator knows no variable of that name.
        public var variable: Variable?
        /// 1-based line and column of the `{` within the template text.
        public var position: SourceLocation
    }

    public let source: String
    public let segments: [Segment]
    /// The source, when it has no variables: what every rendering returns (no copy).
    private let literalText: String?

    public var description: String { source }

    /// The variable references in order of appearance.
    public var references: [VariableReference] {
        segments.compactMap {
            if case .variable(let reference) = $0 { return reference }
            return nil
        }
    }

    /// Whether the template has no variables.
    public var isLiteral: Bool { literalText != nil }

    /// Compiles `source`. Never fails: unknown names are kept for validation to report.
    public init(_ source: String) {
        self.source = source
        var segments = [Segment]()
        let bytes = Array(source.utf8)
        var literalStart = 0
        var index = 0
        var line = 1
        var lineStart = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            if byte == UInt8(ascii: "{"), let end = Self.variableEnd(in: bytes, openingAt: index) {
                if literalStart < index { segments.append(.literal(Array(bytes[literalStart..<index]))) }
                let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                let position = SourceLocation(line: line, column: Self.column(bytes, lineStart, index))
                segments.append(
                    .variable(VariableReference(name: name, variable: Variable(name: name), position: position))
                )
                index = end + 1
                literalStart = index
                continue
            }
            index += 1
        }
        if literalStart < bytes.count { segments.append(.literal(Array(bytes[literalStart...]))) }
        self.segments = segments
        literalText = segments.contains { if case .variable = $0 { true } else { false } } ? nil : source
    }

    /// Renders the template: each variable is replaced by `value(variable)`, encoded by `encoding`.
    /// References to unknown names render as they were written (validation rejects them first).
    public func render(encoding: ValueEncoding, value: (Variable) -> String) -> String {
        if let literalText { return literalText }
        var out = [UInt8]()
        out.reserveCapacity(source.utf8.count + 32)
        for segment in segments {
            switch segment {
            case .literal(let bytes):
                out.append(contentsOf: bytes)
            case .variable(let reference):
                if let variable = reference.variable {
                    encoding.append(value(variable), to: &out)
                } else {
                    out.append(contentsOf: "{\(reference.name)}".utf8)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The index of the `}` closing a well-formed variable name that starts after `open`, or nil.
    /// A name is a letter followed by letters, digits and `_`, optionally `#` and a field name of
    /// letters, digits, `_` and `-` (`customData#temp-1`).
    private static func variableEnd(in bytes: [UInt8], openingAt open: Int) -> Int? {
        var index = open + 1
        guard index < bytes.count, isLetter(bytes[index]) else { return nil }
        while index < bytes.count, isLetter(bytes[index]) || isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_")
        {
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "#") {
            index += 1
            let fieldStart = index
            while index < bytes.count,
                isLetter(bytes[index]) || isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_")
                    || bytes[index] == UInt8(ascii: "-")
            {
                index += 1
            }
            guard index > fieldStart else { return nil }
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else { return nil }
        return index
    }

    private static func column(_ bytes: [UInt8], _ lineStart: Int, _ index: Int) -> Int {
        // Columns count characters, not bytes: skip UTF-8 continuation bytes.
        bytes[lineStart..<index].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
