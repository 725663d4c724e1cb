import Foundation
import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// The configuration, changed while serve runs: device types, their callbacks and event callbacks,
/// devices (`/sim/device-types`, `/sim/devices`), the whole scenario (`/sim/scenario`) and the way back
/// to the initial one (`/sim/reset`). A change is checked by the scenario loader, then applied by the
/// engine before the answer.
extension ControlAPI {
    var configurationRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("device-types") { _, _ in
            JSONAnswer(text: "{\"data\":" + ConfigNode(.array(configuration.document.deviceTypes)).jsonText + "}")
        }
        routes.post("device-types") { request, context in
            let node = try await Self.body(request, context: context)
            let id = try await reconfigure { document throws(ConfigError) in try document.addingDeviceType(node) }
            return JSONAnswer(status: .created, CreatedID(id: id.description))
        }
        routes.post("device-types/:id/callbacks") { request, context in
            try await addCallback(request, context: context, list: "callbacks")
        }
        routes.post("device-types/:id/events") { request, context in
            try await addCallback(request, context: context, list: "events")
        }
        routes.get("devices") { _, _ in
            JSONAnswer(text: "{\"data\":" + ConfigNode(.array(configuration.document.devices)).jsonText + "}")
        }
        routes.post("devices") { request, context in try await addDevice(request, context: context) }
        routes.delete("devices/:id") { _, context in
            let id = try Self.deviceID(context)
            guard configuration.scenario.devices.contains(where: { $0.id == id }) else {
                throw APIError(status: 404, message: "no device \(id)", field: "id")
            }
            _ = try await reconfigure { document throws(ConfigError) in (try document.removingDevice(id), 0) }
            return JSONAnswer.noContent
        }
        routes.get("scenario") { _, _ in
            JSONAnswer(
                text: configuration.document.jsonText + "\n",
                headers: [.contentDisposition: "inline; filename=\"scenario.json\""]
            )
        }
        routes.post("reset") { _, _ in try await reset() }
        return routes
    }

    /// `POST /sim/device-types/{id}/callbacks` and `.../events`: a callback added to a device type.
    func addCallback(
        _ request: Request,
        context: BasicRequestContext,
        list: String
    ) async throws(APIError) -> JSONAnswer {
        let type = context.parameters.get("id") ?? ""
        let node = try await Self.body(request, context: context)
        let index = try await reconfigure { document throws(ConfigError) in
            try document.addingCallback(node, to: type, list: list)
        }
        return JSONAnswer(status: .created, CreatedIndex(index: index))
    }

    /// `POST /sim/devices`: a device added; one no station can hear is said at once (no silent loss).
    func addDevice(_ request: Request, context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        let node = try await Self.body(request, context: context)
        let id = try await reconfigure { document throws(ConfigError) in try document.addingDevice(node) }
        let warning = configuration.scenario.unreachableDevices(sendersOnly: false).first { $0.device == id }.map {
            "device \(id) is \($0.explanation): its uplinks will be lost"
        }
        return JSONAnswer(status: .created, CreatedID(id: id.description, warning: warning))
    }

    /// `POST /sim/reset`: back to the initial configuration, every record cleared.
    func reset() async throws(APIError) -> JSONAnswer {
        try checkAccepting()
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<EngineAnswer, APIError>, Never>) in
            do throws(APIError) {
                try configuration.reset { document, scenario in
                    engine.inbox.post(
                        .reset(
                            document,
                            scenario,
                            reply: { continuation.resume(returning: $0.mapError(\.apiError)) }
                        )
                    )
                }
                engine.wakeEngine()
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        return JSONAnswer(text: try result.get().json)
    }
}

/// `{"id": ...}` (and a warning) of something created.
struct CreatedID: Encodable {
    var id: String
    var warning: String?
}

/// `{"index": n}` of a callback added to a list.
struct CreatedIndex: Encodable {
    var index: Int
}
