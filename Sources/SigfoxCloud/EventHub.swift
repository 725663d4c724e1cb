import Foundation
import Synchronization

/// The live event stream of `serve` (`GET /sim/events`): every message, try, downlink and acknowledgement,
/// published after the store committed it, so what a subscriber sees can be read back from the API.
public final class EventHub: Sendable {
    /// One event: its type (the SSE `event:` field) and its JSON data.
    public struct Event: Sendable {
        public var id: UInt64
        public var type: String
        public var json: String

        /// The event in Server-Sent Events framing.
        public var framed: String { "id: \(id)\nevent: \(type)\ndata: \(json)\n\n" }
    }

    private struct State {
        var subscribers: [UInt64: AsyncStream<Event>.Continuation] = [:]
        var nextSubscriber: UInt64 = 1
        var nextEvent: UInt64 = 1
    }

    private let state = Mutex(State())
    /// Every type of event `serve` publishes (`GET /sim/events?types=` takes these).
    public static let types = [
        "message", "attempt", "downlink", "acknowledge", "event", "lifecycle", "network", "lost", "station",
        "configuration", "reset", "resend", "receiver",
    ]
    /// Events a slow subscriber may fall behind by before the oldest are dropped for it.
    public static let bufferLimit = 100_000

    public init() {}

    /// A stream of the events published from now on; it ends when the hub closes or the consumer stops.
    public func subscribe() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(Self.bufferLimit))
        let id = state.withLock { state in
            defer { state.nextSubscriber += 1 }
            state.subscribers[state.nextSubscriber] = continuation
            return state.nextSubscriber
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Hands events to every subscriber.
    public func publish(_ events: [(type: String, json: String)]) {
        guard !events.isEmpty else { return }
        state.withLock { state in
            for event in events {
                let framed = Event(id: state.nextEvent, type: event.type, json: event.json)
                state.nextEvent += 1
                for continuation in state.subscribers.values { continuation.yield(framed) }
            }
        }
    }

    /// Ends every stream (shutdown).
    public func close() {
        let all = state.withLock { state in
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }
}
