import SigfoxModel

/// Why a scenario could not run.
public enum ScenarioRunError: Error, Sendable, CustomStringConvertible {
    case configuration(ConfigError)
    case receiver(String)
    case journal(String)

    public var description: String {
        switch self {
        case .configuration(let error): return error.description
        case .receiver(let message), .journal(let message): return message
        }
    }
}

extension ConfigNode {
    /// Whether any string in the node holds `{receiver}`.
    public var mentionsReceiver: Bool {
        switch value {
        case .string(let text): return text.contains(Self.receiverPlaceholder)
        case .array(let items): return items.contains { $0.mentionsReceiver }
        case .object(let entries): return entries.contains { $0.node.mentionsReceiver }
        default: return false
        }
    }
}
