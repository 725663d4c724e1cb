import Hummingbird
import SigfoxEngine
import SigfoxModel

/// What the store kept: messages and tries (`/sim/messages`, `/sim/attempts`), filtered and paged, and a
/// try sent again (`/sim/attempts/{id}/resend`).
extension ControlAPI {
    var recordRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("messages") { request, _ in
            JSONAnswer(text: try RecordQueries(reading: engine).messages(Self.query(request)))
        }
        routes.get("attempts") { request, _ in
            JSONAnswer(text: try RecordQueries(store: engine.store).attempts(Self.query(request)))
        }
        routes.post("attempts/:id/resend") { _, context in try await resend(context) }
        return routes
    }

    /// `POST /sim/attempts/{id}/resend`: the request of a try, sent again as a new delivery.
    func resend(_ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        try checkAccepting()
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else {
            throw APIError(
                status: 400,
                message: "expected a try's id (a whole number), found '\(text)'",
                field: "id"
            )
        }
        guard let attempt = (try? engine.store.attempt(id: id)) ?? nil else {
            throw APIError(status: 404, message: "no try \(id)", field: "id")
        }
        guard let template = PersistedDelivery.resendTemplate(attempt) else {
            throw APIError(
                status: 400,
                message: "try \(id) sent no request (it could not be rendered)",
                field: "id"
            )
        }
        let answer = try await perform { reply in .resend(template, from: id, reply: reply) }
        return JSONAnswer(status: .created, text: answer.json)
    }
}
