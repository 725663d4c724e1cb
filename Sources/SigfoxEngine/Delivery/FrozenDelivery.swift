import SigfoxModel

/// A delivery waiting for a retry, kept as a few bytes instead of as values.
///
/// A receiver that is down leaves every delivery waiting a minute or more for its next try; a load test
/// can leave a million of them (Benchmarks/README.md). Frozen, a delivery keeps its messages (device, time,
/// the variables its callback uses) in one byte buffer and not its rendered request: that is rendered again
/// from the same variables when the retry is due, which gives the same request byte for byte (rendering is
/// a pure function of the definition and the variables).
struct FrozenDelivery: Sendable {
    /// Callback index, tries, SNI flag, first due time, then the messages (``MessageCoding``).
    var bytes: [UInt8]

    init(
        callback: UInt32,
        tries: Int,
        sendSni: Bool,
        firstDue: SimulationTime,
        messages: [CarriedMessage],
        deviceTypes: inout DeviceTypeTable
    ) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(32 + messages.count * 96)
        MessageCoding.appendVarint(UInt64(callback), to: &bytes)
        MessageCoding.appendVarint(UInt64(tries), to: &bytes)
        bytes.append(sendSni ? 1 : 0)
        MessageCoding.appendVarint(MessageCoding.zigzag(firstDue.milliseconds), to: &bytes)
        MessageCoding.encode(messages, deviceTypes: &deviceTypes, into: &bytes)
        // An exact-size copy: the buffer grew in steps, and a million waiting deliveries would keep the slack.
        self.bytes = Array(unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
    }

    /// The fields back.
    func decode(
        deviceTypes: DeviceTypeTable
    ) -> (callback: Int, tries: Int, sendSni: Bool, firstDue: SimulationTime, messages: [CarriedMessage]) {
        var reader = MessageCoding.Reader(bytes: bytes)
        let callback = Int(reader.varint())
        let tries = Int(reader.varint())
        let sendSni = reader.byte() == 1
        let firstDue = SimulationTime(milliseconds: MessageCoding.unzigzag(reader.varint()))
        let messages = MessageCoding.decode(&reader, deviceTypes: deviceTypes)
        return (callback, tries, sendSni, firstDue, messages)
    }
}

/// The byte form of carried messages.
enum MessageCoding {
    /// Catalogue variables by their ordinal.
    private static let byOrdinal: [StandardVariable] = {
        var table = StandardVariable.allCases.map { $0 }
        for variable in StandardVariable.allCases { table[variable.ordinal] = variable }
        return table
    }()

    static func encode(_ messages: [CarriedMessage], deviceTypes: inout DeviceTypeTable, into bytes: inout [UInt8]) {
        appendVarint(UInt64(messages.count), to: &bytes)
        for message in messages {
            appendFixed(UInt64(message.device.rawValue), bytes: 4, to: &bytes)
            appendVarint(UInt64(deviceTypes.index(of: message.deviceType)), to: &bytes)
            appendVarint(zigzag(message.time.milliseconds), to: &bytes)
            // Bit 0: waiting for a downlink (its message follows); bit 1: over the daily limit.
            let overLimit: UInt8 = message.isOverLimit ? 2 : 0
            if let waiting = message.awaitingDownlink {
                bytes.append(1 | overLimit)
                appendFixed(UInt64(waiting.device.rawValue), bytes: 4, to: &bytes)
                appendVarint(UInt64(waiting.seqNumber), to: &bytes)
                appendVarint(zigzag(waiting.firstReception.milliseconds), to: &bytes)
            } else {
                bytes.append(overLimit)
            }
            let bound = message.bindings.boundVariables
            appendVarint(UInt64(bound.count), to: &bytes)
            for (variable, value) in bound {
                appendVarint(UInt64(variable.ordinal), to: &bytes)
                append(value, to: &bytes)
            }
            if let payload = message.bindings.payload {
                bytes.append(1)
                appendVarint(UInt64(payload.count), to: &bytes)
                bytes.append(contentsOf: payload)
            } else {
                bytes.append(0)
            }
        }
    }

    static func decode(_ reader: inout Reader, deviceTypes: DeviceTypeTable) -> [CarriedMessage] {
        let count = Int(reader.varint())
        var messages = [CarriedMessage]()
        messages.reserveCapacity(count)
        for _ in 0..<count {
            let device = DeviceID(UInt32(reader.fixed(4)))
            let deviceType = deviceTypes.types[Int(reader.varint())]
            let time = SimulationTime(milliseconds: unzigzag(reader.varint()))
            var waiting: MessageID?
            let flags = reader.byte()
            if flags & 1 == 1 {
                let waitingDevice = DeviceID(UInt32(reader.fixed(4)))
                let seqNumber = Int(reader.varint())
                let firstReception = SimulationTime(milliseconds: unzigzag(reader.varint()))
                waiting = MessageID(device: waitingDevice, seqNumber: seqNumber, firstReception: firstReception)
            }
            var entries = [(StandardVariable, VariableValue)]()
            let bound = Int(reader.varint())
            entries.reserveCapacity(bound)
            for _ in 0..<bound {
                let variable = byOrdinal[Int(reader.varint())]
                entries.append((variable, reader.value()))
            }
            var payload: [UInt8]?
            if reader.byte() == 1 {
                let length = Int(reader.varint())
                payload = reader.bytes(length)
            }
            messages.append(
                CarriedMessage(
                    device: device,
                    deviceType: deviceType,
                    time: time,
                    bindings: VariableBindings(compactEntries: entries, payload: payload),
                    awaitingDownlink: waiting,
                    isOverLimit: flags & 2 == 2
                )
            )
        }
        return messages
    }

    private static func append(_ value: VariableValue, to bytes: inout [UInt8]) {
        switch value {
        case .text(let text):
            bytes.append(0)
            appendString(text, to: &bytes)
        case .integer(let number):
            bytes.append(1)
            appendVarint(zigzag(number), to: &bytes)
        case .unsigned(let number):
            bytes.append(2)
            appendVarint(number, to: &bytes)
        case .decimal2(let number):
            bytes.append(3)
            appendFixed(number.bitPattern, bytes: 8, to: &bytes)
        case .float(let number):
            bytes.append(4)
            appendFixed(number.bitPattern, bytes: 8, to: &bytes)
        case .bool(let flag):
            bytes.append(flag ? 6 : 5)
        case .json(let text):
            bytes.append(7)
            appendString(text, to: &bytes)
        case .null:
            bytes.append(8)
        }
    }

    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        appendVarint(UInt64(utf8.count), to: &bytes)
        bytes.append(contentsOf: utf8)
    }

    /// Small magnitudes of either sign in few bytes.
    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func appendFixed(_ value: UInt64, bytes count: Int, to bytes: inout [UInt8]) {
        for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func byte() -> UInt8 {
            defer { position += 1 }
            return bytes[position]
        }

        mutating func varint() -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let next = byte()
                value |= UInt64(next & 0x7F) << shift
                if next < 0x80 { return value }
                shift += 7
            }
        }

        mutating func fixed(_ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<count { value |= UInt64(byte()) << (8 * UInt64(index)) }
            return value
        }

        mutating func bytes(_ count: Int) -> [UInt8] {
            defer { position += count }
            return Array(bytes[position..<position + count])
        }

        mutating func string() -> String {
            let length = Int(varint())
            defer { position += length }
            return String(decoding: bytes[position..<position + length], as: UTF8.self)
        }

        mutating func value() -> VariableValue {
            switch byte() {
            case 0: return .text(string())
            case 1: return .integer(MessageCoding.unzigzag(varint()))
            case 2: return .unsigned(varint())
            case 3: return .decimal2(Double(bitPattern: fixed(8)))
            case 4: return .float(Double(bitPattern: fixed(8)))
            case 5: return .bool(false)
            case 6: return .bool(true)
            case 7: return .json(string())
            default: return .null
            }
        }
    }
}

/// Device types by a small number, for frozen messages.
struct DeviceTypeTable: Sendable {
    private(set) var types: [DeviceTypeID] = []
    private var indexes: [DeviceTypeID: Int] = [:]

    mutating func index(of type: DeviceTypeID) -> Int {
        if let index = indexes[type] { return index }
        types.append(type)
        indexes[type] = types.count - 1
        return types.count - 1
    }
}

/// Callbacks by a small number, with their definitions, for frozen deliveries.
struct CallbackTable: Sendable {
    private(set) var references: [CallbackReference] = []
    private(set) var definitions: [CallbackDefinition] = []
    private var indexes: [CallbackReference: Int] = [:]
    /// The last callback registered: under load one callback's deliveries come one after another, and
    /// comparing with it costs less than hashing the reference.
    private var last: (reference: CallbackReference, index: UInt32)?

    mutating func index(of reference: CallbackReference, definition: CallbackDefinition) -> UInt32 {
        if let last, last.reference == reference { return last.index }
        let index: UInt32
        if let known = indexes[reference] {
            index = UInt32(known)
        } else {
            references.append(reference)
            definitions.append(definition)
            indexes[reference] = references.count - 1
            index = UInt32(references.count - 1)
        }
        last = (reference, index)
        return index
    }

    func index(of reference: CallbackReference) -> UInt32? {
        indexes[reference].map(UInt32.init)
    }
}
