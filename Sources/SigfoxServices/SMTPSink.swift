import NIOCore
import NIOPosix
import SigfoxReceiverModel
import Synchronization

/// A minimal SMTP server that accepts and records mail: the far end of the EMAIL channel in tests.
///
/// It speaks the RFC 5321 subset of `SMTPSession`, never relays, and keeps each message as a
/// `ReceivedMail` (SIGFOX.md section 4, EMAIL channel). Call `shutdown()` when done.
public final class SMTPSink: Sendable {
    public let host: String
    public let port: Int
    private let shared: SMTPSinkShared
    private let serverChannel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let stopped = Mutex(false)

    private init(
        host: String,
        port: Int,
        shared: SMTPSinkShared,
        channel: any Channel,
        group: MultiThreadedEventLoopGroup
    ) {
        self.host = host
        self.port = port
        self.shared = shared
        self.serverChannel = channel
        self.group = group
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
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = RecordingLog<ReceivedMail>(limit: recordLimit)
        let shared = SMTPSinkShared(log: log, rules: rules, onMail: onMail)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SMTPSessionHandler(shared: shared))
                }
            }
        return bootstrap.bind(host: host, port: port)
            .map { channel in
                SMTPSink(
                    host: host,
                    port: channel.localAddress?.port ?? port,
                    shared: shared,
                    channel: channel,
                    group: group
                )
            }
            .flatMapError { error in
                group.shutdownGracefully { _ in }
                return group.next().makeFailedFuture(error)
            }
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
        guard beginStop() else { return }
        try? await serverChannel.close()
        shared.log.releaseAll()
        try await group.shutdownGracefully()
    }

    /// Stops as `shutdown` does, waiting on this thread (outside Swift's concurrency pool and the sink's own).
    public func shutdownWaiting() throws {
        guard beginStop() else { return }
        try? serverChannel.close().wait()
        shared.log.releaseAll()
        try group.syncShutdownGracefully()
    }

    /// True the first time only.
    private func beginStop() -> Bool {
        stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
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
