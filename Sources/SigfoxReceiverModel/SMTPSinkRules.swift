/// The rules of the SMTP sink: which recipients to refuse, how big a message may be.
public struct SMTPSinkRules: Sendable, Equatable {
    /// Addresses answered `550` at `RCPT TO` (compared without regard to case), so tests can walk the
    /// e-mail failure path (`Could not send email to ...`, SIGFOX.md section 4).
    public var rejectedRecipients: Set<String>
    /// Messages larger than this are refused with `552` after the final dot; also announced as `SIZE`.
    public var maximumMessageBytes: Int

    public init(rejectedRecipients: Set<String> = [], maximumMessageBytes: Int = 10 << 20) {
        self.rejectedRecipients = Set(rejectedRecipients.map { $0.lowercased() })
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// Whether `address` is refused at `RCPT TO`.
    public func rejects(_ address: String) -> Bool { rejectedRecipients.contains(address.lowercased()) }
}
