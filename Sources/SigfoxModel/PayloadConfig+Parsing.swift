extension PayloadConfig {
    /// Parses a `payloadConfig` string (SIGFOX.md section 6) and resolves where each field reads.
    ///
    /// Fields are separated by any run of whitespace (spaces, tabs, newlines); leading and trailing
    /// whitespace is ignored, and an empty string defines no field. Each field is checked left to right
    /// (shape, name, duplicate, byte index, type, parameters) and the first mistake is thrown with the
    /// field's number and column.
    public init(parsing text: String) throws(PayloadConfigError) {
        var fields: [PayloadField] = []
        var indexByName: [String: Int] = [:]
        var cursor = ByteCursor()
        for token in Self.tokens(of: text) {
            let parser = FieldParser(text: token.text, number: fields.count + 1, column: token.column)
            let syntax = try parser.parse(known: indexByName)
            let field = cursor.place(syntax, number: parser.number, column: parser.column)
            indexByName[field.name] = fields.count
            fields.append(field)
        }
        self.init(fields: fields, text: text, indexByName: indexByName)
    }

    /// The whitespace-separated fields of `text`, each with its 1-based column in characters.
    static func tokens(of text: String) -> [(text: Substring, column: Int)] {
        var tokens: [(text: Substring, column: Int)] = []
        var start: String.Index?
        var startColumn = 0
        var column = 0
        var index = text.startIndex
        while index < text.endIndex {
            column += 1
            if text[index].isWhitespace {
                if let tokenStart = start {
                    tokens.append((text[tokenStart..<index], startColumn))
                    start = nil
                }
            } else if start == nil {
                start = index
                startColumn = column
            }
            index = text.index(after: index)
        }
        if let tokenStart = start {
            tokens.append((text[tokenStart...], startColumn))
        }
        return tokens
    }
}

extension PayloadConfig {
    /// What one field's text says, before the byte cursor places it.
    struct FieldSyntax {
        var name: Substring
        var byteIndex: Int?
        var kind: PayloadField.Kind
        var endianness = PayloadField.Endianness.bigEndian
        var bitOffset: Int?
        var text: Substring
    }

    /// Reads one `name:byteIndex:type[:params]` field, throwing the first mistake (SIGFOX.md section 6).
    struct FieldParser {
        typealias Message = PayloadConfigError.Message
        static let types = ["bool", "char", "float", "uint", "int"]

        let text: Substring
        let number: Int
        let column: Int

        func fail(_ reason: PayloadConfigError.Reason, _ message: String) -> PayloadConfigError {
            PayloadConfigError(
                fieldNumber: number,
                column: column,
                fieldText: String(text),
                reason: reason,
                message: message
            )
        }

        func parse(known names: [String: Int]) throws(PayloadConfigError) -> FieldSyntax {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 3 else { throw fail(.malformedField, Message.shape) }
            let name = parts[0]
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isNameByte) else {
                throw fail(.invalidName, Message.invalidName(name))
            }
            if let earlier = names[String(name)] {
                throw fail(.duplicateName, Message.duplicateName(name, firstNumber: earlier + 1))
            }
            var byteIndex: Int?
            if !parts[1].isEmpty {
                guard parts[1].first != "-", let index = Self.number(parts[1]) else {
                    var message = Message.byteIndex(parts[1])
                    if Self.types.contains(String(parts[1])) {
                        // `temp:int:16`: the byte index was left out rather than left empty.
                        let fixed = ([parts[0], ""] + parts[1...]).joined(separator: ":")
                        message += "; to read it right after the previous field, leave the byte index empty: '\(fixed)'"
                    }
                    throw fail(.malformedField, message)
                }
                byteIndex = index
            }
            let typeWord = parts[2]
            guard !typeWord.isEmpty else { throw fail(.malformedField, "missing type; \(Message.shape)") }
            let type = String(typeWord)
            guard Self.types.contains(type) else {
                throw fail(.unknownType, Message.unknownType(typeWord))
            }
            let params = parts.dropFirst(3)
            guard let first = params.first, !first.isEmpty else {
                throw fail(.malformedField, Message.missingParameter(type: type))
            }
            var syntax = FieldSyntax(name: name, byteIndex: byteIndex, kind: .bool(bit: 0), text: text)
            switch type {
            case "bool":
                guard params.count == 1 else { throw fail(.malformedField, Message.tooManyParameters(type: type)) }
                syntax.kind = .bool(bit: try bitPosition(first, what: "bool bit", message: Message.bitNumber))
            case "char":
                let length = try numeric(first, what: "char length")
                guard length >= 1 else { throw fail(.bitCountOutOfRange, Message.bitCount(first, type: type)) }
                guard params.count <= 2 else { throw fail(.malformedField, Message.tooManyParameters(type: type)) }
                syntax.kind = .char(length: length)
                if let offset = params.dropFirst().first {
                    guard !offset.isEmpty else { throw fail(.malformedField, Message.emptyParameter) }
                    guard PayloadField.Endianness(rawValue: String(offset)) == nil else {
                        throw fail(.malformedField, Message.charEndianness)
                    }
                    syntax.bitOffset = try bitPosition(offset, what: "bit offset", message: Message.bitOffset)
                }
            default:
                let bits = try numeric(first, what: "bit count")
                let valid = type == "float" ? bits == 32 || bits == 64 : (1...64).contains(bits)
                guard valid else { throw fail(.bitCountOutOfRange, Message.bitCount(first, type: type)) }
                switch type {
                case "float": syntax.kind = .float(bits: bits)
                case "uint": syntax.kind = .uint(bits: bits)
                default: syntax.kind = .int(bits: bits)
                }
                guard params.count <= 3 else { throw fail(.malformedField, Message.tooManyParameters(type: type)) }
                try readOptions(params.dropFirst(), into: &syntax)
            }
            return syntax
        }

        /// Reads the parameters after a bit count: an endianness word and a bit offset, in either order, at
        /// most one of each (SIGFOX.md section 6).
        func readOptions(_ options: ArraySlice<Substring>, into syntax: inout FieldSyntax) throws(PayloadConfigError) {
            var sawEndianness = false
            for option in options {
                guard !option.isEmpty else { throw fail(.malformedField, Message.emptyParameter) }
                if Self.number(option) != nil {
                    guard syntax.bitOffset == nil else { throw fail(.malformedField, Message.twoOffsets) }
                    syntax.bitOffset = try bitPosition(option, what: "bit offset", message: Message.bitOffset)
                } else if let endianness = PayloadField.Endianness(rawValue: String(option)) {
                    guard !sawEndianness else { throw fail(.malformedField, Message.twoEndiannesses) }
                    sawEndianness = true
                    syntax.endianness = endianness
                } else {
                    throw fail(.badEndianness, Message.badEndianness(option))
                }
            }
        }

        /// A numeric parameter; a word that is not a number makes the field malformed.
        func numeric(_ word: Substring, what: String) throws(PayloadConfigError) -> Int {
            guard let value = Self.number(word) else {
                throw fail(.malformedField, Message.notANumber(word, what: what))
            }
            return value
        }

        /// A bit number or offset, 0 (least significant) to 7 (most significant).
        func bitPosition(
            _ word: Substring,
            what: String,
            message: (Substring) -> String
        ) throws(PayloadConfigError) -> Int {
            let value = try numeric(word, what: what)
            guard (0...7).contains(value) else { throw fail(.bitPositionOutOfRange, message(word)) }
            return value
        }

        /// A decimal integer, or nil when `word` is not one; never traps.
        ///
        /// A number too large for `Int` saturates at `Int.max`, which keeps huge byte indexes and lengths
        /// meaningful: they lie past the end of any payload. A negative number (`-` then digits) reads as
        /// `Int.min`, out of every range, so that `-1` is reported as out of range rather than as a word.
        static func number(_ word: Substring) -> Int? {
            var digits = word.utf8[...]
            let negative = digits.first == UInt8(ascii: "-")
            if negative { digits = digits.dropFirst() }
            guard !digits.isEmpty else { return nil }
            var value = 0
            var saturated = false
            for byte in digits {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                guard !saturated else { continue }
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                if overflow1 || overflow2 { saturated = true } else { value = sum }
            }
            if negative { return Int.min }
            return saturated ? Int.max : value
        }

        /// Whether `byte` may appear in a name: an ASCII letter, digit, `_` or `-` (SIGFOX.md section 6).
        static func isNameByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    /// The byte cursor that places fields whose byte index is omitted (SIGFOX.md section 6).
    ///
    /// The first field reads byte 0. A field reads the **next unread byte**, except after a field that
    /// continues in its last byte (a bool, or any field with an explicit bit offset): then a bool reads that
    /// same byte (the "current byte") and any other type starts in it at its own offset (default 7). The
    /// rule is the same for both, so one flag says which. After every field, explicitly placed or not, the
    /// last byte used is the byte holding its last bit and the next unread byte is the one after it.
    struct ByteCursor {
        /// The byte holding the previous field's last bit; -1 before the first field.
        var lastByteUsed = -1
        /// Whether the previous field was a bool or had an explicit bit offset.
        var continuesInLastByte = false

        mutating func place(_ syntax: FieldSyntax, number: Int, column: Int) -> PayloadField {
            let firstByte =
                syntax.byteIndex ?? (continuesInLastByte ? lastByteUsed : Self.saturatingAdd(lastByteUsed, 1))
            let firstBit: Int
            let extraBytes: Int
            switch syntax.kind {
            case .bool(let bit):
                firstBit = bit
                extraBytes = 0
            case .char(let length):
                firstBit = syntax.bitOffset ?? 7
                // (7 - firstBit + 8 * length - 1) / 8, without overflowing for huge lengths.
                extraBytes = length - 1 + (firstBit == 7 ? 0 : 1)
            case .float(let bits), .uint(let bits), .int(let bits):
                firstBit = syntax.bitOffset ?? 7
                extraBytes = (7 - firstBit + bits - 1) / 8
            }
            let field = PayloadField(
                name: String(syntax.name),
                byteIndex: syntax.byteIndex,
                kind: syntax.kind,
                endianness: syntax.endianness,
                bitOffset: syntax.bitOffset,
                number: number,
                column: column,
                text: String(syntax.text),
                firstByte: firstByte,
                firstBit: firstBit,
                lastByte: Self.saturatingAdd(firstByte, extraBytes)
            )
            lastByteUsed = field.lastByte
            continuesInLastByte = field.continuesInLastByte
            return field
        }

        /// `a + b`, or `Int.max` when that overflows: a position that far lies past the end of any payload.
        static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? Int.max : sum
        }
    }
}
