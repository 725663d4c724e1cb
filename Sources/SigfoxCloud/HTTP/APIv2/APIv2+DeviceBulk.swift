import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `/v2/devices/bulk`: devices created, edited, transferred to another device type or replaced by the
/// hundred, and the status of those jobs.
///
/// **Emulator rule:** a job is done when it is started (``APIv2Jobs``); the devices it names are changed in
/// one configuration change, one by one: a device that cannot be changed is reported in the job's `errors`
/// (its id as given, the field and why) and the others are changed. A body that is wrong as a whole (a
/// field of the wrong type or unknown, a device type that does not exist) is a 400 naming the field.
extension APIv2 {
    var deviceBulkRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.post("devices/bulk") { request, context in try await createDevices(request, context) }
        routes.put("devices/bulk") { request, context in try await editDevices(request, context) }
        routes.post("devices/bulk/transfer") { request, context in try await transferDevices(request, context) }
        routes.post("devices/bulk/replace") { request, context in try await replaceDevices(request, context) }
        routes.get("devices/bulk/:jobId") { _, context in
            guard case .devices(let outcome) = jobs.job(context.parameters.get("jobId") ?? "") else {
                throw APIError(status: 404, message: "The requested resource was not found: no such job")
            }
            return JSONAnswer(RegistrationJobStatus(outcome))
        }
        return routes
    }

    /// `POST /devices/bulk` (`asynchronousDeviceCreationJob`): every device of `data` added to the device type
    /// `deviceTypeId`, each checked as `POST /devices` checks one. A device without a `name` is named `prefix`
    /// followed by its id (its id alone without a prefix). Answers 200 with `total` and `jobId`.
    func createDevices(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var object = try await bodyObject(request, context)
        let type: String
        let prototype: Bool?
        let prefix: String?
        let items: [ConfigNode]
        do throws(ConfigError) {
            try object.rejectingUnknown(["deviceTypeId", "productCertificate", "prototype", "prefix", "data"])
            guard let text = try object.string("deviceTypeId") else {
                throw ConfigError(location: nil, path: "deviceTypeId", message: "'deviceTypeId' is required")
            }
            guard configuration.document.deviceTypeNode(text) != nil else {
                throw object.error("deviceTypeId", "no device type '\(text)'")
            }
            type = text.lowercased()
            _ = object.node("productCertificate")
            prototype = try object.bool("prototype")
            prefix = try object.string("prefix")
            if let prefix, prefix.count > 40 {
                throw object.error("prefix", "at most 40 characters, found \(prefix.count)")
            }
            items = try Self.bulkItems(&object, required: false)
        } catch {
            throw APIError(error)
        }
        let prepared = items.enumerated().map { index, item in
            Self.bulkItem(item, "data[\(index)]") { object throws(ConfigError) in
                try object.rejectingUnknown(
                    ["id", "pac", "name", "lat", "lng", "automaticRenewal", "activable"]
                )
                let id = try Self.requiredDeviceID(&object, "id")
                var fields: [(String, ConfigNode)] = [
                    ("id", .string(id.description)),
                    ("name", .string(try object.string("name") ?? (prefix ?? "") + id.description)),
                    ("deviceType", .string(type)),
                ]
                if let pac = try object.string("pac") { fields.append(("pac", .string(pac))) }
                fields.append(("lat", ConfigNode(.number(String(try object.double("lat") ?? 0)))))
                fields.append(("lng", ConfigNode(.number(String(try object.double("lng") ?? 0)))))
                if let prototype { fields.append(("prototype", ConfigNode(.bool(prototype)))) }
                return (id, ConfigNode.object(fields))
            }
        }
        var taken = Set(configuration.scenario.devices.map(\.id))
        let outcome = try await changingEach(prepared) { document, new throws(ConfigError) in
            guard taken.insert(new.0).inserted else {
                throw ConfigError(location: nil, path: "id", message: "The device \(new.0) exists already")
            }
            document = try document.addingDevice(new.1).0
        }
        return JSONAnswer(StartedDeviceJob(total: outcome.total, jobId: jobs.add(.devices(outcome))))
    }

    /// `PUT /devices/bulk` (`asynchronousDeviceEditionJob`): each device of `data` changed as `PUT /devices/{id}`
    /// changes one. Answers 201 with `total` and `jobId`.
    func editDevices(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        _ = try V2Query(request, allowed: ["groupId"])
        var object = try await bodyObject(request, context)
        let items = try Self.requiredItems(&object, allowed: ["data"])
        let prepared = items.enumerated().map { index, item in
            Self.bulkItem(item, "data[\(index)]") { object throws(ConfigError) in
                let id = try Self.requiredDeviceID(&object, "id")
                let updates = try Self.deviceUpdates(&object)
                try object.rejectingUnknown(
                    Self.ignoredDeviceFields + ["id", "name", "lat", "lng", "prototype", "payloadEncryption"]
                )
                return (id, updates)
            }
        }
        let outcome = try await changingEach(prepared) { document, edit throws(ConfigError) in
            try Self.changingDevice(&document, edit.0) { $0.merging(edit.1) }
        }
        let id = jobs.add(.devices(outcome))
        return Self.created(request, StartedDeviceJob(total: outcome.total, jobId: id), id: id)
    }

    /// `POST /devices/bulk/transfer` (`asynchronousDeviceTransferJob`): each device of `data` moved to the
    /// device type `deviceTypeId`. **Emulator rule:** its messages stay whatever `keepHistory` says (the store
    /// keeps them by device id), and `activable` is accepted and not used. Answers 200 with `total` and
    /// `jobId`.
    func transferDevices(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var object = try await bodyObject(request, context)
        let type: String
        let items: [ConfigNode]
        do throws(ConfigError) {
            try object.rejectingUnknown(["deviceTypeId", "data"])
            guard let text = try object.string("deviceTypeId") else {
                throw ConfigError(location: nil, path: "deviceTypeId", message: "'deviceTypeId' is required")
            }
            guard let node = configuration.document.deviceTypeNode(text), let id = node["id"]?.scalarText else {
                throw object.error("deviceTypeId", "no device type '\(text)'")
            }
            type = id
            items = try Self.bulkItems(&object, required: false)
        } catch {
            throw APIError(error)
        }
        let prepared = items.enumerated().map { index, item in
            Self.bulkItem(item, "data[\(index)]") { object throws(ConfigError) in
                try object.rejectingUnknown(["id", "keepHistory", "activable"])
                _ = try object.bool("keepHistory")
                _ = try object.bool("activable")
                return try Self.requiredDeviceID(&object, "id")
            }
        }
        let outcome = try await changingEach(prepared) { document, id throws(ConfigError) in
            try Self.changingDevice(&document, id) { $0.setting("deviceType", to: .string(type)) }
        }
        return JSONAnswer(StartedDeviceJob(total: outcome.total, jobId: jobs.add(.devices(outcome))))
    }

    /// `POST /devices/bulk/replace` (`asynchronousDeviceReplacementJob`, answered at once with
    /// `replaceResponse`): each `deviceId` becomes `targetDeviceId`, with its name, type, position and state.
    /// **Emulator rule:** the messages already received stay with the old id (the store keeps them by device
    /// id), and the new id's sequence starts afresh, as a new device's.
    func replaceDevices(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var object = try await bodyObject(request, context)
        let items = try Self.requiredItems(&object, allowed: ["data"])
        let prepared = items.enumerated().map { index, item in
            Self.bulkItem(item, "data[\(index)]", entityKey: "deviceId") { object throws(ConfigError) in
                try object.rejectingUnknown(["deviceId", "targetDeviceId"])
                return (
                    try Self.requiredDeviceID(&object, "deviceId"), try Self.requiredDeviceID(&object, "targetDeviceId")
                )
            }
        }
        var taken = Set(configuration.scenario.devices.map(\.id))
        let outcome = try await changingEach(prepared) { document, pair throws(ConfigError) in
            guard !taken.contains(pair.1) else {
                throw ConfigError(location: nil, path: "targetDeviceId", message: "The device \(pair.1) exists already")
            }
            try Self.changingDevice(&document, pair.0) { $0.setting("id", to: .string(pair.1.description)) }
            taken.remove(pair.0)
            taken.insert(pair.1)
        }
        return JSONAnswer(ReplaceResponse(outcome))
    }

    // MARK: Shared by the bulk operations

    /// Applies `change` to each prepared item in one configuration change: an item that did not read, or
    /// whose change fails, is reported with its entity and the others are kept.
    func changingEach<Item>(
        _ items: [(entity: String, item: Result<Item, ConfigError>)],
        _ change: (inout CloudDocument, Item) throws(ConfigError) -> Void
    ) async throws(APIError) -> DeviceBulkOutcome {
        try await control.reconfigure { document throws(ConfigError) in
            var document = document
            var outcome = DeviceBulkOutcome()
            for (entity, item) in items {
                do throws(ConfigError) {
                    var changed = document
                    try change(&changed, try item.get())
                    document = changed
                    outcome.succeeded()
                } catch {
                    outcome.failed(entity, error)
                }
            }
            return (document, outcome)
        }
    }

    /// The device `id` of `document` changed by `transform`; an unknown device, or one of a generated fleet
    /// (which has no node of its own), is an error naming `id`.
    static func changingDevice(
        _ document: inout CloudDocument,
        _ id: DeviceID,
        _ transform: (ConfigNode) -> ConfigNode
    ) throws(ConfigError) {
        guard document.deviceNodeIndex(id) != nil else {
            // Read from `document`: the configuration is being changed (and locked) while this runs.
            let fleet = try document.scenario().devices.contains { $0.id == id }
            throw ConfigError(
                location: nil,
                path: "id",
                message: fleet
                    ? "device \(id) is one of a generated fleet (count) and cannot be changed alone"
                    : "Unknown device \(id)"
            )
        }
        document = try document.changingDevice(id) { node throws(ConfigError) in transform(node) }.0
    }

    /// One item of a bulk body read by `read` (its fields checked), with the entity a job error names: the
    /// item's `entityKey` as written, else its place (`data[2]`).
    static func bulkItem<Item>(
        _ node: ConfigNode,
        _ path: String,
        entityKey: String = "id",
        _ read: (inout ConfigObject) throws(ConfigError) -> Item
    ) -> (entity: String, item: Result<Item, ConfigError>) {
        let entity = node[entityKey]?.scalarText ?? path
        do throws(ConfigError) {
            var object = try ConfigObject(node, path: path)
            return (entity, .success(try read(&object)))
        } catch {
            return (entity, .failure(error))
        }
    }

    /// The `data` list of a bulk body; `required`: its absence is an error.
    static func bulkItems(_ object: inout ConfigObject, required: Bool) throws(ConfigError) -> [ConfigNode] {
        guard let node = object.node("data") else {
            if required { throw ConfigError(location: nil, path: "data", message: "'data' is required") }
            return []
        }
        guard case .array(let items) = node.value else {
            throw object.error("data", "expected a list, found \(node.kindName)")
        }
        return items
    }

    /// The `data` list of a body whose only fields are `allowed`, as a 400 naming the field when it is not.
    static func requiredItems(_ object: inout ConfigObject, allowed: [String]) throws(APIError) -> [ConfigNode] {
        do throws(ConfigError) {
            try object.rejectingUnknown(allowed)
            return try bulkItems(&object, required: true)
        } catch {
            throw APIError(error)
        }
    }

    /// The device id of `key`, required.
    static func requiredDeviceID(_ object: inout ConfigObject, _ key: String) throws(ConfigError) -> DeviceID {
        guard let text = try object.string(key) else {
            throw ConfigError(location: nil, path: object.fieldPath(key), message: "'\(key)' is required")
        }
        guard let id = DeviceID(hex: text) else {
            throw object.error(key, "expected a device id of up to 8 hex digits, found '\(text)'")
        }
        return id
    }
}
