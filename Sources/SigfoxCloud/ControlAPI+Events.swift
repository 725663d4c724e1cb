import Hummingbird
import SigfoxModel

extension ControlAPI {
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
        let stream = engine.hub.subscribe()
        let filter = types
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: .init { writer in
                try await writer.write(ByteBuffer(string: ": connected to sigfox-sim serve\n\n"))
                for await event in stream where filter?.contains(event.type) ?? true {
                    try await writer.write(ByteBuffer(string: event.framed))
                }
                try await writer.finish(nil)
            }
        )
    }
}
