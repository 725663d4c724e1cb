extension PayloadConfig {
    /// Decodes `payload` into one value per field, in configuration order (SIGFOX.md section 6).
    ///
    /// Any payload length is accepted (real uplinks carry 0 to 12 bytes; the emulator does not insist).
    /// A field that runs past the end of the payload gets a nil value (`{customData#name}` renders
    /// `null`) while the fields before and after it decode normally. Decoding never traps and does no
    /// string work except building `char` values.
    public func decode(_ payload: [UInt8]) -> [DecodedField] {
        fields.map { DecodedField(name: $0.name, value: $0.value(in: payload)) }
    }

    /// The value of the field called `name` in `payload`: nil when the field is unknown or runs past the
    /// end of the payload.
    public func value(of name: String, in payload: [UInt8]) -> CustomValue? {
        guard let index = indexByName[name] else { return nil }
        return fields[index].value(in: payload)
    }
}

extension PayloadField {
    /// This field's value in `payload`, or nil when the payload does not reach ``lastByte``.
    ///
    /// SIGFOX.md section 6, the table of types:
    /// - `bool:N` is bit N of ``firstByte``;
    /// - `char:L` is L bytes, read from the bit stream when a bit offset is given, each byte mapped to the
    ///   Unicode scalar of the same value (ISO-8859-1), so no byte is lost or replaced;
    /// - `float:32` / `float:64` reinterpret the bits as IEEE-754 binary32 / binary64;
    /// - `uint:bits` is the bits as an unsigned number, `int:bits` the same in two's complement over
    ///   `bits` bits, so `int:16` of `FF 38` is -200.
    public func value(in payload: [UInt8]) -> CustomValue? {
        guard lastByte < payload.count else { return nil }
        switch kind {
        case .bool(let bit):
            return .bool((payload[firstByte] >> UInt8(bit)) & 1 == 1)
        case .char(let length):
            return .text(text(length: length, in: payload))
        case .float(let bits):
            let raw = bitPattern(bits: bits, in: payload)
            if bits == 32 { return .float32(Float(bitPattern: UInt32(truncatingIfNeeded: raw))) }
            return .float64(Double(bitPattern: raw))
        case .uint(let bits):
            return .uint(bitPattern(bits: bits, in: payload))
        case .int(let bits):
            var raw = bitPattern(bits: bits, in: payload)
            if bits < 64, (raw >> UInt64(bits - 1)) & 1 == 1 {
                raw |= UInt64.max << UInt64(bits)
            }
            return .int(Int64(bitPattern: raw))
        }
    }

    /// The field's `bits` bits (at most 64) as an unsigned number, honouring ``endianness``.
    ///
    /// Big-endian (the default, SIGFOX.md section 6): the first bit read is the most significant.
    /// Little-endian (emulator rule): the bit stream is cut into 8-bit chunks in reading order; the first
    /// chunk is the least significant byte and a final short chunk is the most significant part.
    func bitPattern(bits: Int, in payload: [UInt8]) -> UInt64 {
        var reader = BitReader(byte: firstByte, bit: firstBit)
        var value: UInt64 = 0
        var remaining = bits
        switch endianness {
        case .bigEndian:
            while remaining > 0 {
                let count = Swift.min(remaining, 8)
                value = value << UInt64(count) | reader.read(count, from: payload)
                remaining -= count
            }
        case .littleEndian:
            var shift: UInt64 = 0
            while remaining > 0 {
                let count = Swift.min(remaining, 8)
                value |= reader.read(count, from: payload) << shift
                shift += 8
                remaining -= count
            }
        }
        return value
    }

    /// `length` bytes of text starting at ``firstByte``/``firstBit``, one ISO-8859-1 character per byte.
    func text(length: Int, in payload: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        if firstBit == 7 {
            for byte in payload[firstByte...lastByte] {
                scalars.append(Unicode.Scalar(byte))
            }
        } else {
            var reader = BitReader(byte: firstByte, bit: firstBit)
            for _ in 0..<length {
                scalars.append(Unicode.Scalar(UInt8(truncatingIfNeeded: reader.read(8, from: payload))))
            }
        }
        return String(scalars)
    }
}

extension PayloadField {
    /// Reads a payload as a big-endian bit stream: from a given bit of a byte (7 = most significant) down
    /// to bit 0, then on through all 8 bits of each following byte (SIGFOX.md section 6, bit offsets).
    ///
    /// The caller checks that the payload holds every byte the reads touch.
    struct BitReader {
        /// The byte being read.
        var byte: Int
        /// How many bits of ``byte`` are still unread: 1...8.
        var bitsLeft: Int

        init(byte: Int, bit: Int) {
            self.byte = byte
            self.bitsLeft = bit + 1
        }

        /// The next `count` bits (0...64) as an unsigned number, the first bit read the most significant.
        mutating func read(_ count: Int, from payload: [UInt8]) -> UInt64 {
            var result: UInt64 = 0
            var remaining = count
            while remaining > 0 {
                let take = Swift.min(remaining, bitsLeft)
                let current = UInt64(payload[byte])
                let chunk = (current >> UInt64(bitsLeft - take)) & ((1 << UInt64(take)) - 1)
                result = result << UInt64(take) | chunk
                bitsLeft -= take
                remaining -= take
                if bitsLeft == 0 {
                    byte += 1
                    bitsLeft = 8
                }
            }
            return result
        }
    }
}
