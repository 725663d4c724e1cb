import NIOCore
import NIOPosix
import Synchronization

/// A server socket bound on an event-loop thread of its own: what the embedded receiver and the SMTP sink
/// share (binding, the port it got, stopping once).
final class Listener: Sendable {
    let host: String
    /// The port bound (the ephemeral one when 0 was asked for).
    let port: Int
    let channel: any Channel
    let group: MultiThreadedEventLoopGroup
    private let stopped = Mutex(false)

    private init(host: String, port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.host = host
        self.port = port
        self.channel = channel
        self.group = group
    }

    /// Binds `host:port` with `backlog` and the children `initialize` sets up; on failure the thread ends and
    /// the error goes on as it came (the commands read its errno).
    static func bind(
        host: String,
        port: Int,
        backlog: Int32,
        configure: (ServerBootstrap) -> ServerBootstrap
    ) -> EventLoopFuture<Listener> {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = configure(
            ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: backlog)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        )
        return bootstrap.bind(host: host, port: port)
            .map { channel in
                Listener(host: host, port: channel.localAddress?.port ?? port, channel: channel, group: group)
            }
            .flatMapError { error in
                group.shutdownGracefully { _ in }
                return group.next().makeFailedFuture(error)
            }
    }

    /// True the first time only: the stop happens once.
    func beginStop() -> Bool {
        stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
    }
}
