import SigfoxTesting
import Testing

@testable import SigfoxModel

/// A payload configuration, a payload in hex and the values expected, one per field.
struct PayloadVector: Sendable, CustomTestStringConvertible {
    let config: String
    let data: String
    let values: [CustomValue?]

    init(_ config: String, _ data: String, _ values: [CustomValue?]) {
        self.config = config
        self.data = data
        self.values = values
    }

    var testDescription: String { "\(config) on \(data.isEmpty ? "(empty)" : data)" }

    func check() throws {
        let parsed = try PayloadConfig(parsing: config)
        let decoded = parsed.decode(try Hex.bytes(from: data))
        #expect(decoded.map(\.name) == parsed.fieldNames)
        #expect(decoded.map(\.value) == values)
        for (field, value) in zip(parsed.fields, values) {
            #expect(parsed.value(of: field.name, in: try Hex.bytes(from: data)) == value)
        }
    }
}

@Suite("payloadConfig decoding (SIGFOX.md section 6)")
struct PayloadConfigDecodingTests {
    /// The worked examples of SIGFOX.md section 6, exactly as the table gives them.
    static let workedExamples: [PayloadVector] = [
        .init("int1::uint:8 int2::uint:8", "1234", [.uint(18), .uint(52)]),
        .init("b1::bool:7 b2::bool:6 i1:1:uint:16", "C01234", [.bool(true), .bool(true), .uint(4660)]),
        .init("b1::bool:7 b2::bool:6 i1:1:uint:16:little-endian", "801234", [.bool(true), .bool(false), .uint(13330)]),
        .init(
            "str::char:6 i1::uint:16 i2::uint:32",
            "41424344454601234567890A",
            [.text("ABCDEF"), .uint(291), .uint(1_164_413_194)]
        ),
        .init("temp::int:16", "FF38", [.int(-200)]),
        .init("t::float:32", "41CC0000", [.float32(25.5)]),
    ]

    @Test("worked examples", arguments: workedExamples)
    func workedExample(_ vector: PayloadVector) throws {
        try vector.check()
    }

    @Test func workedExampleRendersAsTheTableSays() throws {
        let config = try PayloadConfig(parsing: "str::char:6 i1::uint:16 i2::uint:32")
        let texts = config.decode(try Hex.bytes(from: "41424344454601234567890A")).map { $0.value?.templateText }
        #expect(texts == ["ABCDEF", "291", "1164413194"])
        #expect(
            try PayloadConfig(parsing: "t::float:32").value(of: "t", in: [0x41, 0xCC, 0, 0])?.templateText == "25.5"
        )
    }

    static let types: [PayloadVector] = [
        .init("f::bool:0", "01", [.bool(true)]),
        .init("f::bool:0", "FE", [.bool(false)]),
        .init("f::bool:7", "80", [.bool(true)]),
        .init("f::bool:7", "7F", [.bool(false)]),
        .init("f::bool:3", "08", [.bool(true)]),
        .init("s::char:3", "414243", [.text("ABC")]),
        .init("s::char:2", "E9FF", [.text("\u{E9}\u{FF}")]),  // ISO-8859-1, lossless
        .init("s::char:3", "000A0D", [.text("\u{0}\n\r")]),
        .init("t::float:32", "C0490FDB", [.float32(-3.141_592_7)]),
        .init("t::float:64", "4039800000000000", [.float64(25.5)]),
        .init("u::uint:8", "FF", [.uint(255)]),
        .init("i::int:8", "7F", [.int(127)]),
    ]

    @Test("each type", arguments: types)
    func eachType(_ vector: PayloadVector) throws {
        try vector.check()
    }

    static let widths: [PayloadVector] = [
        .init("u::uint:1 i:0:int:1", "80", [.uint(1), .int(-1)]),
        .init("u::uint:1 i:0:int:1", "7F", [.uint(0), .int(0)]),
        .init("u::uint:3 i:0:int:3", "A0", [.uint(5), .int(-3)]),
        .init("u::uint:3 i:0:int:3", "60", [.uint(3), .int(3)]),
        .init("u::uint:12 i:0:int:12", "ABC0", [.uint(2748), .int(-1348)]),
        .init("u::uint:12 i:0:int:12", "7FF0", [.uint(2047), .int(2047)]),
        .init("u::uint:33 i:0:int:33", "FFFFFFFF80", [.uint(8_589_934_591), .int(-1)]),
        .init("u::uint:33 i:0:int:33", "8000000000", [.uint(4_294_967_296), .int(-4_294_967_296)]),
        .init("u::uint:33", "0000000080", [.uint(1)]),
        .init("u::uint:63 i:0:int:63", "FFFFFFFFFFFFFFFE", [.uint(9_223_372_036_854_775_807), .int(-1)]),
        .init("u::uint:63 i:0:int:63", "8000000000000000", [.uint(1 << 62), .int(-(1 << 62))]),
        .init("u::uint:64 i:0:int:64", "FFFFFFFFFFFFFFFF", [.uint(.max), .int(-1)]),
        .init("u::uint:64 i:0:int:64", "8000000000000000", [.uint(1 << 63), .int(.min)]),
        .init("u::uint:64 i:0:int:64", "7FFFFFFFFFFFFFFF", [.uint(UInt64(Int64.max)), .int(.max)]),
        .init("u::uint:64", "0123456789ABCDEF", [.uint(0x0123_4567_89AB_CDEF)]),
        // Negative integers.
        .init("i::int:8", "80", [.int(-128)]),
        .init("i::int:8", "FF", [.int(-1)]),
        .init("i::int:16", "8000", [.int(-32768)]),
        .init("i::int:24", "FFFFFE", [.int(-2)]),
        .init("i::int:32", "FFFFFF85", [.int(-123)]),
    ]

    @Test("int and uint of 1, 3, 12, 33, 63 and 64 bits", arguments: widths)
    func intWidths(_ vector: PayloadVector) throws {
        try vector.check()
    }

    static let endianness: [PayloadVector] = [
        .init("v::uint:16", "1234", [.uint(4660)]),
        .init("v::uint:16:big-endian", "1234", [.uint(4660)]),
        .init("v::uint:16:little-endian", "1234", [.uint(13330)]),
        .init("v::uint:24:little-endian", "010203", [.uint(197_121)]),
        .init("v::uint:32:little-endian", "78563412", [.uint(0x1234_5678)]),
        .init("v::uint:64:little-endian", "EFCDAB8967452301", [.uint(0x0123_4567_89AB_CDEF)]),
        .init("v::uint:8:little-endian", "AB", [.uint(171)]),
        .init("v::uint:3:little-endian", "E0", [.uint(7)]),
        // 12 bits: the first 8 are the low byte, the last 4 the high part.
        .init("v::uint:12:big-endian", "ABC0", [.uint(0xABC)]),
        .init("v::uint:12:little-endian", "ABC0", [.uint(0xCAB)]),
        .init("v::int:12:little-endian", "FFF0", [.int(-1)]),
        .init("v::int:12:little-endian", "0080", [.int(-2048)]),
        .init("v::int:12:little-endian", "FF70", [.int(2047)]),
        .init("v::int:16:little-endian", "38FF", [.int(-200)]),
        // With an offset, in either order.
        .init("v::uint:16:little-endian:3", "012340", [.uint(0x3412)]),
        .init("v::uint:16:3:little-endian", "012340", [.uint(0x3412)]),
        .init("v::uint:16:3", "012340", [.uint(0x1234)]),
        .init("v::uint:16:big-endian:3", "012340", [.uint(0x1234)]),
        // Floats.
        .init("t::float:32:big-endian", "41CC0000", [.float32(25.5)]),
        .init("t::float:32:little-endian", "0000CC41", [.float32(25.5)]),
        .init("t::float:64:big-endian", "4039800000000000", [.float64(25.5)]),
        .init("t::float:64:little-endian", "0000000000803940", [.float64(25.5)]),
        .init("t::float:32:3", "A41CC00005", [.float32(25.5)]),
    ]

    @Test("both endiannesses", arguments: endianness)
    func byteOrder(_ vector: PayloadVector) throws {
        try vector.check()
    }

    static let cursor: [PayloadVector] = [
        // Explicit and omitted byte indexes.
        .init("a:2:uint:8 b:0:uint:8", "112233", [.uint(0x33), .uint(0x11)]),
        .init("a:1:uint:8 b::uint:8", "112233", [.uint(0x22), .uint(0x33)]),
        .init("a::uint:8 b::uint:8 c::uint:8", "112233", [.uint(0x11), .uint(0x22), .uint(0x33)]),
        .init("a:1:bool:0 b::bool:1", "0003", [.bool(true), .bool(true)]),
        // A bool after a bool shares the byte.
        .init("a::bool:7 b::bool:0 c::bool:4", "81", [.bool(true), .bool(true), .bool(false)]),
        // A bool after a uint reads the next byte.
        .init("v::uint:8 b::bool:0", "0001", [.uint(0), .bool(true)]),
        // A bool after a char without offset reads the next byte.
        .init("s::char:1 b::bool:0", "4101", [.text("A"), .bool(true)]),
        // A uint after a bool continues in the bool's byte, even an explicitly placed one.
        .init("b::bool:0 v::uint:8", "0180", [.bool(true), .uint(1)]),
        .init("b:2:bool:7 v::uint:8", "000080", [.bool(true), .uint(0x80)]),
        // After a field with a bit offset, the next field continues in the last byte used.
        .init("a::uint:4:7 b::uint:4:3", "A5", [.uint(0xA), .uint(0x5)]),
        .init("a::uint:4:7 b::uint:8", "A5FF", [.uint(0xA), .uint(0xA5)]),
        .init("a::uint:8:7 b::uint:8", "1122", [.uint(0x11), .uint(0x11)]),
        // ... also when the offset field spans two bytes; a field without offset then moves on.
        .init(
            "a::uint:12:3 b::uint:4:3 c::uint:8 d::uint:8",
            "F12345",
            [.uint(0x123), .uint(3), .uint(0x23), .uint(0x45)]
        ),
        .init("a::uint:12:3 f::bool:0", "F123", [.uint(0x123), .bool(true)]),
    ]

    @Test("byte indexes and the byte cursor", arguments: cursor)
    func byteCursor(_ vector: PayloadVector) throws {
        try vector.check()
    }

    static let offsets: [PayloadVector] = [
        .init("v::uint:3:2", "1C", [.uint(4)]),
        .init("v::uint:5:2", "1CC0", [.uint(19)]),
        .init("v::int:4:3", "0F", [.int(-1)]),
        .init("v::int:4:3", "07", [.int(7)]),
        .init("v::uint:12:3", "F123", [.uint(0x123)]),
        .init("v::uint:16:0", "01FF80", [.uint(0xFFC0)]),
        .init("v::uint:64:4", "0FFFFFFFFFFFFFFFF0", [.uint(UInt64(Int64.max))]),
        .init("v::int:64:4", "0FFFFFFFFFFFFFFFF0", [.int(.max)]),
        .init("s::char:2:3", "F41420", [.text("AB")]),
        .init("s::char:2:7", "4142", [.text("AB")]),
        .init("s::char:2:0 b::bool:2", "A08284", [.text("AB"), .bool(true)]),
    ]

    @Test("bit offsets, fields that are not whole bytes, fields spanning bytes", arguments: offsets)
    func bitOffsets(_ vector: PayloadVector) throws {
        try vector.check()
    }

    static let shortAndLong: [PayloadVector] = [
        .init("a::uint:8 b::uint:16 c::uint:8", "0102", [.uint(1), nil, nil]),
        .init("a:0:uint:8 b:5:uint:8 c:1:uint:8", "0102", [.uint(1), nil, .uint(2)]),
        .init("s::char:4", "4142", [nil]),
        .init("f:3:bool:0", "010203", [nil]),
        .init("t::float:64", "41CC0000", [nil]),
        .init("v::uint:12:3", "F1", [nil]),
        .init("a::uint:8 b::bool:0 s::char:1 t::float:32", "", [nil, nil, nil, nil]),
        .init(
            "a:12:uint:8 b::uint:16 c:17:uint:24",
            "000102030405060708090A0B0C0D0E0F10111213",
            [.uint(12), .uint(0x0D0E), .uint(0x11_1213)]
        ),
        .init("", "0102", []),
        // Byte indexes and lengths too large for Int never trap: they lie past the end.
        .init("a:99999999999999999999999:uint:8 b::uint:8 c:0:uint:8", "01", [nil, nil, .uint(1)]),
        .init("a:9223372036854775807:uint:64:3 b::bool:0", "01", [nil, nil]),
        .init("s:9223372036854775807:char:9223372036854775807:3 t::char:99999999999999999999", "01", [nil, nil]),
    ]

    @Test("fields past the end, empty and long payloads", arguments: shortAndLong)
    func payloadLengths(_ vector: PayloadVector) throws {
        try vector.check()
    }

    @Test func longPayloadReachesItsLastByte() throws {
        let config = try PayloadConfig(parsing: "first::uint:8 last:99:uint:8 beyond::bool:0")
        let payload = (0..<100).map { UInt8($0) }
        #expect(config.decode(payload).map(\.value) == [.uint(0), .uint(99), nil])
    }

    @Test func floatSpecialValuesDecode() throws {
        let config = try PayloadConfig(parsing: "a::float:32 b::float:32 c::float:64 d::float:32")
        let values = config.decode(try Hex.bytes(from: "7FC00000" + "80000000" + "8000000000000000" + "FF800000"))
        #expect(values.map { $0.value?.templateText } == ["null", "-0.0", "-0.0", "null"])
    }
}

@Suite("payloadConfig parsing (SIGFOX.md section 6)")
struct PayloadConfigParsingTests {
    @Test(arguments: ["", " ", "  \t\n  "])
    func emptyConfigurationHasNoFields(_ text: String) throws {
        let config = try PayloadConfig(parsing: text)
        #expect(config.fields.isEmpty)
        #expect(config.text == text)
        #expect(config.decode([1, 2, 3]).isEmpty)
    }

    @Test func whitespaceSeparatesFieldsAndColumnsCountCharacters() throws {
        let config = try PayloadConfig(parsing: " a::uint:8\t\tb::bool:0\n c::char:2 ")
        #expect(config.fieldNames == ["a", "b", "c"])
        #expect(config.fields.map(\.column) == [2, 13, 24])
        #expect(config.fields.map(\.number) == [1, 2, 3])
        #expect(config.fields.map(\.text) == ["a::uint:8", "b::bool:0", "c::char:2"])
    }

    @Test func fieldCarriesWhatTheTextSays() throws {
        let config = try PayloadConfig(
            parsing: "b::bool:5 i1:1:uint:16:little-endian:3 s::char:4 t::float:64:big-endian"
        )
        let field = try #require(config.field(named: "i1"))
        #expect(field.name == "i1")
        #expect(field.byteIndex == 1)
        #expect(field.kind == .uint(bits: 16))
        #expect(field.endianness == .littleEndian)
        #expect(field.bitOffset == 3)
        #expect(field.column == 11)
        #expect(field.text == "i1:1:uint:16:little-endian:3")
        #expect(config.fields.map(\.kind) == [.bool(bit: 5), .uint(bits: 16), .char(length: 4), .float(bits: 64)])
        #expect(config.fields.map(\.byteIndex) == [nil, 1, nil, nil])
        #expect(config.fields.map(\.bitOffset) == [nil, 3, nil, nil])
        #expect(config.fields.map(\.bitCount) == [1, 16, 32, 64])
        #expect(config.fields.map(\.kind.typeName) == ["bool", "uint", "char", "float"])
    }

    @Test func resolvedPositionsFollowTheByteCursor() throws {
        let config = try PayloadConfig(
            parsing: "a::bool:7 b::bool:6 c::uint:12:3 d::uint:8 e::char:2:5 f::bool:1 g:9:uint:4 h::int:16"
        )
        let positions = config.fields.map { [$0.firstByte, $0.firstBit, $0.lastByte] }
        #expect(
            positions == [
                [0, 7, 0], [0, 6, 0], [0, 3, 1], [1, 7, 1], [2, 5, 4], [4, 1, 4], [9, 7, 9], [10, 7, 11],
            ]
        )
    }

    @Test func namesAreLookedUpExactly() throws {
        let config = try PayloadConfig(parsing: "Temp_1::int:16 hum-2::uint:8")
        #expect(config.fieldNames == ["Temp_1", "hum-2"])
        #expect(config.defines("Temp_1"))
        #expect(config.defines("hum-2"))
        #expect(!config.defines("temp_1"))
        #expect(!config.defines(""))
        #expect(config.value(of: "hum-2", in: [0xFF, 0x38, 0x2A]) == .uint(42))
        #expect(config.value(of: "Temp_1", in: [0xFF, 0x38, 0x2A]) == .int(-200))
        #expect(config.value(of: "nope", in: [0xFF, 0x38, 0x2A]) == nil)
        #expect(config.value(of: "hum-2", in: [0xFF, 0x38]) == nil)
    }

    @Test func parsingIsDeterministic() throws {
        let text = "b1::bool:7 b2::bool:6 i1:1:uint:16:little-endian"
        #expect(try PayloadConfig(parsing: text) == PayloadConfig(parsing: text))
        #expect(try PayloadConfig(parsing: text) != PayloadConfig(parsing: text + " "))
    }
}

/// A configuration that must be refused, with the reason, field number and column expected.
struct PayloadConfigErrorCase: Sendable, CustomTestStringConvertible {
    let config: String
    let reason: PayloadConfigError.Reason
    let field: Int
    let column: Int

    init(_ config: String, _ reason: PayloadConfigError.Reason, field: Int = 1, column: Int = 1) {
        self.config = config
        self.reason = reason
        self.field = field
        self.column = column
    }

    var testDescription: String { "\(config) -> \(reason)" }
}

@Suite("payloadConfig errors (SIGFOX.md section 6)")
struct PayloadConfigErrorTests {
    static let cases: [PayloadConfigErrorCase] = [
        .init("t1::uint:16 temp::flaot:32", .unknownType, field: 2, column: 13),
        .init("a::UINT:8", .unknownType),
        .init("a::flaot", .unknownType),
        .init("a::uint:8:little_endian", .badEndianness),
        .init("a::uint:8:3:LITTLE", .badEndianness),
        .init("a::float:32:le", .badEndianness),
        .init("  x::bool:7  y::uint:65", .bitCountOutOfRange, field: 2, column: 14),
        .init("a::uint:0", .bitCountOutOfRange),
        .init("a::int:65", .bitCountOutOfRange),
        .init("a::uint:-1", .bitCountOutOfRange),
        .init("a::uint:99999999999999999999", .bitCountOutOfRange),
        .init("a::float:16", .bitCountOutOfRange),
        .init("a::char:0", .bitCountOutOfRange),
        .init("a::bool:8", .bitPositionOutOfRange),
        .init("a::bool:-1", .bitPositionOutOfRange),
        .init("a::uint:8:8", .bitPositionOutOfRange),
        .init("a::uint:8:little-endian:9", .bitPositionOutOfRange),
        .init("a::float:32:-1", .bitPositionOutOfRange),
        .init("a::char:2:8", .bitPositionOutOfRange),
        .init("a", .malformedField),
        .init("a:", .malformedField),
        .init("a:0", .malformedField),
        .init("a::", .malformedField),
        .init("a:x:uint:8", .malformedField),
        .init("a:-1:uint:8", .malformedField),
        .init("a:1.5:uint:8", .malformedField),
        .init("a::uint", .malformedField),
        .init("a::uint:", .malformedField),
        .init("a::uint::3", .malformedField),
        .init("a::uint:x", .malformedField),
        .init("a::char:abc", .malformedField),
        .init("a::bool", .malformedField),
        .init("a::bool:1:2", .malformedField),
        .init("a::bool:x", .malformedField),
        .init("a::uint:8:", .malformedField),
        .init("a::uint:8:3:4", .malformedField),
        .init("a::uint:8:big-endian:little-endian", .malformedField),
        .init("a::uint:8:3:little-endian:big-endian", .malformedField),
        .init("a::char:2:little-endian", .malformedField),
        .init("a::char:2:3:4", .malformedField),
        .init("a::uint:8 b::uint:8 a::bool:0", .duplicateName, field: 3, column: 21),
        .init("a::uint:8 a:x:uint:8", .duplicateName, field: 2, column: 11),
        .init("::uint:8", .invalidName),
        .init("a.b::uint:8", .invalidName),
        .init("a.b::flaot:32", .invalidName),
        .init("a$::uint:8", .invalidName),
        .init("x::char:1\t\u{3B2}::uint:8", .invalidName, field: 2, column: 11),
        .init("\u{1F321}\u{FE0F}::uint:8", .invalidName),
        // Columns count characters, whatever their size, and any whitespace separates fields.
        .init("ok::uint:8 \u{E9}\u{E9} a::uint:99", .malformedField, field: 2, column: 12),
        .init("ok::uint:8\u{3000}\u{3000}b::uint:99", .bitCountOutOfRange, field: 2, column: 13),
    ]

    @Test("every error kind, with its field number and column", arguments: cases)
    func refused(_ errorCase: PayloadConfigErrorCase) throws {
        let error = try #require(throws: PayloadConfigError.self) { try PayloadConfig(parsing: errorCase.config) }
        #expect(error.reason == errorCase.reason, "\(error)")
        #expect(error.fieldNumber == errorCase.field)
        #expect(error.column == errorCase.column)
        #expect(!error.message.isEmpty)
        #expect(error.description.hasPrefix("payloadConfig field \(errorCase.field) '\(error.fieldText)'"))
    }

    @Test func descriptionNamesTheFieldAndWhatWasExpected() throws {
        let error = try #require(throws: PayloadConfigError.self) {
            try PayloadConfig(parsing: "t1::uint:16 temp::flaot:32")
        }
        #expect(error.fieldText == "temp::flaot:32")
        #expect(
            error.description
                == "payloadConfig field 2 'temp::flaot:32' (column 13): unknown type 'flaot'; "
                + "expected bool, char, float, uint or int"
        )
    }

    @Test func duplicateNamePointsAtTheFirstUse() throws {
        let error = try #require(throws: PayloadConfigError.self) {
            try PayloadConfig(parsing: "a::uint:8 b::uint:8 a::bool:0")
        }
        #expect(error.message == "name 'a' is already used by field 1")
    }

    @Test func everyReasonIsCovered() {
        let covered = Set(PayloadConfigErrorTests.cases.map(\.reason.rawValue))
        #expect(covered == Set(PayloadConfigError.Reason.allCases.map(\.rawValue)))
    }
}

@Suite("customData values as text and JSON (SIGFOX.md sections 3 and 6)")
struct PayloadConfigCustomValueTests {
    static let renderings: [(CustomValue, template: String, json: String)] = [
        (.bool(true), "true", "true"),
        (.bool(false), "false", "false"),
        (.int(-200), "-200", "-200"),
        (.int(.min), "-9223372036854775808", "-9223372036854775808"),
        (.uint(.max), "18446744073709551615", "18446744073709551615"),
        (.float32(25.5), "25.5", "25.5"),
        (.float32(0.1), "0.1", "0.1"),
        (.float32(-3.141_592_7), "-3.1415927", "-3.1415927"),
        (.float32(16_777_216), "16777216.0", "16777216.0"),
        (.float32(-0.0), "-0.0", "-0.0"),
        (.float32(.nan), "null", "null"),
        (.float32(.infinity), "null", "null"),
        (.float32(-.infinity), "null", "null"),
        (.float64(0.1), "0.1", "0.1"),
        (.float64(1e300), "1e+300", "1e+300"),
        (.float64(-0.0), "-0.0", "-0.0"),
        (.float64(.nan), "null", "null"),
        (.float64(.signalingNaN), "null", "null"),
        (.float64(-.infinity), "null", "null"),
        (.text(""), "", "\"\""),
        (.text("ABCDEF"), "ABCDEF", "\"ABCDEF\""),
        (.text("say \"hi\""), "say \"hi\"", "\"say \\\"hi\\\"\""),
        (.text("C:\\dir"), "C:\\dir", "\"C:\\\\dir\""),
        (.text("\u{0}\u{1F}\n\t\r"), "\u{0}\u{1F}\n\t\r", "\"\\u0000\\u001f\\n\\t\\r\""),
        (.text("\u{E9}\u{7F}/\u{FF}"), "\u{E9}\u{7F}/\u{FF}", "\"\u{E9}\u{7F}/\u{FF}\""),
    ]

    @Test(arguments: renderings)
    func rendering(_ value: CustomValue, template: String, json: String) {
        #expect(value.templateText == template)
        #expect(value.jsonText == json)
    }

    @Test func decodedTextIsEscapedForJSON() throws {
        let config = try PayloadConfig(parsing: "s::char:4")
        let value = try #require(config.value(of: "s", in: [0x22, 0x0A, 0x5C, 0xE9]))
        #expect(value == .text("\"\n\\\u{E9}"))
        #expect(value.jsonText == "\"\\\"\\n\\\\\u{E9}\"")
    }
}

@Suite("payloadConfig bit reading against a reference")
struct PayloadConfigReferenceTests {
    /// Reads `count` bits one at a time from (`byte`, `bit`), most significant first: the slow way.
    static func referenceBits(_ payload: [UInt8], byte: Int, bit: Int, count: Int) -> [UInt64] {
        (0..<count).map { index in
            let absolute = byte * 8 + (7 - bit) + index
            return UInt64(payload[absolute / 8] >> (7 - absolute % 8) & 1)
        }
    }

    static func reference(_ field: PayloadField, _ payload: [UInt8], bits: Int) -> UInt64 {
        let stream = referenceBits(payload, byte: field.firstByte, bit: field.firstBit, count: bits)
        guard field.endianness == .littleEndian else { return stream.reduce(0) { $0 << 1 | $1 } }
        var value: UInt64 = 0
        for (chunkIndex, start) in stride(from: 0, to: bits, by: 8).enumerated() {
            let chunk = stream[start..<Swift.min(start + 8, bits)].reduce(0) { $0 << 1 | $1 }
            value |= chunk << UInt64(8 * chunkIndex)
        }
        return value
    }

    @Test(arguments: 0..<8)
    func randomFieldsMatchTheReference(seed: Int) throws {
        var random = TestRandom(seed: UInt64(seed))
        for _ in 0..<200 {
            let bits = Int.random(in: 1...64, using: &random)
            let offset = Int.random(in: 0...7, using: &random)
            let endian = Bool.random(using: &random) ? "little-endian" : "big-endian"
            let index = Int.random(in: 0...3, using: &random)
            let config = try PayloadConfig(
                parsing: "u:\(index):uint:\(bits):\(endian):\(offset) i:\(index):int:\(bits):\(offset):\(endian)"
            )
            let length = Int.random(in: 0...14, using: &random)
            let payload = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let u = config.fields[0]
            #expect(u.lastByte == (index * 8 + 7 - offset + bits - 1) / 8)
            guard u.lastByte < payload.count else {
                #expect(config.decode(payload).map(\.value) == [nil, nil])
                continue
            }
            let raw = Self.reference(u, payload, bits: bits)
            let signed =
                bits == 64 || raw >> UInt64(bits - 1) == 0
                ? Int64(bitPattern: raw) : Int64(bitPattern: raw) &- (1 << bits)
            #expect(
                config.decode(payload).map(\.value) == [.uint(raw), .int(signed)],
                "\(config.text) on \(Hex.uppercase(payload))"
            )
        }
    }
}
