import Foundation
import Hummingbird
import Synchronization

/// The API v2's rate limits as Sigfox documents them ("API rate limiting", support.sigfox.com, and the
/// Swagger's "Usage limits"), for `serve --api-rate-limits`: off by default, so a test suite is never
/// slowed by them; on, a user's retry logic meets the `429` it will meet live.
///
/// **Emulator rules** (the documentation gives the limits, not how they are counted):
/// - Each limit is counted per API login (the `--api-login`, or an API user's id), and per device for the
///   routes that name one (`/devices/{id}/...`): a sliding window of the requests let through, so a
///   client that waits the window out after its first request passes again. Refused requests do not
///   count.
/// - A request that follows a page (`offset` above 0, or `before` on a message list, as `paging.next`
///   writes them) is not counted: "API rate limiting does not apply to the paging mechanism".
/// - The dashboard's own requests are not limited (they are not the user's code).
/// - The answer is `429` with `{"message":"too many requests"}` and no `Retry-After` (the live API's
///   documentation promises none).
struct APIRateLimits: Sendable {
    /// One documented limit: at most `count` requests in `seconds`, for these methods on this route.
    struct Rule: Sendable {
        var methods: [HTTPRequest.Method]
        /// The route as the router writes it (`/v2/devices/{id}/messages`).
        var route: String
        var count: Int
        var seconds: Double
        /// Counted per device (the route's `{id}`), not only per login.
        var perDevice: Bool
    }

    /// The limits of Sigfox's "API rate limiting" page, on the operations the emulator serves.
    static let documented: [Rule] = [
        Rule(methods: [.get], route: "/v2/devices/{id}/messages", count: 1, seconds: 1, perDevice: true),
        Rule(methods: [.get], route: "/v2/devices", count: 50, seconds: 10, perDevice: false),
        Rule(methods: [.put, .delete], route: "/v2/devices/{id}", count: 1, seconds: 3600, perDevice: true),
        Rule(
            methods: [.post],
            route: "/v2/coverages/global/predictions/bulk",
            count: 5,
            seconds: 300,
            perDevice: false
        ),
        Rule(
            methods: [.get],
            route: "/v2/coverages/global/predictions/bulk/{jobId}",
            count: 10,
            seconds: 60,
            perDevice: false
        ),
        Rule(
            methods: [.get, .post],
            route: "/v2/coverages/global/predictions",
            count: 10,
            seconds: 60,
            perDevice: false
        ),
        Rule(methods: [.put], route: "/v2/devices/bulk", count: 5, seconds: 600, perDevice: false),
        Rule(methods: [.post], route: "/v2/devices/bulk/transfer", count: 5, seconds: 600, perDevice: false),
    ]

    var rules: [Rule] = documented
}

/// Counts the requests of each login (and device) against ``APIRateLimits``: a sliding window of the times
/// of the requests let through, per rule and key.
final class APIRateLimiter: Sendable {
    let limits: APIRateLimits
    /// Seconds on a monotonic clock; tests give their own.
    let now: @Sendable () -> Double
    private let windows = Mutex<[String: [Double]]>([:])

    init(limits: APIRateLimits = APIRateLimits(), now: (@Sendable () -> Double)? = nil) {
        self.limits = limits
        if let now {
            self.now = now
        } else {
            let start = ContinuousClock.now
            self.now = {
                let elapsed = ContinuousClock.now - start
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
        }
    }

    /// The rule that applies to `method` on `route`, if any.
    func rule(_ method: HTTPRequest.Method, _ route: String) -> APIRateLimits.Rule? {
        limits.rules.first { $0.route == route && $0.methods.contains(method) }
    }

    /// Whether one more request of `key` under `rule` may pass now; when it may, it is counted.
    func admit(_ rule: APIRateLimits.Rule, key: String) -> Bool {
        let time = now()
        let name = rule.route + " " + key
        return windows.withLock { windows in
            var times = windows[name, default: []]
            times.removeAll { $0 <= time - rule.seconds }
            guard times.count < rule.count else {
                windows[name] = times
                return false
            }
            times.append(time)
            windows[name] = times
            return true
        }
    }
}

/// `serve --api-rate-limits`: answers `429` past a documented limit (``APIRateLimits``). Runs after the
/// authentication, so a request without credentials is still a 401, and after routing, so it knows the
/// route (`context.endpointPath`, written `/v2/devices/{id}/messages`).
struct APIRateLimitMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let limiter: APIRateLimiter

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.headers[BasicAuthMiddleware.dashboardHeader] == nil,
            let rule = limiter.rule(request.method, context.endpointPath ?? ""),
            !Self.followsPage(request)
        else { return try await next(request, context) }
        let login = APIUserLogin(request.headers[.authorization])?.login ?? ""
        let device = rule.perDevice ? (context.parameters.get("id") ?? "").uppercased() : ""
        guard limiter.admit(rule, key: login + " " + device) else {
            var error = APIError(status: 429, message: "too many requests")
            error.dialect = .apiV2
            return error.response()
        }
        return try await next(request, context)
    }

    /// A request for a further page, as `paging.next` writes it: `offset` above 0, or `before` on a list of
    /// messages.
    static func followsPage(_ request: Request) -> Bool {
        let query = request.uri.queryParameters
        if let offset = query["offset"].flatMap({ Int(String($0)) }), offset > 0 { return true }
        return query["before"] != nil && request.uri.path.hasSuffix("/messages")
    }
}
