import SigfoxEngine
import Synchronization

/// Several libcurl engines, each with its own thread and multi handle; requests go round-robin.
///
/// DESIGN.md: one engine thread does about 40–60k small requests a second; when it is the limit, the
/// connections are spread over more threads. Each shard keeps its own connection cache.
public final class ShardedTransport: Transport, Sendable {
    private let shards: [CurlTransport]
    private let next = Atomic<Int>(0)

    /// `count` engines with the same configuration.
    public init(count: Int, configuration: CurlConfiguration = CurlConfiguration()) {
        precondition(count >= 1, "at least one engine")
        shards = (0..<count).map { _ in CurlTransport(configuration: configuration) }
    }

    public func start(_ request: TransportRequest, completion: @escaping @Sendable (TransportResult) -> Void) {
        let turn = next.add(1, ordering: .relaxed).oldValue
        shards[turn % shards.count].start(request, completion: completion)
    }

    public func shutdown() {
        for shard in shards { shard.shutdown() }
    }
}
