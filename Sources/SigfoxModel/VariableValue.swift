/// The value of one variable for one message, already typed, so it is written the Sigfox way.
public enum VariableValue: Sendable, Equatable {
    /// Inserted as it is (ids, hex data, names, `Good`).
    case text(String)
    case integer(Int64)
    case unsigned(UInt64)
    /// A float written with exactly 2 decimals: `-123.00`, `17.28` (SIGFOX.md section 3).
    case decimal2(Double)
    /// A float in its shortest round-trip form: `43.6`, `0.0`.
    case float(Double)
    case bool(Bool)
    /// JSON text, inserted unquoted.
    case json(String)
    /// A known variable with no value for this message: renders `null` (SIGFOX.md section 3).
    case null

    /// The text the variable is replaced by, before any URL or form encoding.
    public var renderedText: String {
        switch self {
        case .text(let text), .json(let text): return text
        default:
            var out = [UInt8]()
            appendRendered(encoding: .asIs, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Appends ``renderedText``, encoded by `encoding`, to `out`. Numbers, booleans and `null` are written
    /// as bytes directly (their characters are all unreserved, so no encoding changes them): rendering a
    /// callback builds no string per variable.
    public func appendRendered(encoding: ValueEncoding, to out: inout [UInt8]) {
        switch self {
        case .text(let text), .json(let text): encoding.append(text, to: &out)
        case .integer(let value):
            if value < 0 { out.append(UInt8(ascii: "-")) }
            Self.appendDigits(value.magnitude, to: &out)
        case .unsigned(let value): Self.appendDigits(value, to: &out)
        case .decimal2(let value): Self.appendTwoDecimals(value, encoding: encoding, to: &out)
        case .float(let value): encoding.append(Self.shortest(value), to: &out)
        case .bool(let flag): out.append(contentsOf: flag ? Self.trueBytes : Self.falseBytes)
        case .null: out.append(contentsOf: Self.nullBytes)
        }
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)

    /// `value` with exactly two decimals, rounded half away from zero; `null` when not finite.
    public static func twoDecimals(_ value: Double) -> String {
        var out = [UInt8]()
        out.reserveCapacity(24)
        appendTwoDecimals(value, encoding: .asIs, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// ``twoDecimals(_:)``, appended to `out`; `encoding` matters only for the exponent form of huge values.
    static func appendTwoDecimals(_ value: Double, encoding: ValueEncoding, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: nullBytes)
            return
        }
        let scaled = (value.magnitude * 100).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else {
            encoding.append(shortest(value), to: &out)
            return
        }
        let hundredths = UInt64(scaled)
        if value < 0 && hundredths != 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(hundredths / 100, to: &out)
        let fraction = UInt8(hundredths % 100)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + fraction / 10)
        out.append(UInt8(ascii: "0") + fraction % 10)
    }

    /// The decimal digits of `value`, appended to `out`.
    static func appendDigits(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var rest = value
            var start = 20
            while rest > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// The shortest text that reads back as `value` (`25.5`, `0.0`); `null` when not finite.
    public static func shortest(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value.description
    }
}

/// How a value is written into the place a template fills (SIGFOX.md section 4).
public enum ValueEncoding: Sendable, Hashable {
    /// JSON and text bodies, header values, batch lines, e-mail subject and message.
    case asIs
    /// URL path and query: everything but unreserved characters (RFC 3986) is `%XX`.
    case percentEncoded
    /// `application/x-www-form-urlencoded` bodies: as URL encoding, but a space is `+`.
    case formEncoded

    /// Appends `text` to `out`, encoded.
    public func append(_ text: String, to out: inout [UInt8]) {
        switch self {
        case .asIs:
            var text = text
            text.withUTF8 { out.append(contentsOf: $0) }
        case .percentEncoded, .formEncoded:
            for byte in text.utf8 {
                if Self.isUnreserved(byte) {
                    out.append(byte)
                } else if byte == UInt8(ascii: " ") && self == .formEncoded {
                    out.append(UInt8(ascii: "+"))
                } else {
                    out.append(UInt8(ascii: "%"))
                    out.append(Hex.upperDigits[Int(byte >> 4)])
                    out.append(Hex.upperDigits[Int(byte & 0x0F)])
                }
            }
        }
    }

    /// `text`, encoded.
    public func encode(_ text: String) -> String {
        if self == .asIs { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
