import SigfoxEngine
import SigfoxModel

/// How a traffic item makes one value per message: a payload field to encode, or a status reading.
///
/// Written in a scenario as:
/// - a constant: `21.5`, `true`, `"ABC"`;
/// - a list, used in turn and then again from the start: `[20, 21, 22.5]`;
/// - steps: `{from: 20, step: 0.5}` gives 20, 20.5, 21, ...; with `to: 22` it starts again at `from` once it
///   would pass `to`;
/// - a seeded random value: `{min: 40, max: 60}` (whole numbers for `int`/`uint` fields, both ends included).
public struct ValueGenerator: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case constant(GeneratedValue)
        case list([GeneratedValue])
        case steps(from: Double, step: Double, to: Double?)
        case random(min: Double, max: Double)
    }

    public var kind: Kind
    /// Where it was written, for errors about the values it makes.
    public var location: SourceLocation
    public var path: String

    /// Reads a value generator from its node.
    public init(_ node: ConfigNode, path: String) throws(ConfigError) {
        self.location = node.location
        self.path = path
        switch node.value {
        case .array(let items):
            guard !items.isEmpty else {
                throw ConfigError(location: node.location, path: path, message: "a list of values must not be empty")
            }
            var values = [GeneratedValue]()
            for (index, item) in items.enumerated() {
                values.append(try Self.constant(item, path: "\(path)[\(index)]"))
            }
            kind = .list(values)
        case .object:
            var object = try ConfigObject(node, path: path)
            if object.has("min") || object.has("max") {
                let low = try Scenario.required(object.double("min"), object, "min", "the smallest value")
                let high = try Scenario.required(object.double("max"), object, "max", "the largest value")
                guard low <= high else { throw object.error("max", "must not be less than min (\(low))") }
                try object.rejectUnknownFields(allowed: ["min", "max"])
                kind = .random(min: low, max: high)
            } else {
                let from = try Scenario.required(object.double("from"), object, "from", "the first value")
                let step = try object.double("step") ?? 1
                let to = try object.double("to")
                if let to {
                    guard step != 0, (to - from) * step >= 0 else {
                        throw object.error("to", "steps of \(step) from \(from) never reach \(to)")
                    }
                }
                try object.rejectUnknownFields(allowed: ["from", "step", "to", "min", "max"])
                kind = .steps(from: from, step: step, to: to)
            }
        default:
            kind = .constant(try Self.constant(node, path: path))
        }
    }

    public init(constant value: GeneratedValue) {
        kind = .constant(value)
        location = SourceLocation(line: 1, column: 1)
        path = ""
    }

    private static func constant(_ node: ConfigNode, path: String) throws(ConfigError) -> GeneratedValue {
        switch node.value {
        case .bool(let flag): return .bool(flag)
        case .number(let text):
            guard let value = Double(text), value.isFinite else {
                throw ConfigError(location: node.location, path: path, message: "'\(text)' is not a finite number")
            }
            return .number(value)
        case .string(let text): return .text(text)
        default:
            throw ConfigError(
                location: node.location,
                path: path,
                message: "expected a value (number, true/false, text), a list, {from, step, to} or {min, max}, "
                    + "found \(node.kindName)"
            )
        }
    }

    /// The value for the message numbered `index` (0 for a traffic item's first message).
    /// `integral` rounds random values to whole numbers.
    public func value(index: Int, integral: Bool, random: inout SeededGenerator) -> GeneratedValue {
        switch kind {
        case .constant(let value):
            return value
        case .list(let values):
            return values[index % values.count]
        case .steps(let from, let step, let to):
            guard let to, step != 0 else { return .number(from + Double(index) * step) }
            let span = Int(((to - from) / step).rounded(.down)) + 1
            return .number(from + Double(index % max(span, 1)) * step)
        case .random(let low, let high):
            if integral {
                let lower = Int64(low.rounded(.up))
                let upper = Int64(high.rounded(.down))
                guard lower < upper else { return .number(Double(lower)) }
                return .number(Double(random.nextInt64(in: lower...upper)))
            }
            return .number(low + random.nextUnit() * (high - low))
        }
    }

    /// An error about a value this generator made.
    func error(_ message: String) -> ConfigError {
        ConfigError(location: location, path: path, message: message)
    }
}

/// One generated value.
public enum GeneratedValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case bool(Bool)
    case text(String)

    public var description: String {
        switch self {
        case .number(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let flag): return flag ? "true" : "false"
        case .text(let text): return "'\(text)'"
        }
    }
}
