/// What the receiver answered to one replayed request, judged as the delivery engine judges a try.
public struct ReplayAnswer: Sendable, Equatable {
    /// HTTP status, or 600 for failures that are not HTTP statuses (SIGFOX.md section 4).
    public var status: Int
    /// `OK`, `HTTP 500`, `Connection refused (...)`, `Timeout: no answer within 10 s`.
    public var message: String
    /// The start of the answer's body (as much as the journal keeps: 512 bytes).
    public var response: String
    public var latencyMilliseconds: Double

    public init(status: Int, message: String, response: String, latencyMilliseconds: Double) {
        self.status = status
        self.message = message
        self.response = response
        self.latencyMilliseconds = latencyMilliseconds
    }

    /// 2xx within the deadline.
    public var delivered: Bool { (200..<300).contains(status) }
}
