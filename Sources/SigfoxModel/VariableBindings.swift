/// The values of the variables for one message (or one service event), ready to render.
///
/// A variable that is known but was never set renders as `null` (SIGFOX.md section 3). The payload
/// is kept as bytes: each callback decodes its own `{customData#…}` fields with its own payloadConfig.
public struct VariableBindings: Sendable, Equatable {
    private var values: [VariableValue?]
    /// The uplink payload, for `{customData#NAME}`.
    public var payload: [UInt8]?

    public init() {
        values = Array(repeating: nil, count: StandardVariable.allCases.count)
    }

    public subscript(variable: StandardVariable) -> VariableValue? {
        get { values[variable.ordinal] }
        set { values[variable.ordinal] = newValue }
    }

    /// The variables that have a value, in catalogue order.
    public var boundVariables: [(StandardVariable, VariableValue)] {
        StandardVariable.allCases.compactMap { variable in values[variable.ordinal].map { (variable, $0) } }
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
