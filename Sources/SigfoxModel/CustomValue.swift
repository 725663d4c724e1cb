/// The value of one decoded `payloadConfig` field: what `{customData#name}` shows (SIGFOX.md section 6).
///
/// Each case matches a type of the configuration: `bool` gives ``bool(_:)``, `char` ``text(_:)``,
/// `float:32` ``float32(_:)``, `float:64` ``float64(_:)``, `uint` ``uint(_:)`` and `int` ``int(_:)``.
/// A field that runs past the end of the payload has no `CustomValue` at all (see ``DecodedField``).
///
/// Equality of the float cases is IEEE-754 equality: a NaN is not equal to itself and `-0.0 == 0.0`.
/// Compare ``templateText`` when a test needs to pin a float's exact form.
public enum CustomValue: Sendable, Equatable {
    /// A `bool` field: `true` / `false`.
    case bool(Bool)
    /// An `int` field, sign-extended from its bit count.
    case int(Int64)
    /// A `uint` field.
    case uint(UInt64)
    /// A `float:32` field.
    case float32(Float)
    /// A `float:64` field.
    case float64(Double)
    /// A `char` field: one ISO-8859-1 character per payload byte.
    case text(String)

    /// The text `{customData#name}` is replaced by (SIGFOX.md sections 3 and 6).
    ///
    /// - booleans: `true` / `false`;
    /// - integers: decimal, with a leading `-` when negative;
    /// - floats: the shortest text that reads back as the same value, in the value's own precision
    ///   (`Float`'s description for `float:32`, so `25.5` rather than `25.5000000`). NaN and the
    ///   infinities have no JSON form, so they render as `null`, like a value that is missing;
    /// - text: as is. The user writes the quotes in the template (`"s":"{customData#s}"`).
    public var templateText: String {
        switch self {
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let value): return String(value)
        case .uint(let value): return String(value)
        case .float32(let value): return value.isFinite ? value.description : "null"
        case .float64(let value): return value.isFinite ? value.description : "null"
        case .text(let text): return text
        }
    }

    /// The value as a JSON literal (RFC 8259): for bodies the emulator writes itself.
    ///
    /// Booleans and numbers are written as in ``templateText`` (NaN and the infinities as `null`).
    /// Text is a quoted string as ``JSONText/quoted(_:)`` writes it.
    public var jsonText: String {
        switch self {
        case .text(let text): return JSONText.quoted(text)
        default: return templateText
        }
    }
}
