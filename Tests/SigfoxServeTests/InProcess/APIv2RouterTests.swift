import Foundation
import HTTPTypes
import SigfoxModel
import Testing

@testable import SigfoxCloud

/// The Sigfox API v2 (`/v2/...`) through the router, without sockets, against a store in a temporary
/// folder.
@Suite("serve's API v2, in process", .serialized, .timeLimit(.minutes(2)))
struct APIv2RouterTests {
    @Test(
        "errors: 401 without credentials, 400 with the reference's ErrorContent, 404, 405 with allowedMethods, 409",
        arguments: [
            ("GET", "/v2/device-types/", nil, false, 401),
            ("GET", "/v2/devices/?limit=500", nil, true, 400),
            ("GET", "/v2/devices/?offset=-1", nil, true, 400),
            ("POST", "/v2/device-types/", #"{"nam":"X"}"#, true, 400),
            ("POST", "/v2/device-types/", #"{"name":"X","keepAlive":5}"#, true, 400),
            ("POST", "/v2/device-types/", #"{"name":"X","keepAlive":9223372036854775807}"#, true, 400),
            ("POST", "/v2/device-types/", #"{"name":"X","downlinkMode":9}"#, true, 400),
            (
                "POST", "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/callbacks",
                #"{"channel":"URL","callbackType":0,"callbackSubtype":2,"enabled":true,"url":"http://h/{nope}"}"#, true,
                400
            ),
            (
                "POST", "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/callbacks",
                #"{"channel":"URL","callbackType":0,"enabled":true,"url":"http://h/"}"#, true, 400
            ),
            (
                "POST", "/v2/devices/",
                #"{"id":"2C30EA","name":"x","deviceTypeId":"5f1d3a2b4c6e8f0a1b2c3d4e","pac":"00"}"#, true, 409
            ),
            ("POST", "/v2/devices/", #"{"id":"77","name":"x","deviceTypeId":"nope","pac":"00"}"#, true, 400),
            ("GET", "/v2/device-types/000000000000000000000bad", nil, true, 404),
            ("GET", "/v2/devices/FFFFFFFF", nil, true, 404),
            ("GET", "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/callbacks/nope/callbacks-not-delivered", nil, true, 404),
            ("PATCH", "/v2/devices/2C30EA", nil, true, 405),
            ("PUT", "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/callbacks/uplink/enable?enabled=maybe", nil, true, 400),
        ] as [(String, String, String?, Bool, Int)]
    )
    func errors(method: String, path: String, body: String?, authenticated: Bool, status: Int) async throws {
        try await InProcessServe().test { client in
            let answer = try await client.request(
                HTTPRequest.Method(method)!,
                path,
                body: body,
                headers: authenticated ? apiV2Credentials : [:]
            )
            #expect(answer.status == status, "\(method) \(path): \(answer.body)")
            let node = try JSONParser.parse(answer.body)
            #expect(node["message"]?.scalarText?.isEmpty == false)
            if status == 400 {
                let error = try #require(node["errors"]?.items.first)
                #expect(["body", "query", "path"].contains(error["type"]?.scalarText ?? ""))
                #expect(error["message"]?.scalarText?.isEmpty == false)
            }
            if status == 405 {
                #expect(node["allowedMethods"]?.items.compactMap(\.scalarText) == ["GET", "PUT", "DELETE"])
                #expect(answer.headers[.allow] == "GET, PUT, DELETE")
            }
            if status == 401 { #expect(answer.headers[.wwwAuthenticate] == "Basic realm=\"sigfox-sim\"") }
        }
    }

    @Test("booleans in the query as the live API takes them: true/false, and True/False as Python clients send")
    func booleanQueries() async throws {
        try await InProcessServe().test { client in
            let callback = "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/callbacks/uplink/enable?enabled="
            for (word, enabled) in [("False", false), ("True", true), ("false", false), ("true", true)] {
                let answer = try await client.request(.put, callback + word, headers: apiV2Credentials)
                #expect(answer.status == 204, "\(word): \(answer.body)")
                let listed = try await client.get(
                    "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e/callbacks",
                    headers: apiV2Credentials
                )
                let uplink = try JSONParser.parse(listed.body)["data"]?.items.first { $0["id"]?.scalarText == "uplink" }
                #expect(uplink?["enabled"]?.scalarText == (enabled ? "true" : "false"), "\(word)")
            }
            let groups = try await client.get("/v2/groups/?deep=True", headers: apiV2Credentials)
            #expect(groups.status == 200, "\(groups.body)")
            let wrong = try await client.get("/v2/groups/?deep=yes", headers: apiV2Credentials)
            #expect(wrong.status == 400, "\(wrong.body)")
        }
    }

    @Test("an empty path segment is tolerated, as a published Python client asks for one")
    func emptySegment() async throws {
        try await InProcessServe().test { client in
            let answer = try await client.get(
                "/v2/device-types/5f1d3a2b4c6e8f0a1b2c3d4e//callbacks-not-delivered",
                headers: apiV2Credentials
            )
            #expect(answer.status == 200, "\(answer.body)")
            #expect(try JSONParser.parse(answer.body)["data"] != nil)
            // The query is left as it came: its values may hold "//".
            let listed = try await client.get("/v2//devices/?id=2C30EA&name=a//b", headers: apiV2Credentials)
            #expect(listed.status == 200, "\(listed.body)")
        }
    }

    @Test("a device's listing, its messages with receptions and the metric, in the reference's shapes")
    func devicesAndMessages() async throws {
        try await InProcessServe(time: .scaled(20)).test { client in
            #expect(try await client.post("/sim/devices/2C30EA/uplinks", #"{"payload":"ff3842"}"#).status == 201)
            // Its callbacks are tried once the cloud received it: then the API v2 lists it.
            try await client.waitFor("/sim/attempts") { $0.listed.count >= 2 }
            let devices = try await client.get("/v2/devices/?limit=1", headers: apiV2Credentials)
            #expect(devices.status == 200)
            let listing = try JSONParser.parse(devices.body)
            #expect(listing.listed.count == 1)
            #expect(listing["paging"]?["next"]?.scalarText?.contains("offset=1") == true)
            let messages = try await client.get("/v2/devices/2C30EA/messages", headers: apiV2Credentials)
            let message = try #require(try JSONParser.parse(messages.body).listed.first)
            #expect(message["data"]?.scalarText == "ff3842")
            #expect(message["rinfos"]?.items.isEmpty == false)
            let metric = try await client.get("/v2/devices/2C30EA/messages/metric", headers: apiV2Credentials)
            #expect(metric.body == #"{"lastDay":1,"lastWeek":1,"lastMonth":1}"#)
            // The dashboard's token stands for the credentials; nothing else does.
            let token = try await client.get(
                "/v2/devices/",
                headers: [BasicAuthMiddleware.dashboardHeader: "not-the-token"]
            )
            #expect(token.status == 401)
        }
    }
}
