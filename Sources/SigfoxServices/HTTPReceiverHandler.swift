import NIOCore
import NIOHTTP1
import SigfoxReceiverModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection of the embedded receiver: collects each request, records it, answers by rule.
///
/// Runs behind NIO's `HTTPServerPipelineHandler`, which holds pipelined requests back until the
/// current answer is complete, so answers always leave in request order.
final class HTTPReceiverHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let recorder: ReceiverRecorder
    private let connection: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var hanging = false
    private var delayed: Scheduled<Void>?
    /// A huge body being streamed: bytes still to send and whether to keep the connection after.
    private var streaming: (remaining: Int, chunk: ByteBuffer, keepAlive: Bool)?

    init(recorder: ReceiverRecorder, connection: Int) {
        self.recorder = recorder
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            let room = EmbeddedReceiver.maximumRecordedBodyBytes - body.count
            if room > 0, let bytes = buffer.readBytes(length: min(room, buffer.readableBytes)) {
                body += bytes
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = RecordedRequest(
                method: head.method.rawValue,
                uri: head.uri,
                version: "HTTP/\(head.version.major).\(head.version.minor)",
                headers: head.headers.map { Header($0.name, $0.value) },
                body: body,
                receivedAt: WallClock.now(),
                connection: connection
            )
            body = []
            let (recorded, response) = recorder.record(request)
            if response.delay > .zero {
                delayed = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(response.delay)) {
                    self.delayed = nil
                    self.answer(context: context, request: recorded, response: response, keepAlive: head.isKeepAlive)
                }
            } else {
                answer(context: context, request: recorded, response: response, keepAlive: head.isKeepAlive)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ReceiverStopEvent {
            if hanging { context.close(promise: nil) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { pump(context: context) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        delayed?.cancel()
        delayed = nil
        streaming = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func answer(
        context: ChannelHandlerContext,
        request: RecordedRequest,
        response: ReceiverResponse,
        keepAlive: Bool
    ) {
        guard context.channel.isActive else { return }
        switch response.kind {
        case .status(let status, let text, let contentType):
            send(
                context: context,
                status: status,
                body: text,
                contentType: text.isEmpty ? nil : contentType,
                extra: response.headers,
                keepAlive: keepAlive
            )
        case .reset:
            resetConnection(context: context)
        case .hang:
            hanging = true
        case .redirect(let location, let status):
            send(
                context: context,
                status: status,
                body: "",
                contentType: nil,
                extra: [Header("Location", location)] + response.headers,
                keepAlive: keepAlive
            )
        case .hugeBody(let bytes, let chunkSize):
            var headers = HTTPHeaders([("Content-Type", "application/octet-stream"), ("Content-Length", String(bytes))])
            finish(&headers, extra: response.headers, keepAlive: keepAlive)
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil
            )
            let chunk = context.channel.allocator.buffer(repeating: UInt8(ascii: "x"), count: min(chunkSize, bytes))
            streaming = (bytes, chunk, keepAlive)
            pump(context: context)
        case .bidir(let kind):
            let (status, text) = kind.answer(to: request)
            send(
                context: context,
                status: status,
                body: text,
                contentType: status == 204 ? nil : "application/json",
                extra: response.headers,
                keepAlive: keepAlive
            )
        }
    }

    private func send(
        context: ChannelHandlerContext,
        status: Int,
        body text: String,
        contentType: String?,
        extra: [Header],
        keepAlive: Bool
    ) {
        var headers = HTTPHeaders()
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        if status != 204 && status != 304 { headers.add(name: "Content-Length", value: String(text.utf8.count)) }
        finish(&headers, extra: extra, keepAlive: keepAlive)
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !text.isEmpty {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))),
                promise: nil
            )
        }
        end(context: context, keepAlive: keepAlive)
    }

    private func finish(_ headers: inout HTTPHeaders, extra: [Header], keepAlive: Bool) {
        // As any origin server with a clock (RFC 9110, section 6.6.1): the answer's own time, on the wall
        // clock, which `serve`'s dashboard shows beside the simulation clock under scaled time.
        if !extra.contains(where: { $0.name.lowercased() == "date" }) {
            headers.add(name: "Date", value: Self.httpDate(time(nil)))
        }
        for header in extra { headers.add(name: header.name, value: header.value) }
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
    }

    /// `Mon, 07 Dec 2026 16:03:17 GMT` (RFC 9110's IMF-fixdate) for epoch seconds `seconds`.
    static func httpDate(_ seconds: time_t) -> String {
        var moment = seconds
        var parts = tm()
        gmtime_r(&moment, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    private func end(context: ChannelHandlerContext, keepAlive: Bool) {
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Writes huge-body chunks while the channel is writable; resumes on `channelWritabilityChanged`.
    private func pump(context: ChannelHandlerContext) {
        while var state = streaming, context.channel.isActive {
            if state.remaining == 0 {
                streaming = nil
                end(context: context, keepAlive: state.keepAlive)
                return
            }
            guard context.channel.isWritable else { return }
            let count = min(state.remaining, state.chunk.readableBytes)
            let slice = state.chunk.getSlice(at: state.chunk.readerIndex, length: count)!
            state.remaining -= count
            streaming = state
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(slice))), promise: nil)
        }
    }

    /// Closes with SO_LINGER 0: the kernel sends RST and drops anything unsent, as a crashed server would.
    private func resetConnection(context: ChannelHandlerContext) {
        guard let options = context.channel as? SocketOptionProvider else {
            context.close(promise: nil)
            return
        }
        options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
