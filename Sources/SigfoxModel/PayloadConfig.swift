/// A device type's custom payload configuration (`payloadConfig`): how `{customData#name}` reads an uplink.
///
/// The configuration is a string of space-separated fields, each `name:byteIndex:type[:params]`
/// (SIGFOX.md section 6). It is parsed once, by ``init(parsing:)``, into ``fields`` whose positions in
/// the payload are already resolved, so decoding an uplink is only bit arithmetic:
///
/// ```swift
/// let config = try PayloadConfig(parsing: "temp::int:16 hum::uint:8")
/// config.decode([0xFF, 0x38, 0x2A])  // temp -200, hum 42
/// ```
///
/// An empty configuration (or one of only whitespace) is valid and defines no field.
public struct PayloadConfig: Sendable, Equatable {
    /// The fields, in configuration order.
    public let fields: [PayloadField]

    /// The configuration string exactly as it was given.
    public let text: String

    /// Field names to their index in ``fields``, so that ``value(of:in:)`` does not scan.
    let indexByName: [String: Int]

    init(fields: [PayloadField], text: String, indexByName: [String: Int]) {
        self.fields = fields
        self.text = text
        self.indexByName = indexByName
    }

    /// The names of the fields, in configuration order: the `NAME`s `{customData#NAME}` may use.
    public var fieldNames: [String] {
        fields.map(\.name)
    }

    /// Whether a field called `name` exists (names are case-sensitive).
    ///
    /// A template's `{customData#NAME}` whose NAME this configuration does not define is a configuration
    /// error (SIGFOX.md section 3); the template checker asks here.
    public func defines(_ name: String) -> Bool {
        indexByName[name] != nil
    }

    /// The field called `name`, or nil.
    public func field(named name: String) -> PayloadField? {
        indexByName[name].map { fields[$0] }
    }
}

/// One field of a ``PayloadConfig``: its name, type, parameters and where it reads the payload.
///
/// Besides what the text says (``byteIndex``, ``bitOffset``, ...), a field carries its resolved
/// position: ``firstByte`` and ``firstBit`` after the byte-cursor rules of SIGFOX.md section 6 were
/// applied to an omitted byte index, and ``lastByte``, the byte holding its last bit.
public struct PayloadField: Sendable, Equatable {
    /// The field's type with its main parameter (SIGFOX.md section 6, the table of types).
    public enum Kind: Sendable, Equatable {
        /// `bool:N`: bit N of one byte, 0 the least significant and 7 the most significant.
        case bool(bit: Int)
        /// `char:L`: L bytes of text, each byte one ISO-8859-1 character.
        case char(length: Int)
        /// `float:32` or `float:64`: an IEEE-754 binary32 or binary64.
        case float(bits: Int)
        /// `uint:bits`, 1...64 bits: an unsigned integer.
        case uint(bits: Int)
        /// `int:bits`, 1...64 bits: a two's-complement signed integer.
        case int(bits: Int)

        /// The type word as written in the configuration: `bool`, `char`, `float`, `uint` or `int`.
        public var typeName: String {
            switch self {
            case .bool: return "bool"
            case .char: return "char"
            case .float: return "float"
            case .uint: return "uint"
            case .int: return "int"
            }
        }
    }

    /// Byte order of a multi-byte field (SIGFOX.md section 6: big-endian by default).
    ///
    /// Little-endian is an emulator rule for fields read as a bit stream: the stream is cut into 8-bit
    /// chunks in reading order, the first chunk is the least significant byte, and when the bit count is
    /// not a multiple of 8 the final short chunk is the most significant part. So `uint:16:little-endian`
    /// on `12 34` is `0x3412` (13330), and `uint:12:little-endian` on `AB C0` is `0xCAB`.
    public enum Endianness: String, Sendable, Equatable, CaseIterable {
        case bigEndian = "big-endian"
        case littleEndian = "little-endian"
    }

    /// The field's name, used as `{customData#name}`: ASCII letters, digits, `_` and `-` (SIGFOX.md section 6).
    public let name: String

    /// The byte index as written, or nil when it was omitted and the byte cursor chose the byte.
    public let byteIndex: Int?

    /// The type and its main parameter (bit number, length or bit count).
    public let kind: Kind

    /// The byte order; ``Endianness/bigEndian`` unless the field says `little-endian`.
    public let endianness: Endianness

    /// The bit offset as written (0...7, 7 the most significant bit), or nil when none was given.
    ///
    /// Always nil for `bool`, whose bit is part of ``kind``.
    public let bitOffset: Int?

    /// The 1-based number of the field in the configuration.
    public let number: Int

    /// The 1-based column (in characters) where the field starts in the configuration string.
    public let column: Int

    /// The field's text, e.g. `temp::int:16`.
    public let text: String

    /// The byte where reading starts, after the byte-cursor rules (SIGFOX.md section 6).
    ///
    /// A byte index too large for `Int` is kept as `Int.max`: no payload reaches it.
    public let firstByte: Int

    /// The bit of ``firstByte`` where reading starts: 7 (most significant) down to 0.
    public let firstBit: Int

    /// The byte holding the field's last bit; the field has a value only when the payload has this byte.
    public let lastByte: Int

    /// How many bits the field reads: 1 for bool, 8 per character, otherwise the bit count.
    ///
    /// Saturates at `Int.max` for absurd char lengths.
    public var bitCount: Int {
        switch kind {
        case .bool: return 1
        case .char(let length):
            let (bits, overflow) = length.multipliedReportingOverflow(by: 8)
            return overflow ? Int.max : bits
        case .float(let bits), .uint(let bits), .int(let bits):
            return bits
        }
    }

    /// Whether the next field may share this field's last byte (SIGFOX.md section 6, byte cursor).
    ///
    /// True for a bool and for any field with an explicit bit offset.
    public var continuesInLastByte: Bool {
        if case .bool = kind { return true }
        return bitOffset != nil
    }
}

/// One field of a decoded payload: its name and value (SIGFOX.md section 6).
///
/// The value is nil when the field runs past the end of the payload; `{customData#name}` then renders
/// `null`.
public struct DecodedField: Sendable, Equatable {
    /// The field's name.
    public let name: String

    /// The field's value, or nil when the payload is too short for it.
    public let value: CustomValue?

    public init(name: String, value: CustomValue?) {
        self.name = name
        self.value = value
    }
}
