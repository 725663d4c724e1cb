/// Why a `payloadConfig` string was refused, with the position of the offending field.
///
/// SIGFOX.md section 6: an unknown type or endianness word, a bit count out of range, or a malformed
/// field is a configuration error, reported with the field's position. The error carries everything a
/// user needs to find and fix the field:
///
/// ```
/// payloadConfig field 2 'temp::flaot:32' (column 13): unknown type 'flaot'; expected bool, char, float, uint or int
/// ```
public struct PayloadConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of mistake, for code that reacts to it; ``message`` says it in words (SIGFOX.md section 6).
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        /// The type word is not `bool`, `char`, `float`, `uint` or `int`.
        case unknownType
        /// A word parameter is not `little-endian` or `big-endian`.
        case badEndianness
        /// A bit count outside `uint`/`int` 1...64 or `float` 32/64, or a `char` length below 1.
        case bitCountOutOfRange
        /// A `bool` bit number or a bit offset outside 0...7.
        case bitPositionOutOfRange
        /// Wrong number of colons, a missing or extra parameter, or a non-numeric index, length or count.
        case malformedField
        /// The name is already used by an earlier field.
        case duplicateName
        /// The name is empty or has a character other than an ASCII letter, digit, `_` or `-`.
        case invalidName
    }

    /// The 1-based number of the field in the configuration.
    public let fieldNumber: Int

    /// The 1-based column (in characters) where the field starts in the configuration string.
    public let column: Int

    /// The offending field's text, e.g. `temp::flaot:32`.
    public let fieldText: String

    /// The kind of mistake.
    public let reason: Reason

    /// What is wrong and what was expected, e.g. `unknown type 'flaot'; expected bool, char, float, uint or int`.
    public let message: String

    public init(fieldNumber: Int, column: Int, fieldText: String, reason: Reason, message: String) {
        self.fieldNumber = fieldNumber
        self.column = column
        self.fieldText = fieldText
        self.reason = reason
        self.message = message
    }

    public var description: String {
        "payloadConfig field \(fieldNumber) '\(fieldText)' (column \(column)): \(message)"
    }
}

extension PayloadConfigError {
    /// The messages of every reason, in one place so that they read alike.
    enum Message {
        static let expectedTypes = "expected bool, char, float, uint or int"

        static func unknownType(_ word: Substring) -> String {
            "unknown type '\(word)'; \(expectedTypes)"
        }

        static func badEndianness(_ word: Substring) -> String {
            "'\(word)' is not an endianness; expected little-endian or big-endian"
        }

        static func bitCount(_ word: Substring, type: String) -> String {
            switch type {
            case "float": return "float takes 32 or 64 bits, not '\(word)'"
            case "char": return "char length '\(word)' must be at least 1 byte"
            default: return "\(type) takes 1 to 64 bits, not '\(word)'"
            }
        }

        static func bitNumber(_ word: Substring) -> String {
            "bool bit '\(word)' must be 0 (least significant) to 7 (most significant)"
        }

        static func bitOffset(_ word: Substring) -> String {
            "bit offset '\(word)' must be 0 (least significant) to 7 (most significant)"
        }

        static let shape = "expected name:byteIndex:type[:params]"

        static func byteIndex(_ word: Substring) -> String {
            "byte index '\(word)' is not a non-negative decimal integer"
        }

        static func missingParameter(type: String) -> String {
            switch type {
            case "bool": return "bool needs a bit number, e.g. bool:7"
            case "char": return "char needs a length in bytes, e.g. char:6"
            case "float": return "float needs a bit count, e.g. float:32"
            default: return "\(type) needs a bit count, e.g. \(type):16"
            }
        }

        static func notANumber(_ word: Substring, what: String) -> String {
            "\(what) '\(word)' is not a decimal integer"
        }

        static func tooManyParameters(type: String) -> String {
            switch type {
            case "bool": return "bool takes exactly one parameter, the bit number"
            case "char": return "char takes a length and an optional bit offset"
            default: return "\(type) takes a bit count, an optional endianness and an optional bit offset"
            }
        }

        static let emptyParameter = "empty parameter (two colons in a row or a trailing colon)"
        static let twoEndiannesses = "the endianness is given twice"
        static let twoOffsets = "the bit offset is given twice"
        static let charEndianness = "char has no endianness; it takes a length and an optional bit offset"

        static func invalidName(_ name: Substring) -> String {
            if name.isEmpty { return "the field has no name; \(shape)" }
            return "name '\(name)' may only have ASCII letters, digits, '_' and '-'"
        }

        static func duplicateName(_ name: Substring, firstNumber: Int) -> String {
            "name '\(name)' is already used by field \(firstNumber)"
        }
    }
}
