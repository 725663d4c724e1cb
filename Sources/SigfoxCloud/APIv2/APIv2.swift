import Foundation
import HTTPTypes
import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// The Sigfox API v2 on `serve` (`/v2/...`), after `../shared/reference/sigfox-api-v2.json`: device types,
/// their callbacks, devices, messages and the callbacks not delivered, behind HTTP Basic authentication.
/// It works on the same configuration document and store as the control API: a change takes effect for
/// the next message.
struct APIv2: Sendable {
    let control: ControlAPI
    let credentials: APICredentials
    /// The dashboard's own token (``DashboardToken``), accepted instead of the credentials.
    let dashboardToken: String
    /// Replaces `{receiver}` in the callbacks listed.
    let receiverURL: String

    var engine: LiveEngine { control.engine }
    var configuration: CloudConfiguration { control.configuration }

    func register(on router: RouteTable) {
        let v2 = router.group("v2").add(
            middleware: BasicAuthMiddleware(credentials: credentials, dashboardToken: dashboardToken)
        )
        // Device types.
        v2.get("device-types") { request, _ in try await run { () throws(APIError) in try listDeviceTypes(request) } }
        v2.post("device-types") { request, context in
            try await run { () async throws(APIError) in try await createDeviceType(request, context) }
        }
        v2.get("device-types/:id") { _, context in
            try await run { () throws(APIError) in try getDeviceType(context.parameters.get("id") ?? "") }
        }
        v2.put("device-types/:id") { request, context in
            try await run { () async throws(APIError) in try await updateDeviceType(request, context) }
        }
        v2.delete("device-types/:id") { _, context in
            try await run { () async throws(APIError) in
                let id = try typeID(context)
                _ = try await control.reconfigure { document throws(ConfigError) in try document.removingDeviceType(id)
                }
                return ControlAPI.noContent()
            }
        }
        v2.get("device-types/:id/messages") { request, context in
            try await run { () throws(APIError) in try messages(request, deviceType: try typeID(context)) }
        }
        // Callbacks.
        v2.get("device-types/:id/callbacks") { _, context in
            try await run { () throws(APIError) in try listCallbacks(try typeID(context)) }
        }
        v2.post("device-types/:id/callbacks") { request, context in
            try await run { () async throws(APIError) in try await createCallback(request, context) }
        }
        v2.put("device-types/:id/callbacks/:callbackId") { request, context in
            try await run { () async throws(APIError) in try await updateCallback(request, context) }
        }
        v2.delete("device-types/:id/callbacks/:callbackId") { _, context in
            try await run { () async throws(APIError) in
                let (type, callback) = try callbackPath(context)
                _ = try await control.reconfigure { document throws(ConfigError) in
                    try document.changingCallback(type, callback) { _ throws(ConfigError) in nil }
                }
                return ControlAPI.noContent()
            }
        }
        v2.put("device-types/:id/callbacks/:callbackId/enable") { request, context in
            try await run { () async throws(APIError) in
                let (type, callback) = try callbackPath(context)
                let query = try V2Query(request, allowed: ["enabled"])
                guard let text = query.values["enabled"], let enabled = Bool(text) else {
                    throw V2Error.invalid("query", "enabled", "expected true or false")
                }
                _ = try await control.reconfigure { document throws(ConfigError) in
                    try document.changingCallback(type, callback) { node throws(ConfigError) in
                        node.setting("enabled", to: ConfigNode(.bool(enabled)))
                    }
                }
                return ControlAPI.noContent()
            }
        }
        v2.put("device-types/:id/callbacks/:callbackId/downlink") { _, context in
            try await run { () async throws(APIError) in
                let (type, callback) = try callbackPath(context)
                _ = try await control.reconfigure { document throws(ConfigError) in
                    try document.selectingDownlinkCallback(type, callback)
                }
                return ControlAPI.noContent()
            }
        }
        v2.get("device-types/:id/callbacks-not-delivered") { request, context in
            try await run { () throws(APIError) in try notDelivered(request, deviceType: try typeID(context)) }
        }
        v2.get("device-types/:id/callbacks/:callbackId/callbacks-not-delivered") { request, context in
            try await run { () throws(APIError) in try lastCallbackError(request, context) }
        }
        // Devices.
        v2.get("devices") { request, _ in try await run { () throws(APIError) in try listDevices(request) } }
        v2.post("devices") { request, context in
            try await run { () async throws(APIError) in try await createDevice(request, context) }
        }
        v2.get("devices/:id") { _, context in
            try await run { () throws(APIError) in try getDevice(try deviceID(context)) }
        }
        v2.put("devices/:id") { request, context in
            try await run { () async throws(APIError) in try await updateDevice(request, context) }
        }
        v2.delete("devices/:id") { _, context in
            try await run { () async throws(APIError) in
                let id = try deviceID(context)
                _ = try await control.reconfigure { document throws(ConfigError) in
                    try document.changingDevice(id) { _ throws(ConfigError) in nil }
                }
                return ControlAPI.noContent()
            }
        }
        v2.get("devices/:id/messages") { request, context in
            try await run { () throws(APIError) in try messages(request, device: try deviceID(context)) }
        }
        v2.get("devices/:id/messages/metric") { _, context in
            try await run { () throws(APIError) in try metric(try deviceID(context)) }
        }
        v2.get("devices/:id/callbacks-not-delivered") { request, context in
            try await run { () throws(APIError) in try notDelivered(request, device: try deviceID(context)) }
        }
        // Named by SIGFOX.md section 8 (not in the reference description): the next message of the device, or
        // of every device of the type, is taken whatever its sequence number.
        v2.post("devices/:id/disengage") { _, context in
            try await run { () async throws(APIError) in
                try await control.disengage(.disengage(device: try deviceID(context)))
            }
        }
        v2.put("device-types/:id/disengage") { _, context in
            try await run { () async throws(APIError) in
                let id = try typeID(context)
                return try await control.disengage(.disengageType(DeviceTypeID(id)!))
            }
        }
    }

    // MARK: Shared pieces

    /// Runs a handler; an ``APIError`` becomes the API v2 error answer (SIGFOX.md section 7, the reference's
    /// `ErrorContent` for 400, `{"message"}` otherwise).
    func run(_ body: () async throws(APIError) -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            return ControlAPI.json(error.status, V2Error.body(error))
        }
    }

    func typeID(_ context: BasicRequestContext) throws(APIError) -> String {
        let id = (context.parameters.get("id") ?? "").lowercased()
        guard configuration.document.deviceTypes.contains(where: { $0["id"]?.scalarText == id }) else {
            throw APIError(status: 404, message: "The requested resource was not found: no device type '\(id)'")
        }
        return id
    }

    func callbackPath(_ context: BasicRequestContext) throws(APIError) -> (String, String) {
        let type = try typeID(context)
        let callback = context.parameters.get("callbackId") ?? ""
        let callbacks = configuration.document.deviceTypeNode(type)?["callbacks"]?.items ?? []
        guard callbacks.contains(where: { $0["id"]?.scalarText == callback }) else {
            throw APIError(status: 404, message: "The requested resource was not found: no callback '\(callback)'")
        }
        return (type, callback)
    }

    func deviceID(_ context: BasicRequestContext) throws(APIError) -> DeviceID {
        let text = context.parameters.get("id") ?? ""
        guard let id = DeviceID(hex: text), configuration.scenario.devices.contains(where: { $0.id == id }) else {
            throw APIError(status: 404, message: "The requested resource was not found: no device '\(text)'")
        }
        return id
    }

    /// A JSON object body, read as the scenario loader reads fields.
    func bodyObject(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> ConfigObject {
        do {
            return try ConfigObject(try await ControlAPI.body(request, context: context), path: "")
        } catch let error as APIError {
            throw error
        } catch let error as ConfigError {
            throw APIError(error)
        } catch {
            throw APIError(status: 400, message: "\(error)")
        }
    }

    static func json(_ status: Int, _ body: String) -> Response { ControlAPI.json(status, body) }
}

/// The API's login and password (`--api-login`, `--api-password`).
public struct APICredentials: Sendable, Equatable {
    public var login: String
    public var password: String

    public init(login: String, password: String) {
        self.login = login
        self.password = password
    }

    /// **Emulator rule:** without `--api-login` / `--api-password` (or `SIGFOX_SIM_API_LOGIN` /
    /// `SIGFOX_SIM_API_PASSWORD`) the credentials are these, printed at start.
    public static let defaults = APICredentials(login: "sigfox-sim", password: "sigfox-sim")
}

/// HTTP Basic authentication for `/v2`: every request without the right credentials is 401. The
/// dashboard's pages authenticate with their own token instead (`X-Sigfox-Sim-Dashboard`), so the API
/// password is never written into a page.
struct BasicAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let credentials: APICredentials
    let dashboardToken: String
    static let dashboardHeader = HTTPField.Name("X-Sigfox-Sim-Dashboard")!

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let expected = "Basic " + Data("\(credentials.login):\(credentials.password)".utf8).base64EncodedString()
        guard request.headers[.authorization] == expected || request.headers[Self.dashboardHeader] == dashboardToken
        else {
            var response = ControlAPI.json(
                401,
                "{\"message\":\"Unauthorized: give the API login and password with HTTP Basic authentication\"}"
            )
            response.headers[.wwwAuthenticate] = "Basic realm=\"sigfox-sim\""
            return response
        }
        return try await next(request, context)
    }
}

/// The error bodies of the API v2 reference.
enum V2Error {
    /// A 400 naming where (`body`, `query`, `path`) and which field.
    static func invalid(_ type: String, _ field: String, _ message: String) -> APIError {
        APIError(status: 400, message: message, field: type + ":" + field)
    }

    /// `ErrorContent` (`message`, `errors[{type, field, message}]`) for 400; `{"message"}` otherwise.
    static func body(_ error: APIError) -> String {
        guard error.status == 400 else { return "{\"message\":" + JSONText.quoted(error.message) + "}" }
        var type = "body"
        var field = error.field ?? ""
        if let colon = field.firstIndex(of: ":"), ["body", "query", "path"].contains(String(field[..<colon])) {
            type = String(field[..<colon])
            field = String(field[field.index(after: colon)...])
        }
        var message = error.message
        if let location = error.location { message += " (line \(location.line), column \(location.column))" }
        return "{\"message\":\"bad request\",\"errors\":[{\"type\":" + JSONText.quoted(type) + ",\"field\":"
            + JSONText.quoted(field) + ",\"message\":" + JSONText.quoted(message) + "}]}"
    }
}

/// The query of an API v2 listing: `limit` 1..100 (default 100), `offset`, `since` and `before` in ms.
/// Parameters the reference lists but the emulator does not use (`fields`, `sort`, `groupIds`, ...) are
/// accepted and ignored.
struct V2Query {
    var values: [String: String] = [:]

    init(_ request: Request, allowed: [String]) throws(APIError) {
        for (key, value) in ControlAPI.query(request) where allowed.contains(key) { values[key] = value }
        if let text = values["limit"] {
            guard let limit = Int(text), (1...100).contains(limit) else {
                throw V2Error.invalid("query", "limit", "expected a whole number in 1...100, found '\(text)'")
            }
        }
        for name in ["offset", "since", "before"] {
            if let text = values[name] {
                guard let value = Int64(text), value >= 0 else {
                    throw V2Error.invalid("query", name, "expected a whole number 0 or more, found '\(text)'")
                }
            }
        }
    }

    var limit: Int { values["limit"].flatMap(Int.init) ?? 100 }
    var offset: Int { values["offset"].flatMap(Int.init) ?? 0 }
    var since: Int64? { values["since"].flatMap(Int64.init) }
    var before: Int64? { values["before"].flatMap(Int64.init) }

    /// `"paging": {"next": URL}` when there is more than this page.
    func paging(_ request: Request, more: Bool) -> String {
        guard more else { return "" }
        var parameters = values.filter { $0.key != "offset" }.sorted { $0.key < $1.key }
        parameters.append(("offset", String(offset + limit)))
        let query = parameters.map { "\($0.key)=\(RecordQueries.percentEncoded($0.value))" }.joined(separator: "&")
        let host = request.head.authority ?? "127.0.0.1"
        return ",\"paging\":{\"next\":" + JSONText.quoted("http://\(host)\(request.uri.path)?\(query)") + "}"
    }
}
