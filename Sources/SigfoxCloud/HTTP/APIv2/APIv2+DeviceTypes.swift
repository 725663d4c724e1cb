import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `/v2/device-types`: list, create, read, update, delete.
extension APIv2 {
    var deviceTypeRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("device-types") { request, _ in try listDeviceTypes(request) }
        routes.post("device-types") { request, context in try await createDeviceType(request, context) }
        routes.get("device-types/:id") { _, context in try getDeviceType(context.parameters.get("id") ?? "") }
        routes.put("device-types/:id") { request, context in try await updateDeviceType(request, context) }
        routes.delete("device-types/:id") { _, context in
            let id = try typeID(context)
            _ = try await control.reconfigure { document throws(ConfigError) in try document.removingDeviceType(id) }
            return JSONAnswer.noContent
        }
        // Named by SIGFOX.md section 8 (not in the reference description): the next message of every device
        // of the type is taken whatever its sequence number.
        routes.put("device-types/:id/disengage") { _, context in
            let id = try typeID(context)
            return try await control.disengage(.disengageType(DeviceTypeID(id)!))
        }
        return routes
    }

    /// The API's downlink mode numbers (reference: 0 DIRECT, 1 CALLBACK, 2 NONE, 3 MANAGED).
    static let downlinkModes: [DownlinkMode] = [.direct, .callback, .none, .managed]
    /// Fields of `deviceTypeCreate` / `deviceTypeUpdate` the emulator accepts and does not use.
    static let ignoredTypeFields = [
        "alertEmail", "automaticRenewal", "groupId", "contractId", "contracts", "geolocPayloadConfigId",
    ]

    func listDeviceTypes(_ request: Request) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: ["name", "limit", "offset"])
        var types = configuration.scenario.deviceTypes.map(\.type)
        if let name = query.values["name"] { types = types.filter { $0.name.localizedCaseInsensitiveContains(name) } }
        let page = types.dropFirst(query.offset).prefix(query.limit)
        return query.listing(page.map(deviceTypeBody), request, more: types.count > query.offset + query.limit)
    }

    func getDeviceType(_ text: String) throws(APIError) -> JSONAnswer {
        guard
            let type = configuration.scenario.deviceTypes.first(where: { $0.type.id.description == text.lowercased() })
        else { throw APIError(status: 404, message: "The requested resource was not found: no device type '\(text)'") }
        return JSONAnswer(deviceTypeBody(type.type))
    }

    func createDeviceType(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var object = try await bodyObject(request, context)
        let fields = try deviceTypeFields(&object, creating: true)
        let node = ConfigNode.object(fields)
        let id = try await control.reconfigure { document throws(ConfigError) in try document.addingDeviceType(node) }
        return Self.created(request, id: id.description)
    }

    func updateDeviceType(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        let id = try typeID(context)
        var object = try await bodyObject(request, context)
        let fields = try deviceTypeFields(&object, creating: false)
        _ = try await control.reconfigure { document throws(ConfigError) in
            try document.changingDeviceType(id) { node throws(ConfigError) in
                var changed = node.merging(fields.filter { $0.0 != "payloadConfig" || $0.1.scalarText != "" })
                if fields.contains(where: { $0.0 == "payloadConfig" && $0.1.scalarText == "" }) {
                    changed = changed.removing("payloadConfig")
                }
                return changed
            }
        }
        return JSONAnswer.noContent
    }

    /// The body's fields in the scenario's words: `downlinkMode` 0..3 becomes DIRECT..MANAGED; `payloadConfig`
    /// counts when `payloadType` is 3 (custom grammar) or absent.
    private func deviceTypeFields(
        _ object: inout ConfigObject,
        creating: Bool
    ) throws(APIError) -> [(String, ConfigNode)] {
        do throws(ConfigError) {
            try object.rejectingUnknown(
                Self.ignoredTypeFields + [
                    "name", "description", "keepAlive", "downlinkMode", "downlinkDataString", "payloadType",
                    "payloadConfig",
                ]
            )
            var fields = [(String, ConfigNode)]()
            if let name = try object.string("name") {
                guard (1...100).contains(name.count) else { throw object.error("name", "must be 1 to 100 characters") }
                fields.append(("name", .string(name)))
            } else if creating {
                throw ConfigError(location: object.node.location, path: "name", message: "missing 'name'")
            }
            if let description = try object.string("description") {
                fields.append(("description", .string(description)))
            }
            if let keepAlive = try object.integer("keepAlive") {
                guard keepAlive == 0 || (1800...Int(DeviceType.maximumKeepAlive)).contains(keepAlive) else {
                    throw object.error(
                        "keepAlive",
                        "keepAlive is \(keepAlive) s; it must be 0 (off) or 1800 s to \(DeviceType.maximumKeepAlive) s"
                    )
                }
                fields.append(("keepAlive", ConfigNode(.number(String(keepAlive)))))
            }
            if let mode = try object.integer("downlinkMode") {
                guard Self.downlinkModes.indices.contains(mode) else {
                    throw object.error("downlinkMode", "expected 0 (DIRECT), 1 (CALLBACK), 2 (NONE) or 3 (MANAGED)")
                }
                fields.append(("downlinkMode", .string(Self.downlinkModes[mode].rawValue)))
            }
            if let data = try object.string("downlinkDataString") {
                fields.append(("downlinkDataString", .string(data)))
            }
            let payloadType = try object.integer("payloadType")
            if let config = try object.string("payloadConfig"), payloadType == nil || payloadType == 3 {
                fields.append(("payloadConfig", .string(config)))
            } else if let payloadType, payloadType != 3, !creating {
                fields.append(("payloadConfig", .string("")))
            }
            return fields
        } catch {
            throw APIError(error)
        }
    }

    /// The reference's `deviceType` object.
    func deviceTypeBody(_ type: DeviceType) -> V2DeviceType {
        let node = configuration.document.deviceTypeNode(type.id.description)
        return V2DeviceType(
            id: type.id.description,
            name: type.name,
            description: node?["description"]?.scalarText,
            keepAlive: type.keepAlive,
            downlinkMode: Self.downlinkModes.firstIndex(of: type.downlinkMode) ?? 1,
            downlinkDataString: type.downlinkDataString,
            payloadType: type.payloadConfig == nil ? 2 : 3,
            payloadConfig: type.payloadConfig
        )
    }
}
