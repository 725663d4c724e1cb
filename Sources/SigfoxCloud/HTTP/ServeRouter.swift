import Hummingbird
import SigfoxEngine
import SigfoxModel

/// What serve's HTTP side is built from, besides the engine and its configuration.
struct HTTPSettings: Sendable {
    /// `real` or `scaled:N`, as `GET /health` says it.
    var time = "real"
    /// At most this many `/sim/events` readers at once (the try log counts as one).
    var maximumEventStreams = 100
    /// The API v2's HTTP Basic credentials.
    var credentials = APICredentials.defaults
    /// What the dashboard's pages authenticate with on `/v2` (never the API password).
    var dashboardToken = ""
    /// Replaces `{receiver}` in the callbacks the API v2 lists.
    var receiverURL = ""
    /// Host names accepted in the `Host` header besides IP addresses and `localhost` (`--allow-host`).
    var allowedHosts: [String] = []
    /// The API v2's documented rate limits (`--api-rate-limits`), nil when off.
    var rateLimiter: APIRateLimiter?
}

/// The whole router of `serve`: the request guard and the JSON errors, `/health`, `/metrics` and
/// `/openapi.json`, the control API, the API v2 and the dashboard. The server runs it; tests run it
/// without sockets (`app.test(.router)`).
func makeRouter(
    engine: LiveEngine,
    configuration: CloudConfiguration,
    settings: HTTPSettings,
    accepting: @escaping @Sendable () -> Bool = { true }
) -> Router<BasicRequestContext> {
    makeRouteTable(engine: engine, configuration: configuration, settings: settings, accepting: accepting).router
}

/// ``makeRouter(engine:configuration:settings:accepting:)``'s router with the routes it was given written
/// down (``RouteTable/registered``): the tests check them against the OpenAPI document.
func makeRouteTable(
    engine: LiveEngine,
    configuration: CloudConfiguration,
    settings: HTTPSettings,
    accepting: @escaping @Sendable () -> Bool = { true }
) -> RouteTable {
    let router = Router(context: BasicRequestContext.self)
    let table = RouteTable(router)
    router.add(middleware: RequestGuard(allowedHosts: settings.allowedHosts))
    router.add(middleware: EmptySegmentMiddleware())
    router.add(middleware: JSONErrorMiddleware(table: table))
    let control = ControlAPI(
        engine: engine,
        configuration: configuration,
        accepting: accepting,
        time: settings.time,
        maximumEventStreams: settings.maximumEventStreams
    )
    table.addRoutes(ServiceRoutes(engine: engine, time: settings.time).routes)
    control.addRoutes(to: table)
    APIv2(
        control: control,
        credentials: settings.credentials,
        dashboardToken: settings.dashboardToken,
        receiverURL: settings.receiverURL,
        rateLimiter: settings.rateLimiter
    )
    .addRoutes(to: table)
    Dashboard(control: control, token: settings.dashboardToken).addRoutes(to: table)
    return table
}

extension CloudServer {
    /// The router of this server (``makeRouter(engine:configuration:settings:accepting:)``).
    func makeRouter() -> Router<BasicRequestContext> { makeRouteTable().router }

    /// The router of this server, with its routes written down.
    func makeRouteTable() -> RouteTable {
        SigfoxCloud.makeRouteTable(
            engine: engine,
            configuration: configuration,
            settings: HTTPSettings(
                time: options.timeText,
                maximumEventStreams: options.limits.eventStreams + (options.tryLog == nil ? 0 : 1),
                credentials: options.credentials,
                dashboardToken: dashboardToken,
                receiverURL: receiverURL,
                // Under --https, code calling https://api.sigfox.com/v2 sends that Host.
                allowedHosts: options.allowedHosts + (tls == nil ? [] : ["api.sigfox.com"]),
                rateLimiter: rateLimiter
            ),
            accepting: { [self] in accepting.load(ordering: .relaxed) }
        )
    }
}

/// What a supervisor and a client ask of the service itself: `/health`, `/metrics` (Prometheus) and
/// `/openapi.json`.
struct ServiceRoutes: Sendable {
    let engine: LiveEngine
    let time: String

    var routes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("/health") { _, _ in health }
        routes.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: engine.metrics.text))
            )
        }
        routes.get("/openapi.json") { _, _ in JSONAnswer(text: OpenAPIDocument.json) }
        return routes
    }

    /// `GET /health`: 200 with the time mode and version, or 503 while the store cannot write.
    var health: JSONAnswer {
        if let problem = engine.store.health.problem {
            return JSONAnswer(
                status: .serviceUnavailable,
                Health(status: "unavailable", reason: "the store cannot write: \(problem)")
            )
        }
        return JSONAnswer(Health(status: "ok", time: time, version: ToolVersion.current))
    }

    struct Health: Encodable {
        var status: String
        var reason: String?
        var time: String?
        var version: String?
    }
}

/// An empty path segment (`/v2/device-types/{id}//callbacks-not-delivered`, as a published Python client
/// asks) is dropped before the routes are looked up, as the live API tolerates it (WIRE.md).
struct EmptySegmentMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // Only the path: a query's values (`?url=http://...`) stay as they came.
        let whole = request.head.path ?? ""
        let end = whole.firstIndex(of: "?") ?? whole.endIndex
        guard whole[..<end].contains("//") else { return try await next(request, context) }
        var collapsed = String(whole[..<end])
        while collapsed.contains("//") { collapsed = collapsed.replacingOccurrences(of: "//", with: "/") }
        var head = request.head
        head.path = collapsed + whole[end...]
        return try await next(Request(head: head, body: request.body), context)
    }
}

/// The router behind the `--https` listener: every request gets the scheme `https` (Hummingbird's HTTP/1
/// codec writes `http` whatever the connection), so the absolute URLs the API v2 answers with (`paging.next`,
/// `Location`) send a client back over TLS (``Request/origin``).
struct SchemeResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    let inner: Inner
    let scheme: String

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var head = request.head
        head.scheme = scheme
        return try await inner.respond(to: Request(head: head, body: request.body), context: context)
    }
}
