import NIOCore

/// One SMTP connection: splits the bytes into lines, runs `SMTPSession`, records the mail.
final class SMTPSessionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A line longer than this (1000 in RFC 5321, generously more here) ends the session.
    static let maximumLineBytes = 1 << 20

    private let shared: SMTPSinkShared
    private var session: SMTPSession
    private var pending: [UInt8] = []
    private var closing = false

    init(shared: SMTPSinkShared) {
        self.shared = shared
        self.session = SMTPSession(rules: shared.rules.withLock { $0 })
    }

    func channelActive(context: ChannelHandlerContext) {
        write(context: context, [SMTPSession.greeting])
        context.flush()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        var start = 0
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var end = newline
            if end > start, pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = String(decoding: pending[start..<end], as: UTF8.self)
            start = newline + 1
            let output = session.receive(line: line)
            if let mail = output.mail {
                let recorded = shared.log.append { sequence in
                    var numbered = mail
                    numbered.sequence = sequence
                    return numbered
                }
                shared.onMail?(recorded)
            }
            write(context: context, output.replies)
            if output.close {
                closing = true
                break
            }
        }
        pending.removeFirst(start)
        if !closing, pending.count > Self.maximumLineBytes {
            write(context: context, ["500 5.5.2 line too long"])
            closing = true
        }
        if closing {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
                .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.flush()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func write(context: ChannelHandlerContext, _ replies: [String]) {
        guard !replies.isEmpty else { return }
        let text = replies.map { $0 + "\r\n" }.joined()
        context.write(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
    }
}
