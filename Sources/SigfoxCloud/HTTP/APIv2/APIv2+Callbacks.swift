import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `/v2/device-types/{id}/callbacks`: list, create, update, delete, enable, downlink selection.
extension APIv2 {
    var callbackRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("device-types/:id/callbacks") { _, context in try listCallbacks(try typeID(context)) }
        routes.post("device-types/:id/callbacks") { request, context in try await createCallback(request, context) }
        routes.put("device-types/:id/callbacks/:callbackId") { request, context in
            try await updateCallback(request, context)
        }
        routes.delete("device-types/:id/callbacks/:callbackId") { _, context in
            let (type, callback) = try callbackPath(context)
            _ = try await control.reconfigure { document throws(ConfigError) in
                try document.changingCallback(type, callback) { _ throws(ConfigError) in nil }
            }
            return JSONAnswer.noContent
        }
        routes.put("device-types/:id/callbacks/:callbackId/enable") { request, context in
            let (type, callback) = try callbackPath(context)
            let query = try V2Query(request, allowed: ["enabled"])
            guard let enabled = try query.bool("enabled") else {
                throw V2Error.invalid("query", "enabled", "expected true or false")
            }
            _ = try await control.reconfigure { document throws(ConfigError) in
                try document.changingCallback(type, callback) { node throws(ConfigError) in
                    node.setting("enabled", to: ConfigNode(.bool(enabled)))
                }
            }
            return JSONAnswer.noContent
        }
        routes.put("device-types/:id/callbacks/:callbackId/downlink") { _, context in
            let (type, callback) = try callbackPath(context)
            _ = try await control.reconfigure { document throws(ConfigError) in
                try document.selectingDownlinkCallback(type, callback)
            }
            return JSONAnswer.noContent
        }
        return routes
    }

    func listCallbacks(_ typeID: String) throws(APIError) -> JSONAnswer {
        let scenario = configuration.scenario
        guard let type = scenario.deviceTypes.first(where: { $0.type.id.description == typeID }) else {
            throw APIError(status: 404, message: "The requested resource was not found: no device type '\(typeID)'")
        }
        let definitions: [CallbackDefinition]
        do {
            definitions = try type.definitions(receiverURL: receiverURL)
        } catch {
            throw APIError(status: 500, message: "the device type's callbacks no longer load: \(error)")
        }
        let bidir = definitions.indices.filter { definitions[$0].enabled && definitions[$0].service == .dataBidir }
        let downlink = bidir.first { definitions[$0].downlinkHook } ?? bidir.first
        let dead = try deadCallbacks(typeID, definitions)
        // Each callback's body is the model's (``CallbackDefinition/apiV2JSON(id:extra:)``, shared with
        // `sigfox-sim render`, whose output is golden), with `dead` and `downlinkHook` added.
        let items = definitions.indices.map { index in
            EncodedJSON(
                definitions[index].apiV2JSON(extra: [
                    "\"dead\":\(definitions[index].id.map(dead.contains) ?? false)",
                    "\"downlinkHook\":\(index == downlink)",
                ])
            )
        }
        return JSONAnswer(Listing.v2(items, next: nil))
    }

    /// The callbacks of the type whose last use failed (SIGFOX.md section 4: `dead`): each one's latest try,
    /// found through the (deviceType, callback, id) index.
    private func deadCallbacks(_ typeID: String, _ definitions: [CallbackDefinition]) throws(APIError) -> Set<String> {
        let outcomes = try Self.reading {
            try engine.store.lastOutcomes(deviceType: typeID, callbacks: definitions.compactMap(\.id))
        }
        return Set(outcomes.filter { $0.value == "retry" || $0.value == "failed" }.keys)
    }

    func createCallback(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        let type = try typeID(context)
        let node = try await ControlAPI.body(request, context: context)
        guard case .object(let entries) = node.value else {
            throw V2Error.invalid("body", "", "expected a callback object")
        }
        for required in ["channel", "callbackType", "callbackSubtype", "enabled"]
        where !entries.contains(where: { $0.key == required }) {
            throw V2Error.invalid("body", required, "'\(required)' is required")
        }
        let id = CloudDocument.newDeviceTypeID()
        let stored = ConfigNode(
            .object(entries.filter { !["id", "dead", "downlinkHook"].contains($0.key) }),
            at: node.location
        )
        .setting("id", to: .string(id))
        _ = try await control.reconfigure { document throws(ConfigError) in
            try document.addingCallback(stored, to: type)
        }
        return Self.created(request, id: id)
    }

    func updateCallback(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        let (type, callback) = try callbackPath(context)
        let node = try await ControlAPI.body(request, context: context)
        guard case .object(let entries) = node.value else {
            throw V2Error.invalid("body", "", "expected a callback object")
        }
        let updates = entries.filter { !["id", "dead", "downlinkHook"].contains($0.key) }.map { ($0.key, $0.node) }
        _ = try await control.reconfigure { document throws(ConfigError) in
            try document.changingCallback(type, callback) { current throws(ConfigError) in
                try current.mergingCallbackUpdate(updates)
            }
        }
        return JSONAnswer.noContent
    }
}
