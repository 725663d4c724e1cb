import SigfoxModel
import SigfoxReceiverModel

/// One SMTP conversation as a state machine over lines (RFC 5321 subset), with no socket.
///
/// Commands: EHLO, HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, VRFY, HELP, QUIT. A command out of
/// order gets `503`, an unknown one `500`, bad arguments `501`.
struct SMTPSession {
    /// What the connection must do after a line.
    struct Output: Equatable {
        var replies: [String] = []
        var mail: ReceivedMail?
        var close = false
    }

    static let greeting = "220 sigfox-sim ESMTP mail sink ready"

    private enum Phase {
        case awaitingHello, ready, transaction, data
    }

    private let rules: SMTPSinkRules
    private var phase = Phase.awaitingHello
    private var clientName = ""
    private var from = ""
    private var recipients: [String] = []
    private var dataLines: [String] = []
    private var dataBytes = 0

    init(rules: SMTPSinkRules) {
        self.rules = rules
    }

    /// Handles one line (without its CRLF) and says what to answer.
    mutating func receive(line: String) -> Output {
        if phase == .data { return receiveData(line) }
        let (verb, argument) = Self.command(line)
        switch verb {
        case "EHLO", "HELO":
            guard !argument.isEmpty else { return reply("501 5.5.4 \(verb) needs a domain or address") }
            clientName = argument
            resetTransaction()
            phase = .ready
            if verb == "HELO" { return reply("250 sigfox-sim") }
            return Output(replies: [
                "250-sigfox-sim greets \(argument)", "250-8BITMIME", "250 SIZE \(rules.maximumMessageBytes)",
            ])
        case "MAIL":
            switch phase {
            case .awaitingHello: return reply("503 5.5.1 send EHLO or HELO first")
            case .transaction: return reply("503 5.5.1 nested MAIL command; send RSET first")
            default: break
            }
            guard let address = Self.path(argument, keyword: "FROM:") else {
                return reply("501 5.5.4 syntax: MAIL FROM:<address>")
            }
            from = address
            phase = .transaction
            return reply("250 2.1.0 OK")
        case "RCPT":
            guard phase == .transaction else { return reply("503 5.5.1 need MAIL FROM before RCPT TO") }
            guard let address = Self.path(argument, keyword: "TO:"), !address.isEmpty else {
                return reply("501 5.5.4 syntax: RCPT TO:<address>")
            }
            if rules.rejects(address) { return reply("550 5.1.1 <\(address)>: recipient rejected") }
            guard recipients.count < 100 else { return reply("452 4.5.3 too many recipients") }
            recipients.append(address)
            return reply("250 2.1.5 OK")
        case "DATA":
            guard argument.isEmpty else { return reply("501 5.5.4 DATA takes no argument") }
            guard phase == .transaction else { return reply("503 5.5.1 need MAIL FROM before DATA") }
            guard !recipients.isEmpty else { return reply("503 5.5.1 need RCPT TO before DATA") }
            phase = .data
            return reply("354 end data with <CR><LF>.<CR><LF>")
        case "RSET":
            resetTransaction()
            if phase != .awaitingHello { phase = .ready }
            return reply("250 2.0.0 OK")
        case "NOOP":
            return reply("250 2.0.0 OK")
        case "VRFY":
            return reply("252 2.5.0 cannot verify the user, but will accept the message")
        case "HELP":
            return reply("214 2.0.0 EHLO HELO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT")
        case "QUIT":
            return Output(replies: ["221 2.0.0 bye"], close: true)
        default:
            return reply("500 5.5.2 command not recognized")
        }
    }

    /// A data line: the final dot ends the message; a leading dot is removed (RFC 5321 4.5.2).
    private mutating func receiveData(_ line: String) -> Output {
        if line == "." {
            defer {
                resetTransaction()
                phase = .ready
            }
            guard dataBytes <= rules.maximumMessageBytes else {
                return reply("552 5.3.4 message exceeds \(rules.maximumMessageBytes) bytes")
            }
            let data = dataLines.map { $0 + "\r\n" }.joined()
            let mail = ReceivedMail(
                from: from,
                recipients: recipients,
                data: data,
                receivedAt: WallClock.now(),
                clientName: clientName
            )
            return Output(replies: ["250 2.0.0 OK: message accepted"], mail: mail)
        }
        let text = line.hasPrefix(".") ? String(line.dropFirst()) : line
        dataBytes += text.utf8.count + 2
        if dataBytes <= rules.maximumMessageBytes { dataLines.append(text) }
        return Output()
    }

    private mutating func resetTransaction() {
        from = ""
        recipients = []
        dataLines = []
        dataBytes = 0
    }

    private func reply(_ text: String) -> Output { Output(replies: [text]) }

    /// `MAIL FROM:<a@b> SIZE=10` as (`MAIL`, `FROM:<a@b> SIZE=10`); the verb in upper case.
    private static func command(_ line: String) -> (String, String) {
        let trimmed = line.trimmedASCIIWhitespace
        guard let space = trimmed.firstIndex(of: " ") else { return (trimmed.uppercased(), "") }
        return (trimmed[..<space].uppercased(), trimmed[trimmed.index(after: space)...].trimmedASCIIWhitespace)
    }

    /// The address in `FROM:<a@b> PARAMS` (angle brackets optional, parameters ignored).
    private static func path(_ argument: String, keyword: String) -> String? {
        guard argument.uppercased().hasPrefix(keyword) else { return nil }
        let rest = argument.dropFirst(keyword.count).trimmedASCIIWhitespace
        if rest.hasPrefix("<") {
            guard let close = rest.firstIndex(of: ">") else { return nil }
            return String(rest[rest.index(after: rest.startIndex)..<close])
        }
        guard let address = rest.split(separator: " ").first, !address.isEmpty else { return nil }
        return String(address)
    }
}
