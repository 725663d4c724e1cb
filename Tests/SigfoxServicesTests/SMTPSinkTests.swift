import Testing

@testable import SigfoxReceiverModel
@testable import SigfoxServices

extension RawSocket {
    /// One SMTP reply: its code and its lines (multi-line replies joined), waiting at most 5 s a line.
    func readReply() throws -> (code: Int, lines: [String]) {
        var lines = [String]()
        while true {
            let line = try readLine()
            lines.append(line)
            if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-" {
                return (Int(line.prefix(3)) ?? 0, lines)
            }
        }
    }

    /// Sends a command and returns the reply code.
    func command(_ text: String) throws -> Int {
        try send(text + "\r\n")
        return try readReply().code
    }
}

/// Starts a sink, runs `body`, and always shuts the sink down.
func withSink(_ rules: SMTPSinkRules = .init(), _ body: (SMTPSink) async throws -> Void) async throws {
    let sink = try await SMTPSink.start(rules: rules)
    do {
        try await body(sink)
        try await sink.shutdown()
    } catch {
        try? await sink.shutdown()
        throw error
    }
}

@Suite("SMTP sink", .timeLimit(.minutes(1)))
struct SMTPSinkTests {
    @Test func acceptsAMailForTwoRecipientsWithDotUnstuffing() async throws {
        try await withSink { sink in
            let port = sink.port
            let codes = try await onThread { () -> [Int] in
                let socket = try RawSocket(port: port)
                var codes = [try socket.readReply().code]
                try socket.send("EHLO client.test\r\n")
                let ehlo = try socket.readReply()
                codes.append(ehlo.code)
                #expect(ehlo.lines.contains("250-8BITMIME"))
                #expect(ehlo.lines.last?.hasPrefix("250 SIZE ") == true)
                codes.append(try socket.command("MAIL FROM:<cloud@sigfox.test> SIZE=120"))
                codes.append(try socket.command("RCPT TO:<a@example.test>"))
                codes.append(try socket.command("rcpt to:<b@example.test>"))
                codes.append(try socket.command("DATA"))
                try socket.send(
                    "From: cloud@sigfox.test\r\nSubject: Device 2C30EA\r\n  uplink\r\n\r\nfirst\r\n..dotted\r\n.\r\n"
                )
                codes.append(try socket.readReply().code)
                codes.append(try socket.command("NOOP"))
                codes.append(try socket.command("QUIT"))
                return codes
            }
            #expect(codes == [220, 250, 250, 250, 250, 354, 250, 250, 221])
            let mails = await sink.waitForMails(count: 1, timeout: .seconds(5))
            let mail = try #require(mails.first)
            #expect(mail.from == "cloud@sigfox.test")
            #expect(mail.recipients == ["a@example.test", "b@example.test"])
            #expect(mail.subject == "Device 2C30EA uplink")
            #expect(mail.header("from") == "cloud@sigfox.test")
            #expect(mail.body == "first\r\n.dotted\r\n")
            #expect(mail.data.hasSuffix("\r\n\r\nfirst\r\n.dotted\r\n"))
            #expect(mail.clientName == "client.test")
            #expect(mail.sequence == 1)
        }
    }

    @Test func answersBadSequenceAndUnknownCommands() async throws {
        try await withSink { sink in
            let port = sink.port
            let codes = try await onThread { () -> [Int] in
                let socket = try RawSocket(port: port)
                _ = try socket.readReply()
                return [
                    try socket.command("MAIL FROM:<a@b>"),
                    try socket.command("HELO client"),
                    try socket.command("RCPT TO:<x@y>"),
                    try socket.command("DATA"),
                    try socket.command("MAIL FROM:<a@b>"),
                    try socket.command("MAIL FROM:<a@b>"),
                    try socket.command("DATA"),
                    try socket.command("RSET"),
                    try socket.command("RCPT TO:<x@y>"),
                    try socket.command("MAIL FROM:"),
                    try socket.command("FROB"),
                    try socket.command("QUIT"),
                ]
            }
            #expect(codes == [503, 250, 503, 503, 250, 503, 503, 250, 503, 501, 500, 221])
            #expect(sink.mails.isEmpty)
        }
    }

    @Test func rejectsAConfiguredRecipient() async throws {
        try await withSink(SMTPSinkRules(rejectedRecipients: ["Bounce@Example.test"])) { sink in
            let port = sink.port
            let codes = try await onThread { () -> [Int] in
                let socket = try RawSocket(port: port)
                _ = try socket.readReply()
                var codes = [try socket.command("EHLO c"), try socket.command("MAIL FROM:<>")]
                codes.append(try socket.command("RCPT TO:<bounce@example.test>"))
                codes.append(try socket.command("DATA"))
                codes.append(try socket.command("RCPT TO:<ok@example.test>"))
                codes.append(try socket.command("DATA"))
                try socket.send("Subject: hi\r\n\r\nbody\r\n.\r\n")
                codes.append(try socket.readReply().code)
                return codes
            }
            #expect(codes == [250, 250, 550, 503, 250, 354, 250])
            let mails = await sink.waitForMails(count: 1, timeout: .seconds(5))
            #expect(mails.map(\.recipients) == [["ok@example.test"]])
            #expect(mails.first?.from == "")
        }
    }

    @Test func splitsFoldedHeadersFromTheBody() {
        let mail = ReceivedMail(from: "a", recipients: ["b"], data: "Subject: one\r\n\ttwo\r\nX-A: 1\r\n\r\nline\r\n")
        #expect(mail.headers == [Header("Subject", "one two"), Header("X-A", "1")])
        #expect(mail.body == "line\r\n")
        let bare = ReceivedMail(from: "a", recipients: ["b"], data: "no headers here\r\n")
        #expect(bare.headers.isEmpty)
        #expect(bare.body == "no headers here\r\n")
    }
}
