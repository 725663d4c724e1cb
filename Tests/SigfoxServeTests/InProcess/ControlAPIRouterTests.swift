import Foundation
import HTTPTypes
import SigfoxEngine
import SigfoxModel
import Testing

@testable import SigfoxCloud

/// The control API (`/sim/...`), `/health`, `/metrics` and `/openapi.json` through the router, without
/// sockets, against a store in a temporary folder.
@Suite("serve's control API, in process", .serialized, .timeLimit(.minutes(2)))
struct ControlAPIRouterTests {
    @Test("health and the OpenAPI document: exact bodies, JSON content type")
    func health() async throws {
        try await InProcessServe().test { client in
            let health = try await client.get("/health")
            #expect(health.status == 200)
            #expect(health.headers[.contentType] == "application/json")
            #expect(health.body == "{\"status\":\"ok\",\"time\":\"real\",\"version\":\"\(ToolVersion.current)\"}")
            let document = try await client.get("/openapi.json")
            #expect(document.status == 200)
            #expect(document.body == OpenAPIDocument.json)
            let metrics = try await client.get("/metrics")
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        }
    }

    @Test("an uplink's answer: the message as recorded, its fields in order, the callbacks it fires")
    func uplink() async throws {
        try await InProcessServe(time: .scaled(20)).test { client in
            let answer = try await client.post("/sim/devices/2C30EA/uplinks", #"{"payload":"ff3842"}"#)
            #expect(answer.status == 201, "\(answer.body)")
            let keys = try JSONParser.parse(answer.body).entries?.map(\.key)
            #expect(
                keys == [
                    "id", "device", "seqNumber", "time", "sentAt", "stations", "lqi", "overLimit", "dropped",
                    "rejected", "callbacks",
                ]
            )
            #expect(answer.body.contains(#""device":"2C30EA","seqNumber":0,"#))
            #expect(answer.body.hasSuffix(#""dropped":false,"rejected":null,"callbacks":["uplink","advanced"]}"#))
            let attempts = try await client.waitFor("/sim/attempts") { $0.listed.count >= 2 }.listed
            #expect(attempts.allSatisfy { $0["outcome"]?.scalarText == "delivered" })
            let messages = try await client.json("/sim/messages?device=2C30EA").listed
            #expect(messages.count == 1)
            #expect(messages.first?["data"]?.scalarText == "ff3842")
        }
    }

    @Test(
        "refusals: the status and the field to blame",
        arguments: [
            (
                "POST", "/sim/devices/FFFFFFFF/uplinks", #"{"payload":"01"}"#, 404,
                #"{"message":"unknown device FFFFFFFF","field":"id"}"#
            ),
            ("POST", "/sim/devices/zz/uplinks", #"{"payload":"01"}"#, 400, nil),
            ("POST", "/sim/devices/2C30EA/uplinks", #"{"payload":"0"}"#, 400, nil),
            ("POST", "/sim/devices/2C30EA/uplinks", #"{"payload":"01","frames":2}"#, 400, nil),
            ("POST", "/sim/devices/2C30EA/uplinks", #"{"payload":"01","colour":1}"#, 400, nil),
            ("POST", "/sim/devices/2C30EA/uplinks", "{", 400, nil),
            ("POST", "/sim/devices/2C30EA/status", #"{"temp":500}"#, 400, nil),
            ("POST", "/sim/base-stations/FFFF/down", nil, 404, #"{"message":"no base station FFFF","field":"id"}"#),
            ("POST", "/sim/base-stations/xyz!/down", nil, 400, nil),
            ("POST", "/sim/attempts/99999/resend", nil, 404, #"{"message":"no try 99999","field":"id"}"#),
            ("POST", "/sim/attempts/x/resend", nil, 400, nil),
            ("GET", "/sim/events?types=mesage", nil, 400, nil),
            ("GET", "/sim/messages?limit=0", nil, 400, nil),
            ("DELETE", "/sim/devices/FFFFFF", nil, 404, #"{"message":"no device FFFFFF","field":"id"}"#),
            ("GET", "/sim/nothing", nil, 404, #"{"message":"no such endpoint: GET /sim/nothing"}"#),
            (
                "PUT", "/sim/reset", nil, 405,
                #"{"message":"PUT is not allowed on /sim/reset","allowedMethods":["POST"]}"#
            ),
        ] as [(String, String, String?, Int, String?)]
    )
    func refusals(method: String, path: String, body: String?, status: Int, exact: String?) async throws {
        try await InProcessServe().test { client in
            let answer = try await client.request(HTTPRequest.Method(method)!, path, body: body)
            #expect(answer.status == status, "\(method) \(path): \(answer.body)")
            #expect(answer.headers[.contentType] == "application/json")
            let node = try JSONParser.parse(answer.body)
            #expect(node["message"]?.scalarText?.isEmpty == false)
            if let exact { #expect(answer.body == exact) }
        }
    }

    @Test("a body over 1 MiB is 413, and the server carries on")
    func hugeBody() async throws {
        try await InProcessServe().test { client in
            let huge = "{\"payload\":\"" + String(repeating: "0", count: 1 << 21) + "\"}"
            let refused = try await client.post("/sim/devices/2C30EA/uplinks", huge)
            #expect(refused.status == 413)
            let health = try await client.get("/health")
            #expect(health.status == 200)
        }
    }

    @Test("a base station taken down fires ERROR/WARN and hears nothing; up again, it hears")
    func stationDownAndUp() async throws {
        try await InProcessServe(time: .scaled(20)).test { client in
            let down = try await client.post("/sim/base-stations/1D44/down")
            #expect(down.status == 200, "\(down.body)")
            #expect(down.body.hasPrefix(#"{"station":"1D44","up":false,"warned":"#))
            let sent = try await client.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#)
            let uplink = try JSONParser.parse(sent.body)
            let message = try await client.waitFor("/sim/messages") { !$0.listed.isEmpty }.listed[0]
            #expect(message["receptions"]?.items.contains { $0["station"]?.scalarText == "1D44" } == false)
            #expect(uplink["stations"]?.scalarText != "3")
            #expect(try await client.post("/sim/base-stations/1D44/up").status == 200)
        }
    }

    @Test("network failures, configuration changes and reset answer with what the engine applied")
    func networkConfigurationReset() async throws {
        try await InProcessServe().test { client in
            let network = try await client.post(
                "/sim/network",
                #"{"downlinkFailure":true,"failNextDownlink":"2C30EA"}"#
            )
            #expect(network.status == 200)
            #expect(network.body == #"{"downlinkFailure":true,"failNextDownlink":"2C30EA"}"#)
            let cleared = try await client.post("/sim/network", #"{"downlinkFailure":false}"#)
            #expect(cleared.body == #"{"downlinkFailure":false,"failNextDownlink":null}"#)
            let added = try await client.post(
                "/sim/devices",
                #"{"id":"ABCDEF","deviceType":"5f1d3a2b4c6e8f0a1b2c3d4e","lat":43.6,"lng":1.44}"#
            )
            #expect(added.status == 201, "\(added.body)")
            #expect(added.body.hasPrefix(#"{"id":"ABCDEF""#))
            #expect(try await client.json("/sim/devices").listed.contains { $0["id"]?.scalarText == "ABCDEF" })
            let removed = try await client.request(.delete, "/sim/devices/ABCDEF")
            #expect(removed.status == 204 && removed.body.isEmpty)
            let scenario = try await client.get("/sim/scenario")
            #expect(scenario.headers[.contentDisposition] == "inline; filename=\"scenario.json\"")
            #expect(scenario.body.hasSuffix("}\n"))
            #expect(try await client.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#).status == 201)
            let reset = try await client.post("/sim/reset")
            #expect(reset.status == 200 && reset.body == #"{"reset":true}"#)
            #expect(try await client.json("/sim/messages").listed.isEmpty)
        }
    }

    @Test("a lifecycle change is dated by the simulation clock under --time scaled:N, not by the wall clock")
    func scaledNow() async throws {
        // A data folder whose scaled clock stopped at 2020-01-01: serve resumes from there.
        let folder = InProcessServe.newFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let start: Int64 = 1_577_836_800_000
        do {
            let store = try CloudStore(path: folder + "/sigfox-sim.sqlite")
            try store.write(StoreBatch(state: [(CloudServer.clockKey, "\(start)")]))
        }
        let serve = try await InProcessServe(time: .scaled(20), folder: folder)
        try await serve.test { client in
            // A turn of the engine, so its clock is read.
            #expect(try await client.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#).status == 201)
            let answer = try await client.post("/sim/devices/2C30EA/lifecycle", #"{"renewal":{"until":"+30d"}}"#)
            #expect(answer.status == 200, "\(answer.body)")
            let kept = try #require(try serve.server.engine.store.state("lifecycles"))
            let until = try #require(
                JSONParser.parse(kept)["2C30EA"]?["renewalUntil"]?.scalarText.flatMap { Int64($0) }
            )
            let month: Int64 = 30 * 86_400_000
            // Within an hour of the simulation's 2020 (scaled time runs 20 times faster than the test).
            #expect(abs(until - (start + month)) < 3_600_000, "renewalUntil \(until)")
        }
    }
}
