import Foundation
import Synchronization

/// The live event stream of `serve` (`GET /sim/events`): every message, try, downlink and acknowledgement,
/// published after the store committed it, so what a subscriber sees can be read back from the API.
///
/// Events go out in batches, one per engine turn, each event framed once for every subscriber: a reader
/// costs one write per turn, not one per event, so many readers do not take the HTTP threads from the
/// requests (`--max-event-streams` bounds how many there are).
public final class EventHub: Sendable {
    /// One event: its type (the SSE `event:` field), its JSON data, and its Server-Sent Events framing.
    public struct Event: Sendable {
        public var id: UInt64
        public var type: String
        public var json: String
        /// `id: …\nevent: …\ndata: …\n\n`, made once when it is published.
        public let framed: String

        init(id: UInt64, type: String, json: String) {
            self.id = id
            self.type = type
            self.json = json
            framed = "id: \(id)\nevent: \(type)\ndata: \(json)\n\n"
        }
    }

    private struct State {
        var subscribers: [UInt64: AsyncStream<[Event]>.Continuation] = [:]
        var nextSubscriber: UInt64 = 1
        var nextEvent: UInt64 = 1
    }

    private let state = Mutex(State())
    /// How many subscribers there are (``subscriberCount``), kept beside `state` under its lock so the engine
    /// reads it without the lock on every event it makes.
    private let listeners = Atomic<Int>(0)
    /// Every type of event `serve` publishes (`GET /sim/events?types=` takes these).
    public static let types = [
        "message", "attempt", "downlink", "acknowledge", "event", "lifecycle", "network", "lost", "refused", "station",
        "configuration", "reset", "resend", "receiver",
    ]
    /// Turns a slow subscriber may fall behind by before the oldest are dropped for it.
    public static let bufferLimit = 10_000

    public init() {}

    /// The batches of events published from now on; it ends when the hub closes or the consumer stops.
    public func subscribe() -> AsyncStream<[Event]> {
        let (stream, continuation) = AsyncStream<[Event]>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.bufferLimit)
        )
        let id = state.withLock { state in
            defer { state.nextSubscriber += 1 }
            state.subscribers[state.nextSubscriber] = continuation
            listeners.wrappingAdd(1, ordering: .releasing)
            return state.nextSubscriber
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            state.withLock { state in
                if state.subscribers.removeValue(forKey: id) != nil {
                    listeners.wrappingSubtract(1, ordering: .releasing)
                }
            }
        }
        return stream
    }

    public var subscriberCount: Int { listeners.load(ordering: .acquiring) }

    /// Whether anyone listens now: the engine writes an event's JSON only then.
    public var isHeard: Bool { subscriberCount > 0 }

    /// Hands one turn's events to every subscriber, as one batch; `unheard` more happened while nobody
    /// listened (they were not written, but take their ids, so ids still count every event).
    public func publish(_ events: [(type: String, json: String)], unheard: Int = 0) {
        guard !events.isEmpty || unheard > 0 else { return }
        state.withLock { state in
            state.nextEvent += UInt64(unheard)
            guard !events.isEmpty else { return }
            var batch = [Event]()
            batch.reserveCapacity(events.count)
            for event in events {
                batch.append(Event(id: state.nextEvent, type: event.type, json: event.json))
                state.nextEvent += 1
            }
            for continuation in state.subscribers.values { continuation.yield(batch) }
        }
    }

    /// Ends every stream (shutdown).
    public func close() {
        let all = state.withLock { state in
            defer { state.subscribers.removeAll() }
            listeners.store(0, ordering: .releasing)
            return Array(state.subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }
}
