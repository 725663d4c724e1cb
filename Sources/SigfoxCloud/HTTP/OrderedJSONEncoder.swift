import Foundation
import SigfoxModel

/// Encodes a value as one line of JSON with its keys in the order the type encodes them, strings quoted as
/// ``JSONText/quoted(_:)`` quotes them: the bytes the APIs answered with before their bodies were types
/// (Foundation's `JSONEncoder` on Linux orders keys by hash, or sorted, and escapes `/`).
struct OrderedJSONEncoder {
    func encode(_ value: some Encodable) throws -> String {
        let encoder = NodeEncoder(codingPath: [])
        try value.encode(to: encoder)
        return encoder.result.node.text
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

/// A value being written: an object keeps its keys in order.
private indirect enum JSONNode {
    case scalar(String)
    case object([(String, JSONNode)])
    case array([JSONNode])

    var text: String {
        switch self {
        case .scalar(let text): return text
        case .object(let entries):
            return "{" + entries.map { JSONText.quoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        }
    }

    static func number(_ value: Double) -> JSONNode {
        guard value.isFinite else { return .scalar("null") }
        if value == value.rounded(), abs(value) < 1e15 { return .scalar(String(Int64(value))) }
        return .scalar("\(value)")
    }
}

/// Where a container writes: shared by an encoder and the containers it hands out.
private final class NodeBox {
    var node: JSONNode = .object([])
}

private final class NodeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    let result = NodeBox()

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = result.node {} else { result.node = .object([]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: result, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        result.node = .array([])
        return UnkeyedContainer(box: result, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(box: result, codingPath: codingPath)
    }

    /// A value's node: scalars directly, anything else through its own `encode(to:)`.
    static func node(_ value: some Encodable, codingPath: [any CodingKey]) throws -> JSONNode {
        switch value {
        case let text as String: return .scalar(JSONText.quoted(text))
        case let flag as Bool: return .scalar(flag ? "true" : "false")
        case let number as Int: return .scalar(String(number))
        case let number as Int64: return .scalar(String(number))
        case let number as UInt64: return .scalar(String(number))
        case let number as Int32: return .scalar(String(number))
        case let number as UInt32: return .scalar(String(number))
        case let number as UInt: return .scalar(String(number))
        case let number as Double: return .number(number)
        case let number as Float: return .number(Double(number))
        case let verbatim as any JSONVerbatim: return .scalar(verbatim.jsonText)
        default:
            let encoder = NodeEncoder(codingPath: codingPath)
            try value.encode(to: encoder)
            return encoder.result.node
        }
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: NodeBox
    let codingPath: [any CodingKey]

    private func append(_ node: JSONNode, _ key: Key) {
        guard case .object(var entries) = box.node else { return }
        entries.append((key.stringValue, node))
        box.node = .object(entries)
    }

    mutating func encodeNil(forKey key: Key) throws { append(.scalar("null"), key) }
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
        append(try NodeEncoder.node(value, codingPath: codingPath + [key]), key)
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

    mutating func superEncoder() -> any Encoder { NodeEncoder(codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { NodeEncoder(codingPath: codingPath + [key]) }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: NodeBox
    let codingPath: [any CodingKey]
    var count: Int {
        guard case .array(let items) = box.node else { return 0 }
        return items.count
    }

    private func append(_ node: JSONNode) {
        guard case .array(var items) = box.node else { return }
        items.append(node)
        box.node = .array(items)
    }

    mutating func encodeNil() throws { append(.scalar("null")) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try NodeEncoder.node(value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        fatalError("OrderedJSONEncoder: nested containers are not used; encode a value instead")
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        fatalError("OrderedJSONEncoder: nested containers are not used; encode a value instead")
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(codingPath: codingPath) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let box: NodeBox
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { box.node = .scalar("null") }
    mutating func encode<T: Encodable>(_ value: T) throws {
        box.node = try NodeEncoder.node(value, codingPath: codingPath)
    }
}
