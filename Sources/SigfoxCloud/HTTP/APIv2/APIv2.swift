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
    /// `--api-rate-limits`: the documented limits, counted (nil: no limit).
    var rateLimiter: APIRateLimiter?
    /// The asynchronous jobs (bulk coverage predictions, KMZ layers) of issue 28's contract/coverage part.
    let jobs = APIv2Jobs()

    var engine: LiveEngine { control.engine }
    var configuration: CloudConfiguration { control.configuration }

    /// Adds `/v2/...` to `router`, behind HTTP Basic authentication; errors are answered in the API v2's
    /// bodies (``APIError/Dialect/apiV2``).
    func addRoutes(to router: RouteTable) {
        let v2 = router.group("v2")
            .add(
                middleware: BasicAuthMiddleware(
                    credentials: credentials,
                    dashboardToken: dashboardToken,
                    apiUsers: { configuration.document.identity.apiUsers }
                )
            )
            .add(middleware: APIv2ErrorMiddleware())
        if let rateLimiter { v2.add(middleware: APIRateLimitMiddleware(limiter: rateLimiter)) }
        for collection in [deviceTypeRoutes, callbackRoutes, deviceRoutes, deviceReadRoutes, messageRoutes] {
            v2.addRoutes(collection)
        }
        // Bulk operations on devices, suspension and unsubscription.
        for collection in [deviceBulkRoutes, deviceActionRoutes] {
            v2.addRoutes(collection)
        }
        // Identity: groups, profiles, API users, users (issue 28).
        for collection in [groupRoutes, apiUserRoutes, userRoutes] {
            v2.addRoutes(collection)
        }
        // Contracts, operators, coverages and tiles (issue 28).
        for collection in [contractInfoRoutes, operatorRoutes, coverageRoutes, tileRoutes] {
            v2.addRoutes(collection)
        }
    }

    // MARK: Shared pieces

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

    static func json(_ status: Int, _ body: String) -> JSONAnswer {
        JSONAnswer(status: HTTPResponse.Status(code: status), text: body)
    }
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
/// password is never written into a page. An API user created through `/v2/api-users` logs in with its
/// id and access token; one whose profiles give no write right gets 403 on POST, PUT and DELETE.
struct BasicAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let credentials: APICredentials
    let dashboardToken: String
    /// The API users of the configuration now.
    var apiUsers: @Sendable () -> [IdentityAPIUser] = { [] }
    static let dashboardHeader = HTTPField.Name("X-Sigfox-Sim-Dashboard")!

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let expected = "Basic " + Data("\(credentials.login):\(credentials.password)".utf8).base64EncodedString()
        if request.headers[.authorization] == expected || request.headers[Self.dashboardHeader] == dashboardToken {
            return try await next(request, context)
        }
        if let user = APIUserLogin(request.headers[.authorization]).flatMap({ $0.user(among: apiUsers()) }) {
            guard user.canWrite || [.get, .head, .options].contains(request.method) else {
                var error = APIError(status: 403, message: APIUserLogin.forbidden(user))
                error.dialect = .apiV2
                return error.response()
            }
            return try await next(request, context)
        }
        var error = APIError(
            status: 401,
            message: "Unauthorized: give the API login and password with HTTP Basic authentication"
        )
        error.dialect = .apiV2
        var response = error.response()
        response.headers[.wwwAuthenticate] = "Basic realm=\"sigfox-sim\""
        return response
    }
}

extension Request {
    /// `scheme://host` of what the client called: its `Host` (`api.sigfox.com` through `--https`, the address
    /// it used otherwise) and `https` on the TLS listener (``SchemeResponder``), `http` on the plain one.
    var origin: String {
        (head.scheme ?? "http") + "://" + (head.authority ?? "127.0.0.1")
    }

    /// The absolute URL of `path` with `query` (percent-encoded values) where the client called: what
    /// `paging.next` and a 201's `Location` give, so a client following one comes back here (WIRE.md: the live
    /// API's `paging.next` is absolute).
    func absoluteURL(_ path: String, query: [(key: String, value: String)] = []) -> String {
        let text = query.map { "\($0.key)=\(RecordQueries.percentEncoded($0.value))" }.joined(separator: "&")
        return origin + path + (text.isEmpty ? "" : "?" + text)
    }
}

/// The API v2's errors: a 400 names where (`body`, `query`, `path`) and which field.
enum V2Error {
    static func invalid(_ type: String, _ field: String, _ message: String) -> APIError {
        APIError(status: 400, message: message, field: type + ":" + field)
    }
}

/// Answers the ``APIError``s of `/v2` in the API v2 reference's bodies (`ErrorContent` for 400).
struct APIv2ErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error.inAPIv2()
        }
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

    /// A boolean parameter: `true` or `false`, and `True` or `False` as clients generated from the Swagger
    /// in Python send them (WIRE.md); nil when absent; anything else is a 400 naming it.
    func bool(_ name: String) throws(APIError) -> Bool? {
        guard let text = values[name] else { return nil }
        switch text {
        case "true", "True": return true
        case "false", "False": return false
        default: throw V2Error.invalid("query", name, "expected true or false, found '\(text)'")
        }
    }

    var limit: Int { values["limit"].flatMap(Int.init) ?? 100 }
    var offset: Int { values["offset"].flatMap(Int.init) ?? 0 }
    var since: Int64? { values["since"].flatMap(Int64.init) }
    var before: Int64? { values["before"].flatMap(Int64.init) }

    /// The store's page: `since`, `before`, `limit`, `offset`.
    var page: StorePage { StorePage(since: since, before: before, limit: limit, offset: offset) }

    /// `paging` (`{"next": URL}`) when there is more than this page: the next `offset`.
    func nextPage(_ request: Request, more: Bool) -> Paging? {
        guard more else { return nil }
        var parameters = values.filter { $0.key != "offset" }.sorted { $0.key < $1.key }
        parameters.append(("offset", String(offset + limit)))
        return Paging(next: request.absoluteURL(request.uri.path, query: parameters))
    }

    /// `paging` of a listing of messages when there is more than this page: `limit`, the other parameters
    /// but `offset`, and `before` the time (ms) of the page's last item, as the live API pages them
    /// (`.../messages?limit=100&before=1634045666000`, WIRE.md).
    func nextPage(_ request: Request, before time: Int64?, more: Bool) -> Paging? {
        guard more, let time else { return nil }
        let kept = values.filter { !["limit", "offset", "before"].contains($0.key) }.sorted { $0.key < $1.key }
        let parameters = [("limit", String(limit))] + kept + [("before", String(time))]
        return Paging(next: request.absoluteURL(request.uri.path, query: parameters))
    }

    /// A page of `items` as the live API lists them: ``Listing/v2(_:next:)``, `paging.next` when there is `more`.
    func listing<Item: Encodable>(_ items: [Item], _ request: Request, more: Bool) -> JSONAnswer {
        JSONAnswer(Listing.v2(items, next: nextPage(request, more: more)))
    }

    /// The page `offset` and `limit` ask for of all of `items`, listed as ``listing(_:_:more:)`` lists it.
    func listing<Item: Encodable>(ofAll items: [Item], _ request: Request) -> JSONAnswer {
        listing(Array(items.dropFirst(offset).prefix(limit)), request, more: items.count > offset + limit)
    }
}
