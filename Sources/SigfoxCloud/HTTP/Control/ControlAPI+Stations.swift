import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// The network's side: base stations taken down or brought up (`/sim/base-stations/{id}/...`) and injected
/// downlink failures (`/sim/network`, SIGFOX.md section 5, NETWORK_ERROR).
extension ControlAPI {
    var stationRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.post("base-stations/:id/down") { _, context in try await station(context, up: false) }
        routes.post("base-stations/:id/up") { _, context in try await station(context, up: true) }
        routes.post("network") { request, context in try await network(request, context: context) }
        return routes
    }

    func station(_ context: BasicRequestContext, up: Bool) async throws(APIError) -> JSONAnswer {
        try checkAccepting()
        let text = context.parameters.get("id") ?? ""
        guard let id = BaseStationID(hex: text) else {
            throw APIError(
                status: 400,
                message: "expected a base station id of 1 to 8 hex digits, found '\(text)'",
                field: "id"
            )
        }
        _ = try? await reconfigure { document throws(ConfigError) in (document.settingStation(id, up: up), 0) }
        let answer = try await perform { reply in .station(id, up: up, reply: reply) }
        return JSONAnswer(text: answer.json)
    }

    /// `POST /sim/network`: every downlink fails from now on (or none again), or the next one of a device.
    func network(_ request: Request, context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        try checkAccepting()
        var object = try Self.object(await Self.body(request, context: context))
        let failure: Bool?
        var device: DeviceID?
        do throws(ConfigError) {
            failure = try object.bool("downlinkFailure")
            if let text = try object.string("failNextDownlink") {
                guard let id = DeviceID(hex: text),
                    configuration.scenario.devices.contains(where: { $0.id == id })
                else {
                    throw object.error("failNextDownlink", "no device '\(text)'")
                }
                device = id
            }
            try object.rejectUnknownFields(allowed: ["downlinkFailure", "failNextDownlink"])
        } catch {
            throw APIError(error)
        }
        let answer = try await perform { reply in
            .network(downlinkFailure: failure, failNextDownlink: device, reply: reply)
        }
        return JSONAnswer(text: answer.json)
    }
}
