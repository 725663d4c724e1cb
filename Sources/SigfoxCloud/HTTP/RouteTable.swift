import Hummingbird
import SigfoxModel
import Synchronization

/// The router, with every route it is given written down, so that a path served with other methods
/// answers 405 with `allowedMethods` (the API v2 reference's error) instead of 404.
///
/// `@unchecked Sendable`: `router` is used only while routes are registered, before the server starts;
/// afterwards only the locked table is read.
final class RouteTable: RouterMethods, @unchecked Sendable {
    typealias Context = BasicRequestContext
    let router: Router<BasicRequestContext>
    private let routes = Mutex<[(segments: [String], method: String)]>([])

    init(_ router: Router<BasicRequestContext>) {
        self.router = router
    }

    @discardableResult
    func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self
    where Responder.Context == Context {
        routes.withLock { $0.append((Self.segments(path.description), method.rawValue)) }
        router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult
    func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }

    /// The methods served on `path` (parameters match any segment), in the order registered.
    func methods(for path: String) -> [String] {
        let wanted = Self.segments(path)
        return routes.withLock { routes in
            var found = [String]()
            for route in routes where route.segments.count == wanted.count {
                let matches = zip(route.segments, wanted).allSatisfy {
                    $0.hasPrefix(":") || $0.hasPrefix("{") || $0 == $1
                }
                if matches, !found.contains(route.method) { found.append(route.method) }
            }
            return found
        }
    }

    /// Every route given, in the order registered: the method and the path (`/sim/devices/:id`).
    var registered: [(method: String, path: String)] {
        routes.withLock { routes in routes.map { ($0.method, "/" + $0.segments.joined(separator: "/")) } }
    }

    static func segments(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init)
    }
}

/// Errors the router raises itself (no route, wrong method, body too large) answered as JSON: a path that
/// exists with other methods is 405 `{"message", "allowedMethods"}`.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let table: RouteTable

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            if error.status == .notFound {
                let allowed = table.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    return JSONAnswer(
                        status: .methodNotAllowed,
                        MethodNotAllowed(
                            message: "\(request.method) is not allowed on \(request.uri.path)",
                            allowedMethods: allowed
                        ),
                        headers: [.allow: allowed.joined(separator: ", ")]
                    ).response()
                }
            }
            let message =
                error.status == .notFound
                ? "no such endpoint: \(request.method) \(request.uri.path)" : (error.body ?? "\(error.status)")
            return APIError(status: Int(error.status.code), message: message).response()
        }
    }
}

/// The 405 answer's body: what was asked and the methods the path is served with.
struct MethodNotAllowed: Encodable {
    var message: String
    var allowedMethods: [String]
}
