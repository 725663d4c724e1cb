import NIOCore
import NIOHTTP1
import NIOPosix
import SigfoxReceiverModel
import Synchronization

/// An HTTP/1.1 server that records every request and answers by rule: the receiver end of tests.
///
/// It stands in for a user's callback endpoint so the engine's deliveries, retries and BIDIR answers
/// (SIGFOX.md sections 4 and 5) can be checked on loopback with real sockets. Keep-alive and
/// pipelining are supported. Each receiver runs on its own event-loop thread; call `shutdown()`
/// when done.
public final class EmbeddedReceiver: Sendable {
    /// Requests kept at most when `start` is not told otherwise (older ones are dropped).
    public static let defaultRecordLimit = 100_000
    /// Bytes of a request body kept at most; the rest is read and dropped.
    public static let maximumRecordedBodyBytes = 4 << 20

    private let listener: Listener
    private let recorder: ReceiverRecorder

    public var host: String { listener.host }
    public var port: Int { listener.port }

    private init(listener: Listener, recorder: ReceiverRecorder) {
        self.listener = listener
        self.recorder = recorder
    }

    /// Starts listening on `host:port` (port 0: an ephemeral port, see `port`).
    ///
    /// `onRequest` is called on the receiver's thread for every request, as soon as it is complete
    /// and before it is answered. `recordLimit` bounds how many requests `requests` keeps.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        rules: ReceiverRules = .init(),
        recordLimit: Int = defaultRecordLimit,
        onRequest: (@Sendable (RecordedRequest) -> Void)? = nil
    ) async throws -> EmbeddedReceiver {
        try await start(host: host, port: port, rules: rules, recordLimit: recordLimit) { request, _ in
            onRequest?(request)
        }
    }

    /// Starts listening, like `start(host:port:rules:recordLimit:onRequest:)`, and gives `onAnswer`
    /// each request with the answer chosen for it (before it is sent: a hanging one is shown too).
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        rules: ReceiverRules = .init(),
        recordLimit: Int = defaultRecordLimit,
        onAnswer: @escaping @Sendable (RecordedRequest, ReceiverResponse) -> Void
    ) async throws -> EmbeddedReceiver {
        try await bind(host: host, port: port, rules: rules, recordLimit: recordLimit, onAnswer: onAnswer).get()
    }

    /// Starts listening, like `start`, from a thread outside Swift's concurrency pool and of the receiver's
    /// own (a command's simulation thread), waiting on SwiftNIO's future: no task is needed.
    public static func startWaiting(
        host: String = "127.0.0.1",
        port: Int = 0,
        rules: ReceiverRules = .init(),
        recordLimit: Int = defaultRecordLimit
    ) throws -> EmbeddedReceiver {
        try bind(host: host, port: port, rules: rules, recordLimit: recordLimit) { _, _ in }.wait()
    }

    /// The receiver once it listens: the one start of both `start` and `startWaiting`.
    private static func bind(
        host: String,
        port: Int,
        rules: ReceiverRules,
        recordLimit: Int,
        onAnswer: @escaping @Sendable (RecordedRequest, ReceiverResponse) -> Void
    ) -> EventLoopFuture<EmbeddedReceiver> {
        let recorder = ReceiverRecorder(rules: rules, recordLimit: recordLimit, onRequest: onAnswer)
        return Listener.bind(host: host, port: port, backlog: 256) { bootstrap in
            bootstrap
                // TCP_NODELAY is an IPPROTO_TCP option: `.socketOption(.tcp_nodelay)` would set SOL_SOCKET's
                // option 1, SO_DEBUG, which only root may set; every connection then failed for other users.
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let connection = recorder.connectionOpened(channel)
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPReceiverHandler(recorder: recorder, connection: connection)
                        )
                    }
                }
        }
        .map { EmbeddedReceiver(listener: $0, recorder: recorder) }
    }

    /// `http://HOST:PORT`, to which paths are appended.
    public var baseURL: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Every request received since the start or the last `reset()`, in arrival order.
    public var requests: [RecordedRequest] { recorder.log.items }

    /// The requests once `count` have arrived, or those there are when `timeout` has passed.
    public func waitForRequests(count: Int, timeout: Duration) async -> [RecordedRequest] {
        await recorder.log.wait(count: count, timeout: timeout)
    }

    /// Replaces the rules; every sequence starts again from its first answer.
    public func setRules(_ rules: ReceiverRules) {
        recorder.setRules(rules)
    }

    /// Answers every request with `response` until it is called again with nil, whatever the rules say; the
    /// rules' sequences stay where they were (a scenario's `receiver` traffic item: an outage from +3h to
    /// +4h).
    public func setOverride(_ response: ReceiverResponse?) {
        recorder.setOverride(response)
    }

    /// How many client connections are open now (a hanging answer must not leak its connection).
    public var openConnectionCount: Int { recorder.openConnections.count }

    /// The rules in force.
    public var rules: ReceiverRules { recorder.rules }

    /// Forgets the recorded requests and the positions in the sequences (numbering restarts at 1).
    public func reset() {
        recorder.reset()
    }

    /// Stops listening, lets answers in progress finish (up to `gracePeriod`), then closes everything.
    ///
    /// Hanging connections are closed at once. Calling it again does nothing.
    public func shutdown(gracePeriod: Duration = .seconds(3)) async throws {
        guard let closed = close(gracePeriod: gracePeriod) else { return }
        try? await closed.get()
        try await listener.group.shutdownGracefully()
    }

    /// Stops as `shutdown` does, waiting on this thread (outside Swift's concurrency pool and the receiver's
    /// own thread).
    public func shutdownWaiting(gracePeriod: Duration = .seconds(3)) throws {
        guard let closed = close(gracePeriod: gracePeriod) else { return }
        try? closed.wait()
        try listener.group.syncShutdownGracefully()
    }

    /// Stops listening and closes every connection once it ended or `gracePeriod` passed; nil when it was
    /// stopped before. The future completes when every connection is closed.
    private func close(gracePeriod: Duration) -> EventLoopFuture<Void>? {
        guard listener.beginStop() else { return nil }
        let loop = listener.group.next()
        let connections = recorder.openConnections
        let recorder = self.recorder
        return listener.channel.close().flatMapErrorThrowing { _ in }
            .flatMap { () -> EventLoopFuture<Void> in
                for channel in connections {
                    channel.pipeline.fireUserInboundEventTriggered(ReceiverStopEvent())
                    channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
                }
                let ended = loop.makePromise(of: Void.self)
                EventLoopFuture.andAllComplete(connections.map { $0.closeFuture }, on: loop).cascade(to: ended)
                let nanoseconds =
                    gracePeriod.components.seconds * 1_000_000_000
                    + gracePeriod.components.attoseconds / 1_000_000_000
                loop.scheduleTask(in: .nanoseconds(nanoseconds)) { ended.succeed() }
                return ended.futureResult
            }
            .flatMap { () -> EventLoopFuture<Void> in
                let all = connections.map { $0.close() }
                return EventLoopFuture.andAllComplete(all, on: loop)
            }
            .always { _ in recorder.log.releaseAll() }
    }
}

/// Sent to every connection's handler when the receiver stops, so a hanging answer ends at once.
struct ReceiverStopEvent: Sendable {}

/// The receiver's shared state: recorded requests, rules and their positions, open connections.
final class ReceiverRecorder: Sendable {
    private struct Answering {
        var rules: ReceiverRules
        var positions: [String: Int] = [:]
        /// The answer to every request while set, whatever the rules say (positions do not move).
        var override: ReceiverResponse? = nil
    }

    private struct Connections {
        var opened = 0
        var open: [ObjectIdentifier: any Channel] = [:]
    }

    let log: RecordingLog<RecordedRequest>
    private let answering: Mutex<Answering>
    private let connections = Mutex(Connections())
    private let onRequest: (@Sendable (RecordedRequest, ReceiverResponse) -> Void)?

    init(
        rules: ReceiverRules,
        recordLimit: Int,
        onRequest: (@Sendable (RecordedRequest, ReceiverResponse) -> Void)?
    ) {
        self.log = RecordingLog(limit: recordLimit)
        self.answering = Mutex(Answering(rules: rules))
        self.onRequest = onRequest
    }

    var rules: ReceiverRules { answering.withLock { $0.rules } }

    func setRules(_ rules: ReceiverRules) {
        answering.withLock { $0 = Answering(rules: rules, override: $0.override) }
    }

    func setOverride(_ response: ReceiverResponse?) {
        answering.withLock { $0.override = response }
    }

    func reset() {
        answering.withLock { $0.positions = [:] }
        log.reset()
    }

    /// Numbers a new connection and keeps it until it closes.
    func connectionOpened(_ channel: any Channel) -> Int {
        let key = ObjectIdentifier(channel)
        let number = connections.withLock { state in
            state.opened += 1
            state.open[key] = channel
            return state.opened
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.connections.withLock { _ = $0.open.removeValue(forKey: key) }
        }
        return number
    }

    var openConnections: [any Channel] { connections.withLock { Array($0.open.values) } }

    /// Records a complete request and chooses its answer.
    func record(_ request: RecordedRequest) -> (RecordedRequest, ReceiverResponse) {
        let response = answering.withLock {
            $0.override ?? $0.rules.response(for: request.path, positions: &$0.positions)
        }
        let recorded = log.append { sequence in
            var numbered = request
            numbered.sequence = sequence
            return numbered
        }
        onRequest?(recorded, response)
        return (recorded, response)
    }
}
