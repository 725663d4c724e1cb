import Foundation
import SigfoxModel
import Testing

@testable import SigfoxCloud

/// The routes serve registers and the OpenAPI document it serves describe the same operations: what
/// sigfox-sim adds to the API v2 reference (the control API, `/health`, `/metrics`, `/openapi.json`, the
/// disengage operations) is described once, in `Resources/openapi.json` (`scripts/openapi-document` keeps it
/// as it is), and a route without its description, or a description without its route, fails here.
@Suite("serve's routes and its OpenAPI document", .timeLimit(.minutes(1)))
struct OpenAPIRoutesTests {
    /// `/sim/devices/:id` as the document writes it: `/sim/devices/{id}`.
    static func documented(_ path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix(":") ? "{" + $0.dropFirst() + "}" : String($0) }
            .reduce("") { $0 + "/" + $1 }
    }

    @Test("every route but the dashboard's pages is described, and every operation described is served")
    func sameOperations() async throws {
        let serve = try await InProcessServe()
        let table = serve.server.makeRouteTable()
        let registered = Set(
            table.registered.filter { $0.path != "/" && !$0.path.hasPrefix("/ui/") }.map {
                "\($0.method.lowercased()) \(Self.documented($0.path))"
            }
        )
        let document = try JSONParser.parse(OpenAPIDocument.json)
        var described = Set<String>()
        for path in document["paths"]?.entries ?? [] {
            // The reference writes collections with a trailing slash (`/v2/devices/`); the router serves both.
            let key = path.key.count > 1 && path.key.hasSuffix("/") ? String(path.key.dropLast()) : path.key
            for operation in path.node.entries ?? [] where operation.key != "parameters" {
                described.insert("\(operation.key) \(key)")
            }
        }
        #expect(registered.subtracting(described).sorted() == [], "served but not described")
        #expect(described.subtracting(registered).sorted() == [], "described but not served")
        try await serve.test { _ in }
    }

    @Test("the operations the document says may answer 429 are those --api-rate-limits limits")
    func rateLimitedOperations() throws {
        let document = try JSONParser.parse(OpenAPIDocument.json)
        var documented = Set<String>()
        for path in document["paths"]?.entries ?? [] {
            let key = path.key.count > 1 && path.key.hasSuffix("/") ? String(path.key.dropLast()) : path.key
            for operation in path.node.entries ?? [] where operation.node["responses"]?["429"] != nil {
                documented.insert("\(operation.key) \(key)")
            }
        }
        let limited = Set(
            APIRateLimits.documented.flatMap { rule in rule.methods.map { "\($0.rawValue.lowercased()) \(rule.route)" }
            }
        )
        #expect(limited.count == 10)
        #expect(documented == limited)
    }
}
