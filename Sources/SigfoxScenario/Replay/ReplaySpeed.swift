/// How fast `sigfox-sim replay` goes through a journal.
public enum ReplaySpeed: Sendable, Equatable, CustomStringConvertible {
    /// The recorded gaps between tries, divided by the factor (1: as recorded, 60: a minute in a second).
    /// Tries fall due on their own; a slow answer does not hold back the next one, as on the real cloud.
    case factor(Double)
    /// No waiting: one request after the other, each sent when the previous one has been answered, so
    /// the receiver sees them in the journal's order.
    case asFastAsPossible

    /// `max` (or `0`) for as fast as possible, or a factor greater than 0.
    public init?(_ text: String) {
        if text == "max" || text == "0" {
            self = .asFastAsPossible
            return
        }
        guard let factor = Double(text), factor > 0, factor.isFinite else { return nil }
        self = .factor(factor)
    }

    public var description: String {
        switch self {
        case .asFastAsPossible: return "max"
        case .factor(let factor):
            return factor == factor.rounded() && abs(factor) < 1e15 ? String(Int64(factor)) : String(factor)
        }
    }
}
