/// The values of the variables for one message (or one service event), ready to render.
///
/// A variable that is known but was never set renders as `null` (SIGFOX.md section 3). The payload
/// is kept as bytes: each callback decodes its own `{customData#…}` fields with its own payloadConfig.
///
/// Only the bound variables are stored, sorted by ``StandardVariable/ordinal``: a message binds 10 to 30
/// of the catalogue's 41 variables, and a delivery keeps only those its callback uses (``keeping(_:payload:)``).
/// Making, copying and dropping bindings then costs in proportion to what is bound, not to the catalogue.
public struct VariableBindings: Sendable, Equatable {
    private var entries: [Entry] = []
    /// The uplink payload, for `{customData#NAME}`.
    public var payload: [UInt8]?

    /// The value first: with the one-byte ordinal after it, an entry is 24 bytes.
    private struct Entry: Sendable, Equatable {
        var value: VariableValue
        var ordinal: UInt8
    }

    public init() {}

    public subscript(variable: StandardVariable) -> VariableValue? {
        get {
            let ordinal = UInt8(variable.ordinal)
            var index = 0
            while index < entries.count {
                let found = entries[index].ordinal
                if found == ordinal { return entries[index].value }
                if found > ordinal { return nil }
                index += 1
            }
            return nil
        }
        set {
            let ordinal = UInt8(variable.ordinal)
            // From the end: variables are mostly set in catalogue order.
            var index = entries.count
            while index > 0 && entries[index - 1].ordinal > ordinal { index -= 1 }
            if index > 0 && entries[index - 1].ordinal == ordinal {
                if let newValue {
                    entries[index - 1].value = newValue
                } else {
                    entries.remove(at: index - 1)
                }
            } else if let newValue {
                // One allocation for a message's worth of variables rather than a growth step per few.
                if entries.count == entries.capacity { entries.reserveCapacity(max(16, entries.count * 2)) }
                entries.insert(Entry(value: newValue, ordinal: ordinal), at: index)
            }
        }
    }

    /// The variables that have a value, in catalogue order.
    public var boundVariables: [(StandardVariable, VariableValue)] {
        let all = StandardVariable.allCases
        return entries.map { (all[Int($0.ordinal)], $0.value) }
    }

    /// A copy with only `kept` (and the payload when `payload` is true), stored at its exact size: what a
    /// delivery keeps while it waits for its tries (Benchmarks/README.md).
    public func keeping(_ kept: [StandardVariable], payload keepPayload: Bool) -> VariableBindings {
        var copy = VariableBindings()
        copy.entries.reserveCapacity(kept.count)
        copy.payload = keepPayload ? payload : nil
        // `kept` in catalogue order (as the callback engine prepares it): one walk along both lists.
        var next = 0
        var sorted = true
        var previous = -1
        for variable in kept {
            let ordinal = variable.ordinal
            guard ordinal > previous else {
                sorted = false
                break
            }
            previous = ordinal
            while next < entries.count && Int(entries[next].ordinal) < ordinal { next += 1 }
            if next < entries.count && Int(entries[next].ordinal) == ordinal { copy.entries.append(entries[next]) }
        }
        if sorted { return copy }
        copy.entries.removeAll(keepingCapacity: true)
        for variable in kept {
            if let value = self[variable] { copy[variable] = value }
        }
        return copy
    }

    /// Bindings holding exactly `entries` (in any order; a variable given twice keeps its last value) and
    /// `payload`.
    public init(compactEntries entries: [(StandardVariable, VariableValue)], payload: [UInt8]?) {
        self.entries.reserveCapacity(entries.count)
        for (variable, value) in entries { self[variable] = value }
        self.payload = payload
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
        /// A variable put a line break into an e-mail's subject (it would add header lines to the mail).
        case lineBreakInSubject
        /// A batch with no messages.
        case emptyBatch
    }

    public var reason: Reason
    /// The text that was rendered, so the user can see what went wrong.
    public var rendered: String

    public var description: String {
        switch reason {
        case .invalidJSONBody: return "JSON body could not be evaluated"
        case .lineBreakInHeader(let name):
            return "header '\(name)' would contain a line break or a NUL after rendering"
        case .lineBreakInSubject: return "the e-mail subject would contain a line break or a NUL after rendering"
        case .emptyBatch: return "a batch needs at least one message"
        }
    }
}
