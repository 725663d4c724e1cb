import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `/v2/devices/bulk/{restart,suspend,resume,unsubscribe}`, `PUT /v2/devices/{id}/unsubscribe` and
/// `POST /v2/device-types/{id}/bulk/restart`: what a device may do on the network, changed by the hundred.
///
/// - Restart: the device's sequence is disengaged (its next message is taken whatever its number), as
///   `POST /devices/{id}/disengage` does (SIGFOX.md section 8).
/// - Suspend: the cloud takes none of the device's uplinks until it is resumed (refused before the radio:
///   nothing stored, no callback, ``UplinkRefusal/suspended(_:)``); its `state` is 6 (SUSPENDED).
/// - Unsubscribe: from `unsubscriptionTime` (epoch ms) on, the same, for good; its `state` is then 2
///   (OFF_CONTRACT).
///
/// Suspension and unsubscription are written in the configuration document (`suspended`,
/// `unsubscriptionTime` of the device, docs/scenario-format.md), so they outlive a restart of serve.
/// **Emulator rule:** the jobs are done when started (``APIv2Jobs``); suspending a suspended device or
/// resuming one that is not suspended succeeds and changes nothing.
extension APIv2 {
    var deviceActionRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.post("devices/bulk/restart") { request, context in try await restartDevices(request, context) }
        routes.post("devices/bulk/suspend") { request, context in
            try await settingEach(request, context, .suspend) { $0.setting("suspended", to: ConfigNode(.bool(true))) }
        }
        routes.post("devices/bulk/resume") { request, context in
            try await settingEach(request, context, .resume) { $0.removing("suspended") }
        }
        routes.post("devices/bulk/unsubscribe") { request, context in try await unsubscribeDevices(request, context) }
        for action in [DeviceAction.restart, .suspend, .resume, .unsubscribe] {
            routes.get("devices/bulk/\(action.rawValue)/:jobId") { _, context in
                try actionJob(action, context)
            }
        }
        routes.put("devices/:id/unsubscribe") { request, context in
            let id = try deviceID(context)
            var object = try await bodyObject(request, context)
            let time: Int64
            do throws(ConfigError) {
                try object.rejectingUnknown(["unsubscriptionTime"])
                time = try Self.unsubscriptionTime(&object)
            } catch {
                throw APIError(error)
            }
            let outcome = try await changingEach([(id.description, .success(id))]) { document, id throws(ConfigError) in
                try Self.changingDevice(&document, id) { $0.setting("unsubscriptionTime", to: Self.epochSeconds(time)) }
            }
            // One device: what a job would report is the answer (a device of a generated fleet, as PUT
            // /devices/{id} answers it).
            if let error = outcome.errors.first {
                throw APIError(status: 400, message: error.message, field: "path:id")
            }
            return JSONAnswer.noContent
        }
        routes.post("device-types/:id/bulk/restart") { request, context in
            let type = try typeID(context)
            let devices = configuration.scenario.devices.filter { $0.deviceType.description == type }
            _ = try await control.disengage(.disengageType(DeviceTypeID(type)!))
            let outcome = DeviceBulkOutcome(total: devices.count, success: devices.count)
            let id = jobs.add(.deviceAction(.deviceTypeRestart, outcome))
            // Where the job is read: `/device-types/bulk/restart/{jobId}`, not under the type.
            var answer = JSONAnswer(status: .created, StartedJob(jobId: id))
            answer.headers[.location] = request.absoluteURL("/v2/device-types/bulk/restart/" + id)
            return answer
        }
        routes.get("device-types/bulk/restart/:jobId") { _, context in try actionJob(.deviceTypeRestart, context) }
        return routes
    }

    /// The `actionJob` of `action` named `:jobId`; 404 for another job or none.
    func actionJob(_ action: DeviceAction, _ context: BasicRequestContext) throws(APIError) -> JSONAnswer {
        guard case .deviceAction(action, let outcome) = jobs.job(context.parameters.get("jobId") ?? "") else {
            throw APIError(status: 404, message: "The requested resource was not found: no such job")
        }
        return JSONAnswer(ActionJobStatus(outcome))
    }

    /// The devices of a `deviceActionJob` body (`{"data": [id, ...]}`), each read as a device id; `groupId`
    /// in the query is accepted and not used (every device is in the emulator's one group).
    func actionDevices(
        _ request: Request,
        _ context: BasicRequestContext
    ) async throws(APIError) -> [(entity: String, item: Result<DeviceID, ConfigError>)] {
        _ = try V2Query(request, allowed: ["groupId"])
        var object = try await bodyObject(request, context)
        let items = try Self.requiredItems(&object, allowed: ["data"])
        return items.enumerated().map { index, item in
            let path = "data[\(index)]"
            guard case .string(let text) = item.value else {
                let error = ConfigError(
                    location: item.location,
                    path: path,
                    message: "expected a device id, found \(item.kindName)"
                )
                return (path, .failure(error))
            }
            guard let id = DeviceID(hex: text) else {
                let message = "expected a device id of up to 8 hex digits, found '\(text)'"
                return (text, .failure(ConfigError(location: item.location, path: path, message: message)))
            }
            return (text, .success(id))
        }
    }

    /// `POST /devices/bulk/restart`: each device's sequence disengaged. Answers 201 with `jobId`.
    func restartDevices(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var outcome = DeviceBulkOutcome()
        let known = Set(configuration.scenario.devices.map(\.id))
        for (entity, item) in try await actionDevices(request, context) {
            switch item {
            case .failure(let error):
                outcome.failed(entity, error)
            case .success(let id) where !known.contains(id):
                outcome.failed(entity, ConfigError(location: nil, path: "id", message: "Unknown device \(id)"))
            case .success(let id):
                _ = try await control.disengage(.disengage(device: id))
                outcome.succeeded()
            }
        }
        let id = jobs.add(.deviceAction(.restart, outcome))
        return Self.created(request, StartedJob(jobId: id), id: id)
    }

    /// `POST /devices/bulk/suspend` and `.../resume`: each device's node changed by `transform`. Answers 201
    /// with `jobId`.
    func settingEach(
        _ request: Request,
        _ context: BasicRequestContext,
        _ action: DeviceAction,
        _ transform: @escaping (ConfigNode) -> ConfigNode
    ) async throws(APIError) -> JSONAnswer {
        let devices = try await actionDevices(request, context)
        let outcome = try await changingEach(devices) { document, id throws(ConfigError) in
            try Self.changingDevice(&document, id, transform)
        }
        let id = jobs.add(.deviceAction(action, outcome))
        return Self.created(request, StartedJob(jobId: id), id: id)
    }

    /// `POST /devices/bulk/unsubscribe` (`bulkUnsubscribe`): each device's `unsubscriptionTime` set. Answers
    /// 201 with `jobId`.
    func unsubscribeDevices(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        _ = try V2Query(request, allowed: ["groupId"])
        var object = try await bodyObject(request, context)
        let items = try Self.requiredItems(&object, allowed: ["data"])
        let prepared = items.enumerated().map { index, item in
            Self.bulkItem(item, "data[\(index)]") { object throws(ConfigError) in
                try object.rejectingUnknown(["id", "unsubscriptionTime"])
                return (try Self.requiredDeviceID(&object, "id"), try Self.unsubscriptionTime(&object))
            }
        }
        let outcome = try await changingEach(prepared) { document, item throws(ConfigError) in
            try Self.changingDevice(&document, item.0) {
                $0.setting("unsubscriptionTime", to: Self.epochSeconds(item.1))
            }
        }
        let id = jobs.add(.deviceAction(.unsubscribe, outcome))
        return Self.created(request, StartedJob(jobId: id), id: id)
    }

    /// `unsubscriptionTime`, required: epoch ms, 0 or more.
    static func unsubscriptionTime(_ object: inout ConfigObject) throws(ConfigError) -> Int64 {
        guard let value = try object.integer("unsubscriptionTime") else {
            throw ConfigError(
                location: nil,
                path: object.fieldPath("unsubscriptionTime"),
                message: "'unsubscriptionTime' is required (epoch ms)"
            )
        }
        guard (0...3_000_000_000_000_000).contains(value) else {
            throw object.error("unsubscriptionTime", "expected epoch milliseconds, 0 or more, found \(value)")
        }
        return Int64(value)
    }

    /// Epoch ms as the scenario writes a time: epoch seconds, with the milliseconds when there are some.
    static func epochSeconds(_ milliseconds: Int64) -> ConfigNode {
        let rest = milliseconds % 1000
        let fraction = rest == 0 ? "" : "." + String(String(rest + 1000).dropFirst())
        return ConfigNode(.number("\(milliseconds / 1000)" + fraction))
    }
}
