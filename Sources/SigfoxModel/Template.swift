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
    /// The literal text, all of it, and the variables between its pieces: rendering walks these without
    /// copying a segment.
    private let literalBytes: [UInt8]
    private let pieces: [Piece]
    /// Where each variable stands when the template is a JSON body; nil when its literal text alone does
    /// not settle that (``renderJSON(append:)``).
    private let jsonPlacements: [JSONPlacement]?

    /// A variable and the literal text before it (`literalBytes[literalStart..<literalEnd]`).
    private struct Piece: Sendable, Equatable {
        var literalStart: Int
        var literalEnd: Int
        var variable: Variable?
        /// The text between the braces, for a name no variable has.
        var unknownName: String
    }

    /// Where a variable of a JSON body stands in the literal text around it.
    private enum JSONPlacement: Sendable, Equatable {
        /// Inside a string: any text without `"`, `\` or a control character keeps the body valid.
        case inString
        /// A whole value between `:`, `,` or `[` and `,`, `}` or `]`: any number, `true`, `false` or
        /// `null` keeps the body valid.
        case value
    }

    public var description: String { source }

    /// The variable references in order of appearance.
    public var references: [VariableReference] {
        segments.compactMap {
            if case .variable(let reference) = $0 { return reference }
            return nil
        }
    }

    /// Whether the template has no variables.
    public var isLiteral: Bool { pieces.isEmpty }

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
        var literalBytes = [UInt8]()
        var pieces = [Piece]()
        for segment in segments {
            switch segment {
            case .literal(let text):
                literalBytes.append(contentsOf: text)
            case .variable(let reference):
                let start = pieces.last?.literalEnd ?? 0
                pieces.append(
                    Piece(
                        literalStart: start,
                        literalEnd: literalBytes.count,
                        variable: reference.variable,
                        unknownName: reference.variable == nil ? reference.name : ""
                    )
                )
            }
        }
        self.literalBytes = literalBytes
        self.pieces = pieces
        jsonPlacements = Self.jsonPlacements(literalBytes, pieces)
    }

    /// Where each variable stands if the template is a JSON body, or nil unless every variable is either
    /// inside a string or a whole value and the body is valid JSON with `x` in each string place and `0` in
    /// each value place. Then a rendering whose values fit their places is valid JSON without parsing it:
    /// the values hold no quote, so the strings are where the literal text puts them, and a value place
    /// takes any JSON value.
    private static func jsonPlacements(_ literal: [UInt8], _ pieces: [Piece]) -> [JSONPlacement]? {
        guard !pieces.isEmpty, pieces.allSatisfy({ $0.variable != nil }) else { return nil }
        var skeleton = [UInt8]()
        var placements = [JSONPlacement]()
        var inString = false
        var escaped = false
        func scan(_ bytes: ArraySlice<UInt8>) {
            for byte in bytes {
                skeleton.append(byte)
                if escaped {
                    escaped = false
                } else if inString && byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString.toggle()
                }
            }
        }
        for piece in pieces {
            scan(literal[piece.literalStart..<piece.literalEnd])
            if escaped { return nil }
            placements.append(inString ? .inString : .value)
            skeleton.append(inString ? UInt8(ascii: "x") : UInt8(ascii: "0"))
        }
        scan(literal[(pieces.last?.literalEnd ?? 0)...])
        // A value place needs a structural character on each side (skipping whitespace).
        var offset = 0
        for (index, piece) in pieces.enumerated() {
            let at = piece.literalEnd + offset
            offset += 1
            guard placements[index] == .value else { continue }
            let before = skeleton[..<at].last { !isJSONWhitespace($0) }
            let after = skeleton[(at + 1)...].first { !isJSONWhitespace($0) }
            guard let before, let after, [UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "[")].contains(before),
                [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(after)
            else { return nil }
        }
        return JSONParser.isValid(skeleton) ? placements : nil
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    /// Renders the template: each variable is replaced by `value(variable)`, encoded by `encoding`.
    /// References to unknown names render as they were written (validation rejects them first).
    public func render(encoding: ValueEncoding, value: (Variable) -> String) -> String {
        render(encoding: encoding) { variable, encoding, out in encoding.append(value(variable), to: &out) }
    }

    /// Renders the template, with `append` writing each variable's value, encoded by the encoding it is
    /// given, into the bytes: a value need not become a string of its own. A template without variables
    /// returns its source (no copy).
    public func render(
        encoding: ValueEncoding,
        append: (Variable, ValueEncoding, inout [UInt8]) -> Void
    ) -> String {
        if isLiteral { return source }
        return String(decoding: renderBytes(encoding: encoding, append: append), as: UTF8.self)
    }

    /// ``render(encoding:append:)``, as UTF-8 bytes.
    public func renderBytes(
        encoding: ValueEncoding,
        append: (Variable, ValueEncoding, inout [UInt8]) -> Void
    ) -> [UInt8] {
        write(encoding: encoding, append: append) { _, _, _ in }
    }

    /// Renders the template as a JSON body (values as they are), and whether the result is known to be
    /// valid JSON without parsing it: the template's literal text settles where each variable stands and
    /// each value fits its place (inside a string: no quote, backslash or control character; a whole
    /// value: a number, `true`, `false` or `null`). When it is not known, the caller must check.
    public func renderJSON(append: (Variable, ValueEncoding, inout [UInt8]) -> Void) -> (bytes: [UInt8], known: Bool) {
        guard let placements = jsonPlacements else { return (renderBytes(encoding: .asIs, append: append), false) }
        var known = true
        let bytes = write(encoding: .asIs, append: append) { index, start, out in
            guard known else { return }
            known = out.withUnsafeBufferPointer { written in
                let value = UnsafeBufferPointer(rebasing: written[start...])
                return placements[index] == .inString ? Self.fitsInString(value) : Self.isScalar(value)
            }
        }
        return (bytes, known)
    }

    /// The literal text with each variable's value between its pieces, written by `append`; `written` is
    /// told each variable's index and where its value starts in the bytes so far. References to unknown
    /// names are written as they were.
    private func write(
        encoding: ValueEncoding,
        append: (Variable, ValueEncoding, inout [UInt8]) -> Void,
        written: (_ index: Int, _ start: Int, _ out: [UInt8]) -> Void
    ) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(literalBytes.count + 16 * pieces.count)
        literalBytes.withUnsafeBufferPointer { literal in
            for (index, piece) in pieces.enumerated() {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: literal[piece.literalStart..<piece.literalEnd]))
                let start = out.count
                if let variable = piece.variable {
                    append(variable, encoding, &out)
                } else {
                    out.append(contentsOf: "{\(piece.unknownName)}".utf8)
                }
                written(index, start, out)
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: literal[(pieces.last?.literalEnd ?? 0)...]))
        }
        return out
    }

    /// Text that can stand inside a JSON string as it is.
    private static func fitsInString(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }
    }

    /// A JSON number, `true`, `false` or `null`, alone.
    private static func isScalar(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
            var validator = JSONValidator(bytes: bytes)
            return validator.number() && validator.index == bytes.count
        }
        func spells(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == bytes.count else { return false }
            let letters = word.utf8Start
            for index in 0..<bytes.count where bytes[index] != letters[index] { return false }
            return true
        }
        return spells("null") || spells("true") || spells("false")
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
