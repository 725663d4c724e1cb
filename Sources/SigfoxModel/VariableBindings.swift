/// The values of the variables for one message (or one service event), ready to render.
///
/// A variable that is known but was never set renders as `null` (SIGFOX.md section 3). The payload
/// is kept as bytes: each callback decodes its own `{customData#…}` fields with its own payloadConfig.
public struct VariableBindings: Sendable, Equatable {
    /// One slot per catalogue variable; empty when the bindings are compact.
    private var values: [VariableValue?]
    /// The bound variables of compact bindings (``keeping(_:payload:)``), by ordinal; empty otherwise.
    private var compact: [CompactEntry] = []
    /// The uplink payload, for `{customData#NAME}`.
    public var payload: [UInt8]?

    private struct CompactEntry: Sendable, Equatable {
        var ordinal: Int
        var value: VariableValue
    }

    public init() {
        values = Array(repeating: nil, count: StandardVariable.allCases.count)
    }

    public subscript(variable: StandardVariable) -> VariableValue? {
        get {
            if values.isEmpty {
                let ordinal = variable.ordinal
                return compact.first { $0.ordinal == ordinal }?.value
            }
            return values[variable.ordinal]
        }
        set {
            if values.isEmpty { expand() }
            values[variable.ordinal] = newValue
        }
    }

    /// The variables that have a value, in catalogue order.
    public var boundVariables: [(StandardVariable, VariableValue)] {
        StandardVariable.allCases.compactMap { variable in self[variable].map { (variable, $0) } }
    }

    /// A copy with only `kept` (and the payload when `payload` is true), stored compactly: what a delivery
    /// keeps while it waits for its tries. A delivery waiting for a retry then holds a few dozen bytes of
    /// variables instead of a slot for every variable of the catalogue (Benchmarks/README.md).
    public func keeping(_ kept: [StandardVariable], payload keepPayload: Bool) -> VariableBindings {
        var copy = VariableBindings(compact: [])
        copy.compact.reserveCapacity(kept.count)
        for variable in kept {
            if let value = self[variable] { copy.compact.append(CompactEntry(ordinal: variable.ordinal, value: value)) }
        }
        copy.compact.sort { $0.ordinal < $1.ordinal }
        copy.payload = keepPayload ? payload : nil
        return copy
    }

    /// Compact bindings holding exactly `entries` (in any order) and `payload`.
    public init(compactEntries entries: [(StandardVariable, VariableValue)], payload: [UInt8]?) {
        self.init(
            compact: entries.map { CompactEntry(ordinal: $0.0.ordinal, value: $0.1) }.sorted { $0.ordinal < $1.ordinal }
        )
        self.payload = payload
    }

    private init(compact: [CompactEntry]) {
        values = []
        self.compact = compact
    }

    private mutating func expand() {
        var dense = [VariableValue?](repeating: nil, count: StandardVariable.allCases.count)
        for entry in compact { dense[entry.ordinal] = entry.value }
        values = dense
        compact = []
    }

    /// Equal when the same variables have the same values, however they are stored.
    public static func == (lhs: VariableBindings, rhs: VariableBindings) -> Bool {
        guard lhs.payload == rhs.payload else { return false }
        if !lhs.values.isEmpty && !rhs.values.isEmpty { return lhs.values == rhs.values }
        let left = lhs.boundVariables
        let right = rhs.boundVariables
        return left.count == right.count && zip(left, right).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}

/// Why a callback could not be rendered into a request. The attempt fails with this message and is
/// recorded like any failed try (SIGFOX.md section 4).
public struct RenderError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// SIGFOX.md section 4: a JSON body that is not valid JSON after rendering is not sent.
        case invalidJSONBody
        /// A variable put a line break into a header value.
        case lineBreakInHeader(String)
        /// A batch with no messages.
        case emptyBatch
    }

    public var reason: Reason
    /// The text that was rendered, so the user can see what went wrong.
    public var rendered: String

    public var description: String {
        switch reason {
        case .invalidJSONBody: return "JSON body could not be evaluated"
        case .lineBreakInHeader(let name): return "header '\(name)' would contain a line break after rendering"
        case .emptyBatch: return "a batch needs at least one message"
        }
    }
}
