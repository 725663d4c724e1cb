import NIOCore
import NIOPosix
import SigfoxReceiverModel
import Synchronization

/// A minimal SMTP server that accepts and records mail: the far end of the EMAIL channel in tests.
///
/// It speaks the RFC 5321 subset of `SMTPSession`, never relays, and keeps each message as a
/// `ReceivedMail` (SIGFOX.md section 4, EMAIL channel). Call `shutdown()` when done.
public final class SMTPSink: Sendable {
    private let listener: Listener
    private let shared: SMTPSinkShared

    public var host: String { listener.host }
    public var port: Int { listener.port }

    private init(listener: Listener, shared: SMTPSinkShared) {
        self.listener = listener
        self.shared = shared
    }

    /// Starts listening on `host:port` (port 0: an ephemeral port, see `port`).
    ///
    /// `onMail` is called on the sink's thread for every accepted message, before the client is told.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        rules: SMTPSinkRules = .init(),
        recordLimit: Int = EmbeddedReceiver.defaultRecordLimit,
        onMail: (@Sendable (ReceivedMail) -> Void)? = nil
    ) async throws -> SMTPSink {
        try await bind(host: host, port: port, rules: rules, recordLimit: recordLimit, onMail: onMail).get()
    }

    /// Starts listening, like `start`, from a thread outside Swift's concurrency pool and of the sink's own,
    /// waiting on SwiftNIO's future.
    public static func startWaiting(
        host: String = "127.0.0.1",
        port: Int = 0,
        rules: SMTPSinkRules = .init()
    )
        throws -> SMTPSink
    {
        try bind(host: host, port: port, rules: rules, recordLimit: EmbeddedReceiver.defaultRecordLimit, onMail: nil)
            .wait()
    }

    /// The sink once it listens: the one start of both `start` and `startWaiting`.
    private static func bind(
        host: String,
        port: Int,
        rules: SMTPSinkRules,
        recordLimit: Int,
        onMail: (@Sendable (ReceivedMail) -> Void)?
    ) -> EventLoopFuture<SMTPSink> {
        let log = RecordingLog<ReceivedMail>(limit: recordLimit)
        let shared = SMTPSinkShared(log: log, rules: rules, onMail: onMail)
        return Listener.bind(host: host, port: port, backlog: 64) { bootstrap in
            bootstrap.childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SMTPSessionHandler(shared: shared))
                }
            }
        }
        .map { SMTPSink(listener: $0, shared: shared) }
    }

    /// Every mail accepted since the start or the last `reset()`, in arrival order.
    public var mails: [ReceivedMail] { shared.log.items }

    /// The mails once `count` have arrived, or those there are when `timeout` has passed.
    public func waitForMails(count: Int, timeout: Duration) async -> [ReceivedMail] {
        await shared.log.wait(count: count, timeout: timeout)
    }

    /// Replaces the rules; sessions already open keep the rules they started with.
    public func setRules(_ rules: SMTPSinkRules) {
        shared.rules.withLock { $0 = rules }
    }

    /// Forgets the recorded mails (numbering restarts at 1).
    public func reset() {
        shared.log.reset()
    }

    /// Stops listening and closes every session. Calling it again does nothing.
    public func shutdown() async throws {
        guard listener.beginStop() else { return }
        try? await listener.channel.close()
        shared.log.releaseAll()
        try await listener.group.shutdownGracefully()
    }

    /// Stops as `shutdown` does, waiting on this thread (outside Swift's concurrency pool and the sink's own).
    public func shutdownWaiting() throws {
        guard listener.beginStop() else { return }
        try? listener.channel.close().wait()
        shared.log.releaseAll()
        try listener.group.syncShutdownGracefully()
    }
}

/// What every session of one sink shares: the log, the current rules, the callback.
final class SMTPSinkShared: Sendable {
    let log: RecordingLog<ReceivedMail>
    let rules: Mutex<SMTPSinkRules>
    let onMail: (@Sendable (ReceivedMail) -> Void)?

    init(log: RecordingLog<ReceivedMail>, rules: SMTPSinkRules, onMail: (@Sendable (ReceivedMail) -> Void)?) {
        self.log = log
        self.rules = Mutex(rules)
        self.onMail = onMail
    }
}
