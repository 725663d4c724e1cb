/// A Sigfox device id: a 32-bit number (SIGFOX.md section 1).
///
/// Rendered as upper-case hex **without leading zeros** (`2C30EA`, `1FD48BE`, `B92A4`), the form of
/// `{device}` and of the keys of a BIDIR answer.
public struct DeviceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(_ rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Parses 1 to 8 hex digits in either case; leading zeros are allowed on input.
    public init?(hex text: String) {
        let trimmed = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
        guard !trimmed.isEmpty, trimmed.utf8.count <= 8, trimmed.utf8.allSatisfy({ Hex.nibble($0) != nil }),
            let value = UInt32(trimmed, radix: 16)
        else { return nil }
        self.rawValue = value
    }

    /// Upper-case hex without leading zeros.
    public var description: String { String(rawValue, radix: 16, uppercase: true) }

    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A device type id: 24 lower-case hex characters (SIGFOX.md section 1).
public struct DeviceTypeID: Hashable, Sendable, CustomStringConvertible {
    public let description: String

    /// Accepts exactly 24 hex digits in either case and keeps them lower-case.
    public init?(_ text: String) {
        guard text.utf8.count == 24, text.utf8.allSatisfy({ Hex.nibble($0) != nil }) else { return nil }
        self.description = text.lowercased()
    }
}

/// A base station id, rendered as at least 4 upper-case hex characters (SIGFOX.md section 1 gives 4; the API
/// v2 lists longer ones too, so up to 32 bits are kept).
public struct BaseStationID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(_ rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Parses 1 to 8 hex digits in either case: the 4 of SIGFOX.md section 1 (`1D44`), and the longer ids
    /// the API v2 also gives (its own example station is `1E6AB`).
    public init?(hex text: String) {
        guard !text.isEmpty, text.utf8.count <= 8, text.utf8.allSatisfy({ Hex.nibble($0) != nil }),
            let value = UInt32(text, radix: 16)
        else { return nil }
        self.rawValue = value
    }

    /// Upper-case hex, at least 4 characters (`1D44`, `00A1`, `1E6AB`).
    public var description: String {
        let digits = String(rawValue, radix: 16, uppercase: true)
        return digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits
    }

    public static func < (lhs: BaseStationID, rhs: BaseStationID) -> Bool { lhs.rawValue < rhs.rawValue }
}
