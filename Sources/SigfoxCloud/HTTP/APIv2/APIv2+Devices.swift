import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `/v2/devices`: list, create, read, update, delete; the device's state fields come from what the network
/// saw (its last message's sequence number, time and link quality).
extension APIv2 {
    var deviceRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("devices") { request, _ in try listDevices(request) }
        routes.post("devices") { request, context in try await createDevice(request, context) }
        routes.get("devices/:id") { _, context in try getDevice(try deviceID(context)) }
        routes.put("devices/:id") { request, context in try await updateDevice(request, context) }
        routes.delete("devices/:id") { _, context in
            let id = try deviceID(context)
            _ = try await control.reconfigure { document throws(ConfigError) in
                let (changed, index) = try document.changingDevice(id) { _ throws(ConfigError) in nil }
                return (try changed.changingIdentity { $0.forget(device: id.description) }.0, index)
            }
            return JSONAnswer.noContent
        }
        // Named by SIGFOX.md section 8 (not in the reference description): the device's next message is
        // taken whatever its sequence number.
        routes.post("devices/:id/disengage") { _, context in
            try await control.disengage(.disengage(device: try deviceID(context)))
        }
        return routes
    }

    /// Fields of `deviceCreationJob` / `deviceUpdateJob` the emulator accepts and does not use.
    static let ignoredDeviceFields = ["automaticRenewal", "activable", "productCertificate"]

    func listDevices(_ request: Request) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: ["id", "deviceTypeId", "limit", "offset"])
        var devices = configuration.scenario.devices
        if let type = query.values["deviceTypeId"] {
            devices = devices.filter { $0.deviceType.description == type.lowercased() }
        }
        if let id = query.values["id"] { devices = devices.filter { $0.id == DeviceID(hex: id) } }
        let page = Array(devices.dropFirst(query.offset).prefix(query.limit))
        let items = try page.map { device throws(APIError) in try deviceBody(device) }
        return query.listing(items, request, more: devices.count > query.offset + query.limit)
    }

    func getDevice(_ id: DeviceID) throws(APIError) -> JSONAnswer {
        guard let device = configuration.scenario.devices.first(where: { $0.id == id }) else {
            throw APIError(status: 404, message: "The requested resource was not found: no device '\(id)'")
        }
        return JSONAnswer(try deviceBody(device))
    }

    func createDevice(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var object = try await bodyObject(request, context)
        let node: ConfigNode
        let id: DeviceID
        do throws(ConfigError) {
            try object.rejectingUnknown(
                Self.ignoredDeviceFields + [
                    "id", "name", "deviceTypeId", "pac", "prototype", "lat", "lng",
                ]
            )
            id = try Self.requiredDeviceID(&object, "id")
            guard let name = try object.string("name") else {
                throw ConfigError(location: nil, path: "name", message: "'name' is required")
            }
            guard let type = try object.string("deviceTypeId") else {
                throw ConfigError(location: nil, path: "deviceTypeId", message: "'deviceTypeId' is required")
            }
            guard let pac = try object.string("pac") else {
                throw ConfigError(location: nil, path: "pac", message: "'pac' is required")
            }
            guard configuration.document.deviceTypeNode(type) != nil else {
                throw object.error("deviceTypeId", "no device type '\(type)'")
            }
            var fields: [(String, ConfigNode)] = [
                ("id", .string(id.description)), ("name", .string(name)), ("deviceType", .string(type.lowercased())),
                ("pac", .string(pac)),
                ("lat", ConfigNode(.number(String(try object.double("lat") ?? 0)))),
                ("lng", ConfigNode(.number(String(try object.double("lng") ?? 0)))),
            ]
            if let prototype = try object.bool("prototype") {
                fields.append(("prototype", ConfigNode(.bool(prototype))))
            }
            node = .object(fields)
        } catch {
            throw APIError(error)
        }
        guard !configuration.scenario.devices.contains(where: { $0.id == id }) else {
            throw APIError(status: 409, message: "The device \(id) exists already")
        }
        let editor = editor(request)
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        _ = try await control.reconfigure { document throws(ConfigError) in
            let (added, id) = try document.addingDevice(node)
            let (edited, _) = try added.changingIdentity { identity in
                identity.forget(device: id.description)
                identity.edited(device: id.description, by: editor, at: now, createdBy: editor, at: now)
            }
            return (edited, id)
        }
        return Self.created(request, id: id.description)
    }

    func updateDevice(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        let id = try deviceID(context)
        var object = try await bodyObject(request, context)
        let updates: [(String, ConfigNode)]
        do throws(ConfigError) {
            updates = try Self.deviceUpdates(&object)
            try object.rejectingUnknown(Self.ignoredDeviceFields + ["name", "lat", "lng", "prototype"])
        } catch {
            throw APIError(error)
        }
        guard configuration.document.deviceNodeIndex(id) != nil else {
            throw APIError(
                status: 400,
                message: "device \(id) is one of a generated fleet (count) and cannot be changed alone",
                field: "path:id"
            )
        }
        let editor = editor(request)
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        let start = configuration.scenario.start.milliseconds
        _ = try await control.reconfigure { document throws(ConfigError) in
            let (changed, index) = try document.changingDevice(id) { node throws(ConfigError) in
                node.merging(updates)
            }
            let (edited, _) = try changed.changingIdentity { identity in
                identity.edited(
                    device: id.description,
                    by: editor,
                    at: now,
                    createdBy: ContractInfo.userID,
                    at: start
                )
            }
            return (edited, index)
        }
        return JSONAnswer.noContent
    }

    /// Who is asking: the API user whose id and access token log in, else the emulator's user
    /// (``ContractInfo/userID``, the owner of the `--api-login` credentials): `createdBy` and `lastEditedBy`.
    func editor(_ request: Request) -> String {
        APIUserLogin(request.headers[.authorization])
            .flatMap { $0.user(among: configuration.document.identity.apiUsers) }?.id ?? ContractInfo.userID
    }

    /// The fields of `deviceUpdateJob` a device takes (`PUT /devices/{id}` and each item of `PUT /devices/bulk`),
    /// as the configuration document's fields.
    static func deviceUpdates(_ object: inout ConfigObject) throws(ConfigError) -> [(String, ConfigNode)] {
        var updates = [(String, ConfigNode)]()
        if let name = try object.string("name") { updates.append(("name", .string(name))) }
        if let lat = try object.double("lat") { updates.append(("lat", ConfigNode(.number(String(lat))))) }
        if let lng = try object.double("lng") { updates.append(("lng", ConfigNode(.number(String(lng))))) }
        if let prototype = try object.bool("prototype") { updates.append(("prototype", ConfigNode(.bool(prototype)))) }
        return updates
    }

    /// The reference's `device` object, with every field the live API sends (WIRE.md).
    func deviceBody(_ device: Device) throws(APIError) -> V2Device {
        let document = configuration.document
        let node = document.deviceNodeIndex(device.id).map { document.devices[$0] }
        let typeName = configuration.scenario.deviceTypes.first { $0.type.id == device.deviceType }?.type.name ?? ""
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        let last = try Self.reading { try engine.store.lastReceivedMessage(of: device.id.description, by: now) }
        // 6 SUSPENDED, 2 OFF_CONTRACT once unsubscribed (APIv2+DeviceActions.swift), else 0 OK.
        let inactive = device.contract.refusal(of: device.id, at: SimulationTime(milliseconds: now))
        let state = inactive.map { if case .suspended = $0 { 6 } else { 2 } } ?? 0
        return V2Device(
            id: device.id.description,
            name: node?["name"]?.scalarText ?? device.id.description,
            deviceType: V2Reference(id: device.deviceType.description, name: typeName),
            pac: node?["pac"]?.scalarText ?? "0000000000000000",
            prototype: node?["prototype"]?.scalarText == "true",
            location: V2Location(latitude: device.position.latitude, longitude: device.position.longitude),
            state: state,
            sequenceNumber: last?.seqNumber,
            lastCom: last?.time,
            lqi: last?.linkQuality ?? 4,
            comState: last == nil ? 5 : 1,
            unsubscriptionTime: device.contract.unsubscriptionTime?.milliseconds,
            edition: document.identity.edition(of: device.id.description),
            start: configuration.scenario.start.milliseconds,
            contract: ContractInfo.Terms(device.contract)
        )
    }
}
