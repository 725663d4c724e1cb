import HTTPTypes
import Hummingbird
import SigfoxModel

/// Keeps web pages from driving `serve` (its control API has no authentication: it is for the user's own
/// programs, on loopback).
///
/// - **Host.** A request whose `Host` is not an address (an IP literal), `localhost`, or a name given with
///   `--allow-host` is refused (421): a page whose DNS name was rebound to 127.0.0.1 sends its own name,
///   so it cannot read `/sim/attempts` or the dashboard.
/// - **Origin.** A write (any method but GET, HEAD and OPTIONS) that carries an `Origin` other than serve's
///   own is refused (403): browsers send it on every cross-origin write, command-line clients send none.
/// - **Content type.** A write with a body must say `application/json` (415): an HTML form or a `no-cors`
///   `fetch` can only send `text/plain`, `application/x-www-form-urlencoded` or `multipart/form-data`.
/// - **Pages.** HTML answers carry `X-Frame-Options: DENY` and a Content-Security-Policy that allows
///   nothing but serve's own files.
struct RequestGuard: RouterMiddleware {
    typealias Context = BasicRequestContext
    /// Lower-cased host names accepted besides IP literals and `localhost`.
    let allowedHosts: Set<String>

    init(allowedHosts: [String]) {
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let host = request.head.authority ?? ""
        guard accepts(host: host) else {
            return refusal(
                421,
                "Host '\(host)' is not an address of this server; start serve with --allow-host "
                    + "\(Self.hostName(host)) to accept it"
            )
        }
        let reads: Set<HTTPRequest.Method> = [.get, .head, .options]
        if !reads.contains(request.method) {
            if let origin = request.headers[.origin], origin != "http://\(host)", origin != "https://\(host)" {
                return refusal(403, "writes from another origin (\(origin)) are refused")
            }
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let hasBody =
                request.headers[.contentLength].map { $0 != "0" } ?? (request.headers[.transferEncoding] != nil)
            if hasBody || !type.isEmpty, !Self.isJSON(type) {
                return refusal(
                    415,
                    "a request that changes something must send its body as application/json"
                        + (type.isEmpty ? "" : ", not \(type)")
                )
            }
        }
        var response = try await next(request, context)
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.xFrameOptions] = "DENY"
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        }
        return response
    }

    /// Whether `host` (a `Host` header: name or address, with or without a port) names this server.
    func accepts(host: String) -> Bool {
        let name = Self.hostName(host).lowercased()
        if name == "localhost" || allowedHosts.contains(name) { return true }
        return Self.isIPLiteral(name)
    }

    /// `Host` without its port: `127.0.0.1:8790` → `127.0.0.1`, `[::1]:8790` → `::1`.
    static func hostName(_ host: String) -> String {
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<end])
        }
        if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            return String(host[..<colon])
        }
        return host
    }

    static func isIPLiteral(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return true }
        return name.contains(":") && name.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }

    static func isJSON(_ type: String) -> Bool {
        let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return media == "application/json" || media.hasSuffix("+json")
    }

    private func refusal(_ status: Int, _ message: String) -> Response {
        APIError(status: status, message: message).response()
    }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
}
