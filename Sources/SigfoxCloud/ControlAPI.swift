import Foundation
import GRDB
import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Synchronization

/// sigfox-sim's own control API (`/sim/...`), `/health` and `/metrics`: JSON over HTTP, documented in the
/// README with a `curl` example each. Bad input gets a 4xx whose body names the field; nothing here
/// touches the engine's state but through its command inbox.
struct ControlAPI: Sendable {
    let engine: LiveEngine
    let configuration: CloudConfiguration
    /// False once a shutdown began: new work is refused with 503.
    let accepting: @Sendable () -> Bool
    /// `real` or `scaled:N`: `GET /health` says it, so a client can tell how long callbacks take.
    var time = "real"
    /// At most this many `/sim/events` readers at once (the try log counts as one).
    var maximumEventStreams = 100
    static let maximumBody = 1 << 20

    func register(on router: RouteTable) {
        router.get("/health") { _, _ in
            if let problem = engine.store.health.problem {
                return Self.json(
                    503,
                    "{\"status\":\"unavailable\",\"reason\":" + JSONText.quoted("the store cannot write: \(problem)")
                        + "}"
                )
            }
            return Self.json(
                200,
                "{\"status\":\"ok\",\"time\":" + JSONText.quoted(time) + ",\"version\":"
                    + JSONText.quoted(ToolVersion.current) + "}"
            )
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: engine.metrics.text))
            )
        }
        let sim = router.group("sim")
        sim.post("devices/:id/uplinks") { request, context in
            try await answer { () async throws(APIError) -> Response in
                try await uplink(request, device: try deviceID(context), context: context)
            }
        }
        sim.post("devices/:id/status") { request, context in
            try await answer { () async throws(APIError) -> Response in
                try await status(request, device: try deviceID(context), context: context)
            }
        }
        sim.post("base-stations/:id/down") { _, context in
            try await answer { () async throws(APIError) -> Response in try await station(context, up: false) }
        }
        sim.post("base-stations/:id/up") { _, context in
            try await answer { () async throws(APIError) -> Response in try await station(context, up: true) }
        }
        sim.get("device-types") { _, _ in
            Self.json(200, "{\"data\":" + ConfigNode(.array(configuration.document.deviceTypes)).jsonText + "}")
        }
        sim.post("device-types") { request, context in
            try await answer { () async throws(APIError) -> Response in
                let node = try await Self.body(request, context: context)
                let id = try await reconfigure { document throws(ConfigError) in try document.addingDeviceType(node) }
                return Self.json(201, "{\"id\":" + JSONText.quoted(id.description) + "}")
            }
        }
        sim.post("device-types/:id/callbacks") { request, context in
            try await answer { () async throws(APIError) -> Response in
                let type = context.parameters.get("id") ?? ""
                let node = try await Self.body(request, context: context)
                let index = try await reconfigure { document throws(ConfigError) in
                    try document.addingCallback(node, to: type)
                }
                return Self.json(201, "{\"index\":\(index)}")
            }
        }
        sim.post("device-types/:id/events") { request, context in
            try await answer { () async throws(APIError) -> Response in
                let type = context.parameters.get("id") ?? ""
                let node = try await Self.body(request, context: context)
                let index = try await reconfigure { document throws(ConfigError) in
                    try document.addingCallback(node, to: type, list: "events")
                }
                return Self.json(201, "{\"index\":\(index)}")
            }
        }
        sim.post("devices/:id/lifecycle") { request, context in
            try await answer { () async throws(APIError) -> Response in
                try await lifecycle(request, device: try deviceID(context), context: context)
            }
        }
        sim.post("network") { request, context in
            try await answer { () async throws(APIError) -> Response in
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
                let result = await engine.perform { reply in
                    .network(downlinkFailure: failure, failNextDownlink: device, reply: reply)
                }
                return Self.json(200, try result.get())
            }
        }
        sim.get("devices") { _, _ in
            Self.json(200, "{\"data\":" + ConfigNode(.array(configuration.document.devices)).jsonText + "}")
        }
        sim.post("devices") { request, context in
            try await answer { () async throws(APIError) -> Response in
                let node = try await Self.body(request, context: context)
                let id = try await reconfigure { document throws(ConfigError) in try document.addingDevice(node) }
                // No silent loss: a device no station can hear is said at once.
                let warning =
                    configuration.scenario.unreachableDevices(sendersOnly: false)
                    .first { $0.device == id }.map {
                        ",\"warning\":" + JSONText.quoted("device \(id) is \($0.explanation): its uplinks will be lost")
                    } ?? ""
                return Self.json(201, "{\"id\":" + JSONText.quoted(id.description) + warning + "}")
            }
        }
        sim.delete("devices/:id") { _, context in
            try await answer { () async throws(APIError) -> Response in
                let id = try deviceID(context)
                guard configuration.scenario.devices.contains(where: { $0.id == id }) else {
                    throw APIError(status: 404, message: "no device \(id)", field: "id")
                }
                _ = try await reconfigure { document throws(ConfigError) in (try document.removingDevice(id), 0) }
                return ControlAPI.noContent()
            }
        }
        sim.get("messages") { request, _ in
            try await answer { () async throws(APIError) -> Response in
                Self.json(200, try RecordQueries(reading: engine).messages(Self.query(request)))
            }
        }
        sim.get("attempts") { request, _ in
            try await answer { () async throws(APIError) -> Response in
                Self.json(200, try RecordQueries(store: engine.store).attempts(Self.query(request)))
            }
        }
        sim.post("attempts/:id/resend") { _, context in
            try await answer { () async throws(APIError) -> Response in
                try checkAccepting()
                let text = context.parameters.get("id") ?? ""
                guard let id = Int64(text) else {
                    throw APIError(
                        status: 400,
                        message: "expected a try's id (a whole number), found '\(text)'",
                        field: "id"
                    )
                }
                let row = try? engine.store.read { db in
                    try Row.fetchOne(db, sql: "SELECT * FROM attempt WHERE id = ?", arguments: [id])
                }
                guard let row = row ?? nil else { throw APIError(status: 404, message: "no try \(id)", field: "id") }
                guard let template = PersistedDelivery.resendTemplate(row) else {
                    throw APIError(
                        status: 400,
                        message: "try \(id) sent no request (it could not be rendered)",
                        field: "id"
                    )
                }
                let result = await engine.perform { reply in .resend(template, from: id, reply: reply) }
                return Self.json(201, try result.get())
            }
        }
        sim.get("events") { request, _ in
            try await answer { () async throws(APIError) -> Response in try events(request) }
        }
        sim.get("scenario") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json", .contentDisposition: "inline; filename=\"scenario.json\""],
                body: .init(byteBuffer: ByteBuffer(string: configuration.document.jsonText + "\n"))
            )
        }
        sim.post("reset") { _, _ in
            try await answer { () async throws(APIError) -> Response in
                try checkAccepting()
                let result = await withCheckedContinuation {
                    (continuation: CheckedContinuation<Result<String, APIError>, Never>) in
                    do throws(APIError) {
                        try configuration.reset { document, scenario in
                            engine.inbox.post(.reset(document, scenario, reply: { continuation.resume(returning: $0) }))
                        }
                        engine.wakeEngine()
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
                return Self.json(200, try result.get())
            }
        }
    }

    // MARK: Handlers

    private func uplink(
        _ request: Request,
        device: DeviceID,
        context: BasicRequestContext
    ) async throws(APIError)
        -> Response
    {
        try checkAccepting()
        var object = try Self.object(await Self.body(request, context: context))
        let payload: [UInt8]
        do {
            let hex = try object.string("payload")
            let encode = object.node("encode")
            let ack = try object.bool("ack") ?? false
            let frames = try object.integer("frames")
            try object.rejectUnknownFields(allowed: ["payload", "encode", "ack", "frames"])
            switch (hex, encode) {
            case (let hex?, nil):
                do {
                    payload = try Hex.bytes(from: hex)
                } catch {
                    throw object.error(
                        "payload",
                        "expected hex digits in pairs (0 to 12 bytes, e.g. ff3842), found '\(hex)'"
                    )
                }
            case (nil, let encode?):
                payload = try encoded(encode, device: device)
            case (nil, nil):
                throw ConfigError(
                    location: nil,
                    path: "payload",
                    message: "missing 'payload' (hex) or 'encode' (field values)"
                )
            case (.some, .some):
                throw object.error("encode", "give either 'payload' or 'encode', not both")
            }
            if let frames, frames != 1 && frames != 3 { throw object.error("frames", "must be 1 or 3") }
            guard payload.count <= Uplink.maximumPayload else {
                throw object.error("payload", "the payload has \(payload.count) bytes; an uplink carries at most 12")
            }
            let uplink = Uplink(device: device, payload: payload, ack: ack, frames: frames)
            let result = await engine.perform { reply in .uplink(uplink, reply: reply) }
            return Self.json(201, try result.get())
        } catch let error as ConfigError {
            throw APIError(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(status: 500, message: "\(error)")
        }
    }

    /// `POST /sim/devices/{id}/lifecycle`: a sequence change, disengage, contract end or renewal, now.
    private func lifecycle(
        _ request: Request,
        device: DeviceID,
        context: BasicRequestContext
    ) async throws(APIError) -> Response {
        try checkAccepting()
        let node = try await Self.body(request, context: context)
        let scenario = configuration.scenario
        guard scenario.devices.contains(where: { $0.id == device }) else {
            throw APIError(status: 404, message: "no device \(device)", field: "id")
        }
        let now = SimulationTime.wallClock
        let kind: ScheduledEvent.Kind
        do throws(ConfigError) {
            kind = try Scenario.lifecycleChange(node, device: device, in: scenario, at: now)
        } catch {
            throw APIError(error)
        }
        let result = await engine.perform { reply in .lifecycle(kind, reply: reply) }
        return Self.json(200, try result.get())
    }

    /// Disengages a device's sequence, or every device of a type (`POST /v2/devices/{id}/disengage`,
    /// `PUT /v2/device-types/{id}/disengage`).
    func disengage(_ kind: ScheduledEvent.Kind) async throws(APIError) -> Response {
        try checkAccepting()
        let result = await engine.perform { reply in .lifecycle(kind, reply: reply) }
        _ = try result.get()
        return Self.noContent()
    }

    private func encoded(_ node: ConfigNode, device: DeviceID) throws(ConfigError) -> [UInt8] {
        let scenario = configuration.scenario
        guard let type = scenario.devices.first(where: { $0.id == device })?.deviceType,
            let text = scenario.deviceTypes.first(where: { $0.type.id == type })?.type.payloadConfig,
            let config = try? PayloadConfig(parsing: text)
        else {
            throw ConfigError(
                location: node.location,
                path: "encode",
                message: "device \(device)'s type has no payloadConfig to encode with"
            )
        }
        var values = [(name: String, value: GeneratedValue)]()
        for entry in node.entries ?? [] {
            switch entry.node.value {
            case .number(let text):
                guard let number = Double(text), number.isFinite else {
                    throw ConfigError(
                        location: entry.node.location,
                        path: "encode." + entry.key,
                        message: "not a finite number"
                    )
                }
                values.append((entry.key, .number(number)))
            case .bool(let flag): values.append((entry.key, .bool(flag)))
            case .string(let text): values.append((entry.key, .text(text)))
            default:
                throw ConfigError(
                    location: entry.node.location,
                    path: "encode." + entry.key,
                    message: "expected a number, a boolean or a text"
                )
            }
        }
        do {
            return try config.encodePayload(values)
        } catch {
            throw ConfigError(
                location: node.location,
                path: error.field.isEmpty ? "encode" : "encode." + error.field,
                message: error.reason + " (payloadConfig '\(text)')"
            )
        }
    }

    private func status(
        _ request: Request,
        device: DeviceID,
        context: BasicRequestContext
    ) async throws(APIError)
        -> Response
    {
        try checkAccepting()
        var object = try Self.object(await Self.body(request, context: context))
        do {
            let temperature = try object.double("temp") ?? 20
            let battery = try object.double("batt") ?? 3.6
            try object.rejectUnknownFields(allowed: ["temp", "batt"])
            guard temperature.isFinite, (-100...200).contains(temperature) else {
                throw object.error("temp", "expected a temperature in °C between -100 and 200")
            }
            guard battery.isFinite, (0...100).contains(battery) else {
                throw object.error("batt", "expected a battery voltage between 0 and 100")
            }
            let result = await engine.perform { reply in
                .status(device, temperature: temperature, battery: battery, reply: reply)
            }
            return Self.json(201, try result.get())
        } catch let error as ConfigError {
            throw APIError(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(status: 500, message: "\(error)")
        }
    }

    private func station(_ context: BasicRequestContext, up: Bool) async throws(APIError) -> Response {
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
        let result = await engine.perform { reply in .station(id, up: up, reply: reply) }
        return Self.json(200, try result.get())
    }

    /// Checks a configuration change and waits until the engine applied it.
    func reconfigure<T: Sendable>(
        _ change: (CloudDocument) throws(ConfigError) -> (CloudDocument, T)
    ) async throws(APIError) -> T {
        try checkAccepting()
        let outcome = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<T, APIError>, Never>) in
            // The change's own result, set before the engine can answer.
            let value = Mutex<T?>(nil)
            do throws(APIError) {
                _ = try configuration.change(
                    { document throws(ConfigError) in
                        let changed = try change(document)
                        value.withLock { $0 = changed.1 }
                        return changed
                    },
                    post: { document, scenario in
                        engine.inbox.post(
                            .configure(
                                document,
                                scenario,
                                reply: { result in
                                    continuation.resume(returning: result.map { _ in value.withLock { $0! } })
                                }
                            )
                        )
                    }
                )
            } catch {
                continuation.resume(returning: .failure(error))
            }
            engine.wakeEngine()
        }
        return try outcome.get()
    }

    func checkAccepting() throws(APIError) {
        guard accepting() else {
            throw APIError(status: 503, message: "sigfox-sim serve is shutting down")
        }
        if let problem = engine.store.health.problem {
            throw APIError(
                status: 503,
                message: "the store cannot write (\(problem)): uplinks are refused until it can; it resumes by itself"
            )
        }
    }

    private func deviceID(_ context: BasicRequestContext) throws(APIError) -> DeviceID {
        let text = context.parameters.get("id") ?? ""
        guard let id = DeviceID(hex: text) else {
            throw APIError(
                status: 400,
                message: "expected a device id of up to 8 hex digits, found '\(text)'",
                field: "id"
            )
        }
        return id
    }

    // MARK: Helpers

    /// Runs a handler, turning its ``APIError`` into the JSON error answer.
    func answer(_ body: () async throws(APIError) -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            return Self.json(error.status, error.json)
        }
    }

    /// The query string's parameters, decoded, in order.
    static func query(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    /// 204, with the JSON content type every answer of these APIs has (the document names no other).
    static func noContent() -> Response {
        Response(status: .noContent, headers: [.contentType: "application/json"])
    }

    static func json(_ status: Int, _ body: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }

    /// The request's JSON body, parsed; errors name the line and column.
    static func body(_ request: Request, context: BasicRequestContext) async throws(APIError) -> ConfigNode {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBody)
        } catch {
            throw APIError(status: 413, message: "the request body is larger than \(maximumBody) bytes")
        }
        let text = String(buffer: buffer)
        guard !text.allSatisfy(\.isWhitespace) else { throw APIError.badRequest("expected a JSON object in the body") }
        do {
            return try ConfigDocument.parse(text, file: nil, syntax: .json)
        } catch {
            throw APIError(
                status: 400,
                message: "the body is not valid JSON: " + error.message,
                location: error.location
            )
        }
    }

    static func object(_ node: ConfigNode) throws(APIError) -> ConfigObject {
        do {
            return try ConfigObject(node, path: "")
        } catch {
            throw APIError(error)
        }
    }
}
