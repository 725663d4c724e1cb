import SigfoxEngine
import SigfoxModel

/// How a traffic item makes its uplink payloads.
///
/// - `payload: ff3842`: the same bytes every time;
/// - `payload: random:4`: 4 seeded random bytes;
/// - `payload: counter` / `counter:N`: a big-endian counter of 2 (or N) bytes per device, from 0;
/// - `payload: {encode: {temp: {from: 20, step: 0.5}, hum: {min: 40, max: 60}, door: [true, false]}}`: values
///   encoded with the payloadConfig of the device's type (SIGFOX.md section 6), one ``ValueGenerator`` per
///   field; fields not given are zero bits.
enum PayloadGenerator {
    case fixed([UInt8])
    case random(Int)
    /// A big-endian counter of N bytes per device, starting at 0.
    case counter(Int)
    /// Field values encoded with the device type's payloadConfig.
    case encode(EncodedFields)

    struct EncodedFields {
        var fields: [(name: String, keyLocation: SourceLocation, generator: ValueGenerator)]
        var location: SourceLocation
        var path: String
    }

    /// Reads a `payload:`; nil (not written) is the empty payload.
    init(_ node: ConfigNode?, path: String) throws(ConfigError) {
        guard let node else {
            self = .fixed([])
            return
        }
        if case .object = node.value {
            var object = try ConfigObject(node, path: path)
            guard let encodeNode = object.node("encode"), let entries = encodeNode.entries else {
                throw ConfigError(
                    location: node.location,
                    path: path,
                    message: "expected {encode: {FIELD: VALUE, ...}} with the fields of the device type's payloadConfig"
                )
            }
            try object.rejectUnknownFields(allowed: ["encode"])
            var fields = [(name: String, keyLocation: SourceLocation, generator: ValueGenerator)]()
            for entry in entries {
                let generator = try ValueGenerator(entry.node, path: object.fieldPath("encode") + "." + entry.key)
                fields.append((entry.key, entry.keyLocation, generator))
            }
            self = .encode(
                EncodedFields(fields: fields, location: encodeNode.location, path: object.fieldPath("encode"))
            )
            return
        }
        guard let text = node.scalarText else {
            throw ConfigError(
                location: node.location,
                path: path,
                message: "expected hex, random:N, counter, counter:N or {encode: {...}}, found \(node.kindName)"
            )
        }
        let syntax = "a hex payload, random:N (N random bytes), counter or counter:N (an N-byte counter)"
        if text.hasPrefix("random:") {
            guard let count = Int(text.dropFirst(7)), (0...12).contains(count) else {
                throw ConfigError(
                    location: node.location,
                    path: path,
                    message: "random:N needs N in 0...12, found '\(text)'"
                )
            }
            self = .random(count)
        } else if text == "counter" || text.hasPrefix("counter:") {
            let count = text == "counter" ? 2 : Int(text.dropFirst(8)) ?? -1
            guard (1...12).contains(count) else {
                throw ConfigError(
                    location: node.location,
                    path: path,
                    message: "counter:N needs N in 1...12, found '\(text)'"
                )
            }
            self = .counter(count)
        } else {
            guard let bytes = try? Hex.bytes(from: text), bytes.count <= Uplink.maximumPayload else {
                throw ConfigError(
                    location: node.location,
                    path: path,
                    message: "expected \(syntax) (at most 12 bytes), found '\(text)'"
                )
            }
            self = .fixed(bytes)
        }
    }

    /// The payload of the device's message numbered `index`.
    func payload(
        for device: DeviceID,
        index: Int,
        context: Scenario.TrafficContext,
        random: inout SeededGenerator
    ) throws(ConfigError) -> [UInt8] {
        switch self {
        case .fixed(let bytes): return bytes
        case .random(let count): return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        case .counter(let count): return Uplink.counterPayload(index, bytes: count)
        case .encode(let encoded):
            return try encoded.payload(for: device, index: index, context: context, random: &random)
        }
    }
}

extension PayloadGenerator.EncodedFields {
    func payload(
        for device: DeviceID,
        index: Int,
        context: Scenario.TrafficContext,
        random: inout SeededGenerator
    ) throws(ConfigError) -> [UInt8] {
        let (text, typeName) = context.payloadConfig(of: device)
        guard let text, let config = try? PayloadConfig(parsing: text) else {
            throw ConfigError(
                location: location,
                path: path,
                message: "device \(device)'s type \(typeName) has no payloadConfig to encode the values with"
            )
        }
        let encoder = PayloadEncoder(config: config)
        guard encoder.length <= Uplink.maximumPayload else {
            throw ConfigError(
                location: location,
                path: path,
                message: "the payloadConfig of \(typeName) ('\(text)') needs \(encoder.length) bytes; an uplink "
                    + "carries at most 12"
            )
        }
        var values = [(name: String, value: GeneratedValue)]()
        for field in fields {
            guard let payloadField = config.field(named: field.name) else {
                throw ConfigError(
                    location: field.keyLocation,
                    path: path + "." + field.name,
                    message: "no field '\(field.name)' in the payloadConfig of \(typeName) ('\(text)'); its fields: "
                        + config.fieldNames.joined(separator: ", ")
                )
            }
            let integral: Bool
            switch payloadField.kind {
            case .int, .uint: integral = true
            default: integral = false
            }
            values.append((field.name, field.generator.value(index: index, integral: integral, random: &random)))
        }
        do {
            return try encoder.encode(values)
        } catch {
            let generator = fields.first { $0.name == error.field }!.generator
            throw generator.error(error.reason + " (message \(index + 1) of device \(device))")
        }
    }
}
