/// Hexadecimal text for payloads and ids.
///
/// Sigfox writes uplink data as lower-case hex (`{data}`, SIGFOX.md section 3) and ids as upper-case
/// hex (section 1). Input is accepted in either case.
public enum Hex {
    /// Why a hex string was refused.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case oddLength(Int)
        case invalidCharacter(Character, offset: Int)

        public var description: String {
            switch self {
            case .oddLength(let count):
                return "hex text has an odd number of digits (\(count)); each byte needs two"
            case .invalidCharacter(let character, let offset):
                return "'\(character)' at position \(offset + 1) is not a hex digit"
            }
        }
    }

    /// Parses hex text (either case, no separators, optional `0x` prefix) into bytes.
    public static func bytes(from text: String) throws(ParseError) -> [UInt8] {
        var digits = Substring(text)
        var offsetBase = 0
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            digits = digits.dropFirst(2)
            offsetBase = 2
        }
        let utf8 = Array(digits.utf8)
        if let bad = utf8.firstIndex(where: { nibble($0) == nil }) {
            throw .invalidCharacter(character(in: digits, utf8Offset: bad), offset: offsetBase + bad)
        }
        guard utf8.count % 2 == 0 else { throw .oddLength(utf8.count) }
        var result = [UInt8]()
        result.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            result.append(nibble(utf8[index])! << 4 | nibble(utf8[index + 1])!)
            index += 2
        }
        return result
    }

    /// Lower-case hex of `bytes`, two digits a byte: the form of `{data}`.
    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        encode(bytes, digits: lowerDigits)
    }

    /// Upper-case hex of `bytes`, two digits a byte.
    public static func uppercase(_ bytes: some Sequence<UInt8>) -> String {
        encode(bytes, digits: upperDigits)
    }

    /// The value of one ASCII hex digit, or nil.
    @inline(__always)
    public static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static let lowerDigits = Array("0123456789abcdef".utf8)
    static let upperDigits = Array("0123456789ABCDEF".utf8)

    private static func encode(_ bytes: some Sequence<UInt8>, digits: [UInt8]) -> String {
        let bytes = Array(bytes)
        // The digits go into a buffer on the stack, then into a string of exactly their size: one
        // allocation (this was ten short-lived ones per `{data}`).
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count * 2) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0F)]
                index += 2
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<index]), as: UTF8.self)
        }
    }

    private static func character(in text: Substring, utf8Offset: Int) -> Character {
        let tail = text.utf8.dropFirst(utf8Offset)
        return String(decoding: tail.prefix(4), as: UTF8.self).first ?? "?"
    }
}
