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
