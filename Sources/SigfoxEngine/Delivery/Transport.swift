import SigfoxModel

/// One request for the transport: an HTTP request or an e-mail, rendered and ready to go.
public struct TransportRequest: Sendable {
    /// Unique per try; the transport hands it back with the result.
    public var id: UInt64
    public var payload: RenderedCallback
    /// A backstop only: the scheduler decides the deadline on its own clock (SIGFOX.md section 4).
    public var timeoutMilliseconds: Int
    /// HTTPS: the callback's `sendSni`; false: the TLS handshake carries no server name (SIGFOX.md section 4;
    /// the libcurl transport clears it through an SSL context callback, see `sfx_easy_set_sni`).
    public var sendSni: Bool
    /// When the try is sent on the simulation clock, its delivery and its number: an e-mail's `Date` and
    /// `Message-ID` come from them, so a run's e-mails are the same every time.
    public var sentAt: SimulationTime?
    public var delivery: UInt64
    public var attempt: Int

    public init(
        id: UInt64,
        payload: RenderedCallback,
        timeoutMilliseconds: Int,
        sendSni: Bool = true,
        sentAt: SimulationTime? = nil,
        delivery: UInt64 = 0,
        attempt: Int = 0
    ) {
        self.id = id
        self.payload = payload
        self.timeoutMilliseconds = timeoutMilliseconds
        self.sendSni = sendSni
        self.sentAt = sentAt
        self.delivery = delivery
        self.attempt = attempt
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
    /// The answer's header lines, when the transport was asked to keep them.
    public var responseHeaders: String?
    /// The request's header block as sent (request line and every header), when the transport kept it.
    public var requestHeaders: String?
    /// The answer's reason phrase as received (`No Content`), when the transport kept it and there was one.
    public var reasonPhrase: String?

    public init(id: UInt64, outcome: Outcome, latencyMilliseconds: Double) {
        self.id = id
        self.outcome = outcome
        self.latencyMilliseconds = latencyMilliseconds
    }
}

/// Sends requests on threads of its own, each answer handed to a completion: libcurl's `CurlTransport`, which
/// `replay` uses. The delivery loop drives a ``PolledTransport`` instead.
///
/// One of the three seams of the engine (DESIGN.md): everything behind it does I/O, nothing in front
/// of it does.
public protocol Transport: Sendable {
    /// Starts `request`. `completion` is called exactly once, on any thread.
    func start(_ request: TransportRequest, completion: @escaping @Sendable (TransportResult) -> Void)
    /// Stops the transport; requests still running complete with a failure.
    func shutdown()
}

/// A transport the delivery loop drives on its own thread: requests go in and results come out on that
/// thread, with no hand-over between threads and no wake-ups (``DeliveryLoop`` waits inside ``poll``).
/// `run`, `load` and `serve` all use it (`PolledCurlTransport`); tests use a fake.
public protocol PolledTransport: AnyObject, Sendable {
    /// Starts `request`. Its result comes out of a later ``poll(timeoutMilliseconds:)``. Only on the
    /// driving thread.
    func submit(_ request: TransportRequest)
    /// Moves the running requests on and returns those that ended, waiting at most
    /// `timeoutMilliseconds` for the first one (less when ``interrupt()`` is called). Only on the driving
    /// thread.
    func poll(timeoutMilliseconds: Int) -> [TransportResult]
    /// Ends a ``poll(timeoutMilliseconds:)`` early. Any thread.
    func interrupt()
    /// Stops every running request: each ends with a failure, returned here. Only on the driving thread.
    func shutdown() -> [TransportResult]
    /// Drops the running requests `ids` at once (the scheduler timed them out): their results never come.
    /// Only on the driving thread.
    func cancel(_ ids: [UInt64])
}

extension PolledTransport {
    public func cancel(_ ids: [UInt64]) {}
}
