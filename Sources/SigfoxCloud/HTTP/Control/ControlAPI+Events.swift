import Hummingbird
import SigfoxModel

extension ControlAPI {
    var eventRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("events") { request, _ in try events(request) }
        return routes
    }

    /// `GET /sim/events[?types=message,attempt,…]`: the live Server-Sent Events stream. An unknown type is a
    /// 400 naming the known ones (``EventHub/types``).
    func events(_ request: Request) throws(APIError) -> Response {
        var types: Set<String>?
        for (key, value) in Self.query(request) {
            guard key == "types" else {
                throw APIError.badRequest(
                    "unknown query parameter '\(key)'; events takes types=attempt,message,...",
                    field: key
                )
            }
            types = Set(value.split(separator: ",").map(String.init))
            if let unknown = types?.sorted().first(where: { !EventHub.types.contains($0) }) {
                throw APIError.badRequest(
                    "unknown event type '\(unknown)'"
                        + (nearestName(to: unknown, among: EventHub.types).map { "; did you mean '\($0)'?" } ?? "")
                        + " The types are \(EventHub.types.joined(separator: ", ")).",
                    field: "types"
                )
            }
        }
        guard engine.hub.subscriberCount < maximumEventStreams else {
            throw APIError(
                status: 503,
                message: "\(maximumEventStreams) event streams are open already (--max-event-streams); close one first"
            )
        }
        let stream = engine.hub.subscribe()
        let filter = types
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: .init { writer in
                try await writer.write(ByteBuffer(string: ": connected to sigfox-sim serve\n\n"))
                for await batch in stream {
                    // One write per engine turn, however many events it published.
                    var buffer = ByteBuffer()
                    for event in batch where filter?.contains(event.type) ?? true { buffer.writeString(event.framed) }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
                try await writer.finish(nil)
            }
        )
    }
}
