import SigfoxModel

/// One request for the transport: an HTTP request or an e-mail, rendered and ready to go.
public struct TransportRequest: Sendable {
    /// Unique per try; the transport hands it back with the result.
    public var id: UInt64
    public var payload: RenderedCallback
    /// A backstop only: the scheduler decides the deadline on its own clock (SIGFOX.md section 4).
    public var timeoutMilliseconds: Int
    /// HTTPS: the callback's `sendSni` (see the README for what libcurl allows).
    public var sendSni: Bool

    public init(id: UInt64, payload: RenderedCallback, timeoutMilliseconds: Int, sendSni: Bool = true) {
        self.id = id
        self.payload = payload
        self.timeoutMilliseconds = timeoutMilliseconds
        self.sendSni = sendSni
    }
}

/// What became of one transport request.
public struct TransportResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The server answered with an HTTP status (any status, redirects included).
        case http(status: Int, body: [UInt8], truncated: Bool)
        /// The mail server accepted the e-mail.
        case mailSent
        /// No HTTP status: connection refused, reset, DNS, TLS, timeout, mail refused. `code` is the
        /// transport's own (a libcurl `CURLcode`), `message` says what happened.
        case failure(code: Int, message: String)
    }

    public var id: UInt64
    public var outcome: Outcome
    /// Wall-clock time from hand-over to completion.
    public var latencyMilliseconds: Double

    public init(id: UInt64, outcome: Outcome, latencyMilliseconds: Double) {
        self.id = id
        self.outcome = outcome
        self.latencyMilliseconds = latencyMilliseconds
    }
}

/// Sends requests: libcurl in production (`CurlTransport`), a fake in unit tests.
///
/// One of the three seams of the engine (DESIGN.md): everything behind it does I/O, nothing in front
/// of it does.
public protocol Transport: Sendable {
    /// Starts `request`. `completion` is called exactly once, on any thread.
    func start(_ request: TransportRequest, completion: @escaping @Sendable (TransportResult) -> Void)
    /// Stops the transport; requests still running complete with a failure.
    func shutdown()
}
