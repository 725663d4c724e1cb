import SigfoxModel

/// One try of one delivery, as the journal keeps it.
public struct AttemptRecord: Sendable, Equatable {
    /// What the try led to.
    public enum Outcome: Sendable, Equatable {
        /// 2xx within the deadline (or the e-mail was accepted).
        case delivered
        /// Failed; the next try is due at the given time.
        case retrying(SimulationTime)
        /// Failed, and it was the last try: the callback is dead for this message (SIGFOX.md section 4).
        case failed
        /// Stopped at shutdown before it completed.
        case cancelled

        public var name: String {
            switch self {
            case .delivered: return "delivered"
            case .retrying: return "retry"
            case .failed: return "failed"
            case .cancelled: return "cancelled"
            }
        }
    }

    public var delivery: UInt64
    public var callback: CallbackReference
    /// 1-based.
    public var attempt: Int
    /// When the try was due on the simulation clock (reproducible).
    public var scheduledAt: SimulationTime
    /// When the try was handed to the transport on the simulation clock; nil when nothing was sent.
    /// `sentAt - scheduledAt` is how late the engine was (load tests count it into latency).
    public var sentAt: SimulationTime?
    /// The request, or nil when it could not be rendered.
    public var request: RenderedCallback?
    /// HTTP status, or 600 for failures that are not HTTP statuses (SIGFOX.md section 4).
    public var status: Int
    /// The answer's reason phrase as received (`OK`, `No Content`, `Service Unavailable`), or what went
    /// wrong (`Connection refused`, `JSON body could not be evaluated`, ...).
    public var message: String
    /// The start of the answer's body.
    public var responseExcerpt: String
    /// Measured wall-clock latency; nil when nothing was sent.
    public var latencyMilliseconds: Double?
    public var outcome: Outcome
    public var messages: [CarriedMessage]
    /// The answer's header lines, when the transport kept them (`serve`); nil otherwise.
    public var responseHeaders: String? = nil
    /// The request's header block as libcurl sent it (request line, every header), when the transport
    /// kept it (`serve`); nil otherwise.
    public var requestHeaders: String? = nil

    /// The pseudo-status of failures that are not HTTP statuses.
    public static let transportFailureStatus = 600

    public var succeeded: Bool { outcome == .delivered }

    /// `message` with the durations libcurl measured ("after 3 ms", "after 10001 milliseconds") written
    /// with `placeholder` instead of the number: the same failure reads the same on every try and run.
    public static func withoutTimings(_ message: String, placeholder: String) -> String {
        guard message.contains("after ") else { return message }
        return message.replacing(/after \d+ (ms|milliseconds)/) { match in "after \(placeholder) \(match.1)" }
    }
}
