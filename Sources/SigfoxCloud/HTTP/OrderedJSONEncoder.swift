import Foundation
import SigfoxModel

/// Encodes a value as one line of JSON with its keys in the order the type encodes them, strings quoted as
/// ``JSONText/quoted(_:)`` quotes them: the bytes the APIs answered with before their bodies were types
/// (Foundation's `JSONEncoder` on Linux orders keys by hash, or sorted, and escapes `/`).
///
/// It writes as the value encodes, into one string: no tree of the value is built, so a body costs about
/// what writing its text costs (the live engine encodes a message, its receptions and a try's event per
/// uplink).
struct OrderedJSONEncoder {
    func encode(_ value: some Encodable) throws -> String {
        let sink = JSONSink()
        try sink.write(value, codingPath: [])
        return sink.text
    }
}

/// A value ``OrderedJSONEncoder`` writes as its ``jsonText``, as it is: a number written the way the body
/// always wrote it, or JSON the store keeps already encoded.
protocol JSONVerbatim: Encodable {
    var jsonText: String { get }
}

/// A coordinate or other `Double` written as Swift prints it (`43.0`, not `43`): the API v2 bodies
/// always wrote `lat`/`lng` so, and clients and tests read them so.
struct SwiftDouble: JSONVerbatim {
    var value: Double
    init(_ value: Double) { self.value = value }
    var jsonText: String { "\(value)" }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A value rounded to two decimals as the journal and callbacks write them (``VariableValue/twoDecimals(_:)``:
/// `21.50`, `3.25`, `7.00`).
struct TwoDecimals: JSONVerbatim {
    var value: Double
    init(_ value: Double) { self.value = value }
    var jsonText: String { VariableValue.twoDecimals(value) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// JSON already encoded (a message's receptions as the store keeps them), written as it is.
struct EncodedJSON: JSONVerbatim {
    var jsonText: String
    init(_ text: String) { jsonText = text }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(jsonText)
    }
}

/// An object of strings whose keys are data (a callback's variables), written in the order given.
typealias OrderedStrings = OrderedObject<String>

/// An object whose keys are data (variables, device ids), written in the order given.
struct OrderedObject<Value: Encodable>: Encodable {
    var entries: [(key: String, value: Value)]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for entry in entries { try container.encode(entry.value, forKey: Key(stringValue: entry.key)) }
    }
}

/// The text being written, shared by the encoders and containers of one value.
private final class JSONSink {
    var text = ""

    init() { text.reserveCapacity(256) }

    /// Writes a value: scalars directly, anything else through its own `encode(to:)`, closing the object or
    /// array it opened (containers are used one after the other, never nested, so the text is written in
    /// order). `key` extends `codingPath` for that value, built only when the value is not a scalar.
    func write(_ value: some Encodable, codingPath: [any CodingKey], key: (any CodingKey)? = nil) throws {
        switch value {
        case let text as String: JSONText.appendQuoted(text, to: &self.text)
        case let flag as Bool: text += flag ? "true" : "false"
        case let number as Int: text += String(number)
        case let number as Int64: text += String(number)
        case let number as UInt64: text += String(number)
        case let number as Int32: text += String(number)
        case let number as UInt32: text += String(number)
        case let number as UInt: text += String(number)
        case let number as Double: writeNumber(number)
        case let number as Float: writeNumber(Double(number))
        case let verbatim as any JSONVerbatim: text += verbatim.jsonText
        default:
            let encoder = StreamEncoder(sink: self, codingPath: key.map { codingPath + [$0] } ?? codingPath)
            try value.encode(to: encoder)
            encoder.close()
        }
    }

    private func writeNumber(_ value: Double) {
        guard value.isFinite else {
            text += "null"
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            text += String(Int64(value))
        } else {
            text += "\(value)"
        }
    }
}

/// The encoder of one value that is not a scalar: it opens an object or an array in the sink when asked for
/// a container, and ``close()`` ends it once the value has encoded itself (a value that encodes nothing is
/// `{}`).
private final class StreamEncoder: Encoder {
    enum Shape { case none, object, array, single }

    let sink: JSONSink
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var shape = Shape.none
    /// Members (or items) written so far: a separator goes before every one after the first.
    var count = 0

    init(sink: JSONSink, codingPath: [any CodingKey]) {
        self.sink = sink
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        open(.object, "{")
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        open(.array, "[")
        return UnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        if shape == .none { shape = .single }
        return SingleContainer(encoder: self)
    }

    private func open(_ wanted: Shape, _ opening: String) {
        guard shape != wanted else { return }
        precondition(shape == .none, "OrderedJSONEncoder: a value asked for a second kind of container")
        shape = wanted
        sink.text += opening
    }

    /// Before a member or an item: the separator after the first.
    func separate() {
        if count > 0 { sink.text += "," }
        count += 1
    }

    func close() {
        switch shape {
        case .none: sink.text += "{}"
        case .object: sink.text += "}"
        case .array: sink.text += "]"
        case .single: if count == 0 { sink.text += "{}" }
        }
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: StreamEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func member(_ key: Key) {
        encoder.separate()
        JSONText.appendQuoted(key.stringValue, to: &encoder.sink.text)
        encoder.sink.text += ":"
    }

    mutating func encodeNil(forKey key: Key) throws {
        member(key)
        encoder.sink.text += "null"
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeValue(Int(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeValue(Int(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeValue(UInt(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeValue(UInt(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeValue(value, key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encodeValue(value, key) }

    /// `nil` is left out, as `JSONEncoder` does; ``encodeNil(forKey:)`` writes `null`.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encodeValue(value, key) }
    }

    private func encodeValue(_ value: some Encodable, _ key: Key) throws {
        member(key)
        try encoder.sink.write(value, codingPath: encoder.codingPath, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        fatalError("OrderedJSONEncoder: nested containers are not used; encode a value instead")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        fatalError("OrderedJSONEncoder: nested containers are not used; encode a value instead")
    }

    mutating func superEncoder() -> any Encoder {
        fatalError("OrderedJSONEncoder: super encoders are not used; encode a value instead")
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        fatalError("OrderedJSONEncoder: super encoders are not used; encode a value instead")
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: StreamEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.count }

    mutating func encodeNil() throws {
        encoder.separate()
        encoder.sink.text += "null"
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.separate()
        try encoder.sink.write(value, codingPath: encoder.codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        fatalError("OrderedJSONEncoder: nested containers are not used; encode a value instead")
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        fatalError("OrderedJSONEncoder: nested containers are not used; encode a value instead")
    }

    mutating func superEncoder() -> any Encoder {
        fatalError("OrderedJSONEncoder: super encoders are not used; encode a value instead")
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: StreamEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.count += 1
        encoder.sink.text += "null"
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.count += 1
        try encoder.sink.write(value, codingPath: encoder.codingPath)
    }
}
