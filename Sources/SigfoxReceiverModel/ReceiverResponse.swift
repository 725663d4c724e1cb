/// How the embedded receiver answers one request: what it sends, after how long.
///
/// The kinds cover every outcome the callback engine must record (SIGFOX.md section 4): a status,
/// a late answer (`delay` past the 10 s deadline), a connection reset, no answer at all, a redirect
/// (which the cloud does not follow and counts as a failure), a huge body, and the BIDIR answers of
/// section 5.
public struct ReceiverResponse: Sendable, Equatable {
    /// What is sent once the delay has passed.
    public enum Kind: Sendable, Equatable {
        /// This status, with `body` and, when the body is not empty, `contentType`.
        case status(Int, body: String, contentType: String)
        /// Close the connection abruptly (SO_LINGER 0, so the client sees a reset) without answering.
        case reset
        /// Never answer; the connection stays open until the client closes it or the receiver stops.
        case hang
        /// `status` (302 unless told) with a `Location` header.
        case redirect(location: String, status: Int)
        /// 200 with a body of `bytes` bytes of `x`, written in chunks of `chunkSize` as the client reads.
        case hugeBody(bytes: Int, chunkSize: Int)
        /// An answer to a BIDIR callback for the devices named in the request (SIGFOX.md section 5).
        case bidir(BidirAnswer)
    }

    public var kind: Kind
    /// How long to wait after the request is complete before answering (or resetting).
    public var delay: Duration
    /// Extra headers sent with the answer (ignored by `reset` and `hang`).
    public var headers: [Header]

    public init(_ kind: Kind, delay: Duration = .zero, headers: [Header] = []) {
        self.kind = kind
        self.delay = delay
        self.headers = headers
    }

    /// A plain answer with `status` and an optional body (`text/plain` unless told).
    public static func status(
        _ code: Int,
        body: String = "",
        contentType: String = "text/plain; charset=utf-8"
    ) -> ReceiverResponse {
        ReceiverResponse(.status(code, body: body, contentType: contentType))
    }

    /// The connection is reset without an answer.
    public static let reset = ReceiverResponse(.reset)

    /// No answer, ever: the client has to give up on its own deadline.
    public static let hang = ReceiverResponse(.hang)

    /// A redirect to `location`; Sigfox does not follow redirects (SIGFOX.md section 4).
    public static func redirect(to location: String, status: Int = 302) -> ReceiverResponse {
        ReceiverResponse(.redirect(location: location, status: status))
    }

    /// A 200 answer with a body of `bytes` bytes, streamed so the receiver never holds it whole.
    public static func hugeBody(bytes: Int, chunkSize: Int = 64 * 1024) -> ReceiverResponse {
        ReceiverResponse(.hugeBody(bytes: bytes, chunkSize: max(1, chunkSize)))
    }

    /// A BIDIR answer for the devices named in the request.
    public static func bidir(_ answer: BidirAnswer) -> ReceiverResponse {
        ReceiverResponse(.bidir(answer))
    }

    /// The same answer, sent `delay` later.
    public func delayed(by delay: Duration) -> ReceiverResponse {
        var copy = self
        copy.delay = delay
        return copy
    }

    /// The same answer with `headers` added.
    public func adding(headers extra: [Header]) -> ReceiverResponse {
        var copy = self
        copy.headers += extra
        return copy
    }
}

/// The answers a receiver can give to a BIDIR callback (SIGFOX.md section 5).
public enum BidirAnswer: Sendable, Equatable {
    /// 200 `{"<device>":{"downlinkData":"<hex>"}}` with this text as the data, for every device.
    case fixed(String)
    /// 200 with the request's own `data` as downlink: right-padded with `0` or cut to 16 hex digits.
    case echo
    /// 204 No Content: no downlink.
    case noContent
    /// 200 `{"<device>":{"noData":true}}`: no downlink.
    case noData
    /// 200 with JSON cut short after the first device's data (infoCode INVALID_PAYLOAD).
    case malformed
    /// 200 `{"<device>":{"downlinkData":"0102030405"}}`: 5 bytes instead of 8 (INVALID_PAYLOAD).
    case badLength
}
