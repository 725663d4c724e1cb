import SigfoxEngine
import SigfoxModel

/// Writes field values into payload bytes so that a `payloadConfig` decodes them back (SIGFOX.md section 6):
/// the inverse of ``PayloadConfig/decode(_:)``, used by the scenario payload generator `encode:`.
///
/// The payload is as long as the configuration needs (up to its last field's last byte); fields not given
/// are zero bits. Every field is written at the bits the decoder reads, with the same byte-cursor rules,
/// bit offsets and endianness, so `decode(encode(values))` gives the values back.
struct PayloadEncoder {
    let config: PayloadConfig

    /// The payload length the configuration needs, in bytes.
    var length: Int {
        (config.fields.map(\.lastByte).max() ?? -1) + 1
    }

    /// The bytes for `values` (field name → value); throws the reason a value does not fit its field.
    func encode(_ values: [(name: String, value: GeneratedValue)]) throws(EncodingFailure) -> [UInt8] {
        var payload = [UInt8](repeating: 0, count: length)
        for (name, value) in values {
            guard let field = config.field(named: name) else {
                throw EncodingFailure(field: name, reason: "no field '\(name)' in the payloadConfig")
            }
            try write(value, into: field, payload: &payload)
        }
        return payload
    }

    private func write(
        _ value: GeneratedValue,
        into field: PayloadField,
        payload: inout [UInt8]
    ) throws(EncodingFailure) {
        func fail(_ reason: String) -> EncodingFailure {
            EncodingFailure(field: field.name, reason: "\(value) does not fit \(field.text): \(reason)")
        }
        switch field.kind {
        case .bool(let bit):
            guard case .bool(let flag) = value else { throw fail("a bool field takes true or false") }
            if flag {
                payload[field.firstByte] |= UInt8(1) << UInt8(bit)
            } else {
                payload[field.firstByte] &= ~(UInt8(1) << UInt8(bit))
            }
        case .char(let length):
            guard case .text(let text) = value else { throw fail("a char field takes text") }
            let scalars = Array(text.unicodeScalars)
            guard scalars.count <= length else { throw fail("longer than \(length) characters") }
            guard scalars.allSatisfy({ $0.value <= 0xFF }) else {
                throw fail("only ISO-8859-1 characters fit in a byte each")
            }
            // Shorter text is padded with spaces, so the decoded text shows what was meant.
            let bytes = scalars.map { UInt8($0.value) } + Array(repeating: 0x20, count: length - scalars.count)
            var writer = BitWriter(byte: field.firstByte, bit: field.firstBit)
            for byte in bytes { writer.write(UInt64(byte), bits: 8, into: &payload) }
        case .float(let bits):
            guard case .number(let number) = value else { throw fail("a float field takes a number") }
            let pattern: UInt64
            if bits == 32 {
                let single = Float(number)
                guard single.isFinite else { throw fail("out of the range of a 32-bit float") }
                pattern = UInt64(single.bitPattern)
            } else {
                pattern = number.bitPattern
            }
            writeBits(pattern, field: field, bits: bits, payload: &payload)
        case .uint(let bits):
            guard case .number(let number) = value, number == number.rounded() else {
                throw fail("a uint field takes a whole number")
            }
            // 2^bits as a Double is exact; a value must be below it (UInt64.max as a Double rounds up to 2^64).
            let limit = Double(sign: .plus, exponent: bits, significand: 1)
            guard number >= 0, number < limit else {
                throw fail("a uint:\(bits) holds 0...\(bits == 64 ? UInt64.max : (UInt64(1) << UInt64(bits)) - 1)")
            }
            writeBits(UInt64(number), field: field, bits: bits, payload: &payload)
        case .int(let bits):
            guard case .number(let number) = value, number == number.rounded() else {
                throw fail("an int field takes a whole number")
            }
            let half = Double(sign: .plus, exponent: bits - 1, significand: 1)
            guard number >= -half, number < half else {
                let top = bits == 64 ? Int64.max : (Int64(1) << Int64(bits - 1)) - 1
                throw fail("an int:\(bits) holds \(-top - 1)...\(top)")
            }
            let pattern = UInt64(bitPattern: Int64(number))
            let mask = bits == 64 ? UInt64.max : (UInt64(1) << UInt64(bits)) - 1
            writeBits(pattern & mask, field: field, bits: bits, payload: &payload)
        }
    }

    /// The field's bits as the decoder reads them: big-endian as one stream, most significant first;
    /// little-endian as 8-bit chunks, least significant first (the decoder's emulator rule).
    private func writeBits(_ value: UInt64, field: PayloadField, bits: Int, payload: inout [UInt8]) {
        var writer = BitWriter(byte: field.firstByte, bit: field.firstBit)
        switch field.endianness {
        case .bigEndian:
            writer.write(value, bits: bits, into: &payload)
        case .littleEndian:
            var remaining = bits
            var shift: UInt64 = 0
            while remaining > 0 {
                let count = min(remaining, 8)
                writer.write((value >> shift) & ((1 << UInt64(count)) - 1), bits: count, into: &payload)
                shift += 8
                remaining -= count
            }
        }
    }

    /// Writes a big-endian bit stream from a given bit of a byte (7 = most significant) down to bit 0, then
    /// on through the following bytes: the mirror of the decoder's reader.
    struct BitWriter {
        var byte: Int
        var bitsLeft: Int

        init(byte: Int, bit: Int) {
            self.byte = byte
            self.bitsLeft = bit + 1
        }

        /// Writes the low `bits` bits of `value` (0...64), most significant first.
        mutating func write(_ value: UInt64, bits: Int, into payload: inout [UInt8]) {
            var remaining = bits
            while remaining > 0 {
                let take = min(remaining, bitsLeft)
                let chunk = UInt8(truncatingIfNeeded: (value >> UInt64(remaining - take)) & ((1 << UInt64(take)) - 1))
                let shift = UInt8(bitsLeft - take)
                let mask = UInt8(truncatingIfNeeded: (1 << UInt16(take)) - 1) << shift
                payload[byte] = (payload[byte] & ~mask) | (chunk << shift)
                bitsLeft -= take
                remaining -= take
                if bitsLeft == 0 {
                    byte += 1
                    bitsLeft = 8
                }
            }
        }
    }
}

/// A value that cannot be encoded into its field.
public struct EncodingFailure: Error, Sendable {
    public var field: String
    public var reason: String
}

extension PayloadConfig {
    /// The payload that decodes to `values` (field name → number, boolean or text) with this configuration:
    /// what `encode:` writes in a scenario, for one uplink (`serve`'s control API). Throws the field and
    /// the reason when a value does not fit or the configuration needs more than 12 bytes.
    public func encodePayload(_ values: [(name: String, value: GeneratedValue)]) throws(EncodingFailure) -> [UInt8] {
        let encoder = PayloadEncoder(config: self)
        guard encoder.length <= Uplink.maximumPayload else {
            throw EncodingFailure(
                field: "",
                reason: "the payloadConfig needs \(encoder.length) bytes; an uplink carries at most 12"
            )
        }
        return try encoder.encode(values)
    }
}
