import Foundation
import HTTPTypes
import SigfoxModel
import Testing

@testable import SigfoxCloud

/// The API v2's bulk operations on devices, suspension and unsubscription, through the router.
@Suite("serve's API v2 device bulk operations, in process", .serialized, .timeLimit(.minutes(2)))
struct APIv2DeviceBulkRouterTests {
    static let type = "5f1d3a2b4c6e8f0a1b2c3d4e"

    /// `method path` with the default credentials; the answer's JSON, its status checked.
    @discardableResult
    static func call(
        _ client: InProcessClient,
        _ method: HTTPTypes.HTTPRequest.Method,
        _ path: String,
        _ body: String? = nil,
        expect status: Int,
        headers: HTTPFields = apiV2Credentials
    ) async throws -> ConfigNode {
        let answer = try await client.request(method, path, body: body, headers: headers)
        #expect(answer.status == status, "\(method) \(path): \(answer.body)")
        return answer.body.isEmpty ? ConfigNode(.null) : try JSONParser.parse(answer.body)
    }

    /// The job id of a started job.
    static func jobID(_ node: ConfigNode) throws -> String { try #require(node["jobId"]?.scalarText) }

    /// The ids and messages of a job status's errors (`status.errors`).
    static func errors(_ job: ConfigNode) -> [(String, String)] {
        (job["status"]?["errors"]?.items ?? []).map {
            ($0["entity"]?.scalarText ?? "", $0["message"]?.scalarText ?? "")
        }
    }

    @Test("POST /devices/bulk creates the devices that can be, GET /devices/bulk/{jobId} names the others")
    func create() async throws {
        try await InProcessServe().test { client in
            let body = """
                {"deviceTypeId":"\(Self.type)","prefix":"meter-","prototype":true,"data":[
                {"id":"B001","name":"one","pac":"0123456789ABCDEF","lat":43.6,"lng":1.44},{"id":"B002"},
                {"id":"2C30EA"},{"id":"zz"},{"id":"B003","lat":"north"}]}
                """
            let started = try await Self.call(client, .post, "/v2/devices/bulk", body, expect: 200)
            #expect(started["total"]?.scalarText == "5")
            let job = try await Self.call(client, .get, "/v2/devices/bulk/\(try Self.jobID(started))", expect: 200)
            #expect(job["jobDone"]?.scalarText == "true")
            #expect(job["total"]?.scalarText == "5")
            #expect(job["status"]?["success"]?.scalarText == "2")
            let errors = Self.errors(job)
            #expect(errors.map(\.0) == ["2C30EA", "zz", "B003"])
            #expect(errors[0].1.contains("exists already"))
            #expect(errors[2].1.contains("data[4].lat"))
            let one = try await Self.call(client, .get, "/v2/devices/B001", expect: 200)
            #expect(one["name"]?.scalarText == "one")
            #expect(one["pac"]?.scalarText == "0123456789ABCDEF")
            #expect(one["prototype"]?.scalarText == "true")
            let two = try await Self.call(client, .get, "/v2/devices/B002", expect: 200)
            #expect(two["name"]?.scalarText == "meter-B002")
            #expect(two["deviceType"]?["id"]?.scalarText == Self.type)
        }
    }

    @Test("PUT /devices/bulk edits each device; an unknown one is a job error")
    func edit() async throws {
        try await InProcessServe().test { client in
            let body = #"{"data":[{"id":"2C30EA","name":"renamed","lat":43.7,"activable":true},{"id":"FFFF"}]}"#
            let started = try await Self.call(client, .put, "/v2/devices/bulk", body, expect: 201)
            #expect(started["total"]?.scalarText == "2")
            let job = try await Self.call(client, .get, "/v2/devices/bulk/\(try Self.jobID(started))", expect: 200)
            #expect(job["status"]?["success"]?.scalarText == "1")
            let errors = Self.errors(job)
            #expect(errors.map(\.0) == ["FFFF"])
            #expect(errors.first?.1.contains("Unknown device") == true)
            let device = try await Self.call(client, .get, "/v2/devices/2C30EA", expect: 200)
            #expect(device["name"]?.scalarText == "renamed")
            #expect(device["location"]?["lat"]?.scalarText == "43.7")
        }
    }

    @Test("POST /devices/bulk/transfer moves devices to another device type")
    func transfer() async throws {
        try await InProcessServe().test { client in
            let created = try await Self.call(client, .post, "/v2/device-types/", #"{"name":"Other"}"#, expect: 201)
            let other = try #require(created["id"]?.scalarText)
            let body = #"{"deviceTypeId":"\#(other)","data":[{"id":"2C30EB","keepHistory":true},{"id":"FFFF"}]}"#
            let started = try await Self.call(client, .post, "/v2/devices/bulk/transfer", body, expect: 200)
            #expect(started["total"]?.scalarText == "2")
            let job = try await Self.call(client, .get, "/v2/devices/bulk/\(try Self.jobID(started))", expect: 200)
            #expect(job["status"]?["success"]?.scalarText == "1")
            #expect(Self.errors(job).map(\.0) == ["FFFF"])
            let device = try await Self.call(client, .get, "/v2/devices/2C30EB", expect: 200)
            #expect(device["deviceType"]?["id"]?.scalarText == other)
        }
    }

    @Test("POST /devices/bulk/replace gives a device a new id at once; the target must be free")
    func replace() async throws {
        try await InProcessServe(time: .scaled(20)).test { client in
            #expect(try await client.post("/sim/devices/2C30EC/uplinks", #"{"payload":"01"}"#).status == 201)
            try await client.waitFor("/sim/messages?device=2C30EC") { !$0.listed.isEmpty }
            let body = """
                {"data":[{"deviceId":"2C30EC","targetDeviceId":"2C30ED"},{"deviceId":"2C30EA","targetDeviceId":"2C30EB"},
                {"deviceId":"FFFF","targetDeviceId":"FFFE"}]}
                """
            let answer = try await Self.call(client, .post, "/v2/devices/bulk/replace", body, expect: 200)
            #expect(answer["total"]?.scalarText == "3")
            #expect(answer["status"]?["success"]?.scalarText == "1")
            let errors = Self.errors(answer)
            #expect(errors.map(\.0) == ["2C30EA", "FFFF"])
            #expect(errors.first?.1.contains("targetDeviceId") == true)
            try await Self.call(client, .get, "/v2/devices/2C30EC", expect: 404)
            try await Self.call(client, .get, "/v2/devices/2C30ED", expect: 200)
            // The messages stay with the old id; the new one starts without any.
            #expect(try await client.json("/sim/messages?device=2C30EC").listed.count == 1)
            #expect(try await client.json("/sim/messages?device=2C30ED").listed.isEmpty)
            #expect(try await client.post("/sim/devices/2C30EC/uplinks", #"{"payload":"01"}"#).status == 404)
        }
    }

    @Test("restart: of devices and of a device type's, each job read back by its own route")
    func restart() async throws {
        try await InProcessServe().test { client in
            let body = #"{"data":["2C30EA","FFFF","zz"]}"#
            let restart = try await client.request(
                .post,
                "/v2/devices/bulk/restart?groupId=x",
                body: body,
                headers: apiV2Credentials
            )
            #expect(restart.status == 201)
            let id = try Self.jobID(try JSONParser.parse(restart.body))
            #expect(restart.headers[.location]?.hasSuffix("/v2/devices/bulk/restart/\(id)") == true)
            let job = try await Self.call(client, .get, "/v2/devices/bulk/restart/\(id)", expect: 200)
            #expect(job["jobDone"]?.scalarText == "true")
            #expect(job["status"]?["total"]?.scalarText == "3")
            #expect(job["status"]?["nbSuccess"]?.scalarText == "1")
            #expect(job["status"]?["nbErrors"]?.scalarText == "2")
            #expect(Self.errors(job).map(\.0) == ["FFFF", "zz"])
            // A restart job is not a suspension's, nor a registration's.
            try await Self.call(client, .get, "/v2/devices/bulk/suspend/\(id)", expect: 404)
            try await Self.call(client, .get, "/v2/devices/bulk/\(id)", expect: 404)
            let answer = try await client.request(
                .post,
                "/v2/device-types/\(Self.type)/bulk/restart",
                headers: apiV2Credentials
            )
            #expect(answer.status == 201)
            let typed = try JSONParser.parse(answer.body)
            // 201 with Location: where the job is read, not under the type.
            let location = "/v2/device-types/bulk/restart/\(try Self.jobID(typed))"
            #expect(answer.headers[.location]?.hasSuffix(location) == true)
            let typeJob = try await Self.call(
                client,
                .get,
                "/v2/device-types/bulk/restart/\(try Self.jobID(typed))",
                expect: 200
            )
            #expect(typeJob["status"]?["total"]?.scalarText == "3")
            #expect(typeJob["status"]?["nbSuccess"]?.scalarText == "3")
            try await Self.call(client, .post, "/v2/device-types/000000000000000000000bad/bulk/restart", expect: 404)
        }
    }

    @Test("a suspended device's uplinks are refused with 409 and nothing is stored; resumed, they go through")
    func suspendAndResume() async throws {
        try await InProcessServe(time: .scaled(20)).test { client in
            let started = try await Self.call(
                client,
                .post,
                "/v2/devices/bulk/suspend",
                #"{"data":["2C30EA","FFFF"]}"#,
                expect: 201
            )
            let job = try await Self.call(
                client,
                .get,
                "/v2/devices/bulk/suspend/\(try Self.jobID(started))",
                expect: 200
            )
            #expect(job["status"]?["nbSuccess"]?.scalarText == "1")
            #expect(Self.errors(job).map(\.0) == ["FFFF"])
            #expect(try await Self.call(client, .get, "/v2/devices/2C30EA", expect: 200)["state"]?.scalarText == "6")
            // Kept in the configuration document (so across a restart).
            #expect(try await client.get("/sim/scenario").body.contains("\"suspended\":true"))

            let refused = try await client.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#)
            #expect(refused.status == 409)
            #expect(refused.body.contains("2C30EA is suspended"))
            #expect(try await client.json("/sim/messages?device=2C30EA").listed.isEmpty)
            // Another device is not concerned.
            #expect(try await client.post("/sim/devices/2C30EB/uplinks", #"{"payload":"01"}"#).status == 201)

            let resumed = try await Self.call(
                client,
                .post,
                "/v2/devices/bulk/resume",
                #"{"data":["2C30EA"]}"#,
                expect: 201
            )
            try await Self.call(client, .get, "/v2/devices/bulk/resume/\(try Self.jobID(resumed))", expect: 200)
            #expect(try await Self.call(client, .get, "/v2/devices/2C30EA", expect: 200)["state"]?.scalarText == "0")
            #expect(try await client.post("/sim/devices/2C30EA/uplinks", #"{"payload":"02"}"#).status == 201)
            // Only the message sent once resumed is stored (the refused one, sent before it, never was).
            let messages = try await client.waitFor("/sim/messages?device=2C30EA") { !$0.listed.isEmpty }.listed
            #expect(messages.count == 1)
            #expect(messages.first?["data"]?.scalarText == "02")
        }
    }

    @Test("scenario traffic of a suspended device is dropped and counted, not stored")
    func suspendedTraffic() async throws {
        let scenario = """
            name: suspended traffic
            baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
            deviceTypes: [{ name: T, callbacks: [] }]
            devices:
              - { id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44, suspended: true }
              - { id: 2C30EB, deviceType: T, lat: 43.6, lng: 1.44 }
            traffic:
              - { at: +1s, device: 2C30EA, payload: "01" }
              - { at: +1s, device: 2C30EB, payload: "02" }
            """
        try await InProcessServe(scenario: scenario, time: .scaled(20)).test { client in
            try await client.waitFor("/sim/messages?device=2C30EB") { !$0.listed.isEmpty }
            #expect(try await client.json("/sim/messages?device=2C30EA").listed.isEmpty)
            let metrics = try await client.get("/metrics").body
            #expect(metrics.contains("sigfox_sim_uplinks_refused_inactive_total 1"), "\(metrics)")
            #expect(try await Self.call(client, .get, "/v2/devices/2C30EA", expect: 200)["state"]?.scalarText == "6")
        }
    }

    @Test("a device of a generated fleet cannot be suspended or unsubscribed alone: a job error, a 400")
    func generatedFleet() async throws {
        let scenario = """
            name: fleet
            baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
            deviceTypes: [{ name: T, callbacks: [] }]
            devices:
              - { count: 2, firstId: 1000, deviceType: T, area: { lat: 43.6, lng: 1.44, sizeKm: 1 } }
            """
        try await InProcessServe(scenario: scenario).test { client in
            let started = try await Self.call(
                client,
                .post,
                "/v2/devices/bulk/suspend",
                #"{"data":["1000"]}"#,
                expect: 201
            )
            let job = try await Self.call(
                client,
                .get,
                "/v2/devices/bulk/suspend/\(try Self.jobID(started))",
                expect: 200
            )
            #expect(Self.errors(job).first?.1.contains("generated fleet") == true)
            let answer = try await Self.call(
                client,
                .put,
                "/v2/devices/1001/unsubscribe",
                #"{"unsubscriptionTime":1000}"#,
                expect: 400
            )
            #expect(answer["errors"]?.items.first?["field"]?.scalarText == "id")
            #expect(try await Self.call(client, .get, "/v2/devices/1001", expect: 200)["state"]?.scalarText == "0")
        }
    }

    @Test("unsubscribe: one device, or several; from its unsubscription time on, its uplinks are refused")
    func unsubscribe() async throws {
        try await InProcessServe().test { client in
            try await Self.call(
                client,
                .put,
                "/v2/devices/2C30EA/unsubscribe",
                #"{"unsubscriptionTime":1000}"#,
                expect: 204
            )
            let ended = try await Self.call(client, .get, "/v2/devices/2C30EA", expect: 200)
            #expect(ended["state"]?.scalarText == "2")
            #expect(ended["unsubscriptionTime"]?.scalarText == "1000")
            let refused = try await client.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#)
            #expect(refused.status == 409)
            #expect(refused.body.contains("unsubscribed"))

            let body = #"{"data":[{"id":"2C30EB","unsubscriptionTime":4102444800123},{"id":"2C30EC"}]}"#
            let started = try await Self.call(client, .post, "/v2/devices/bulk/unsubscribe", body, expect: 201)
            let job = try await Self.call(
                client,
                .get,
                "/v2/devices/bulk/unsubscribe/\(try Self.jobID(started))",
                expect: 200
            )
            #expect(job["status"]?["nbSuccess"]?.scalarText == "1")
            #expect(Self.errors(job).first?.1.contains("unsubscriptionTime") == true)
            let later = try await Self.call(client, .get, "/v2/devices/2C30EB", expect: 200)
            #expect(later["state"]?.scalarText == "0")
            #expect(later["unsubscriptionTime"]?.scalarText == "4102444800123")
            #expect(try await client.post("/sim/devices/2C30EB/uplinks", #"{"payload":"01"}"#).status == 201)
        }
    }

    @Test(
        "errors: an unknown job or device is 404, an invalid body a 400 naming the field",
        arguments: [
            ("GET", "/v2/devices/bulk/000000000000000000000bad", nil, 404, nil),
            ("GET", "/v2/devices/bulk/restart/000000000000000000000bad", nil, 404, nil),
            ("GET", "/v2/devices/bulk/suspend/000000000000000000000bad", nil, 404, nil),
            ("GET", "/v2/devices/bulk/resume/000000000000000000000bad", nil, 404, nil),
            ("GET", "/v2/devices/bulk/unsubscribe/000000000000000000000bad", nil, 404, nil),
            ("GET", "/v2/device-types/bulk/restart/000000000000000000000bad", nil, 404, nil),
            ("PUT", "/v2/devices/FFFF/unsubscribe", #"{"unsubscriptionTime":1}"#, 404, nil),
            ("PUT", "/v2/devices/2C30EA/unsubscribe", "{}", 400, "unsubscriptionTime"),
            ("PUT", "/v2/devices/2C30EA/unsubscribe", #"{"unsubscriptionTime":-1}"#, 400, "unsubscriptionTime"),
            ("POST", "/v2/devices/bulk", #"{"data":[]}"#, 400, "deviceTypeId"),
            ("POST", "/v2/devices/bulk", #"{"deviceTypeId":"000000000000000000000bad"}"#, 400, "deviceTypeId"),
            ("POST", "/v2/devices/bulk", #"{"deviceTypeId":"5f1d3a2b4c6e8f0a1b2c3d4e","data":{}}"#, 400, "data"),
            ("POST", "/v2/devices/bulk", #"{"deviceTypeId":"5f1d3a2b4c6e8f0a1b2c3d4e","colour":1}"#, 400, "colour"),
            ("PUT", "/v2/devices/bulk", "{}", 400, "data"),
            ("POST", "/v2/devices/bulk/transfer", #"{"deviceTypeId":"000000000000000000000bad"}"#, 400, "deviceTypeId"),
            ("POST", "/v2/devices/bulk/replace", #"{"data":"x"}"#, 400, "data"),
            ("POST", "/v2/devices/bulk/suspend", #"{"datum":[]}"#, 400, "datum"),
            ("POST", "/v2/devices/bulk/restart", "{}", 400, "data"),
            ("POST", "/v2/devices/bulk/unsubscribe", #"{"data":1}"#, 400, "data"),
        ] as [(String, String, String?, Int, String?)]
    )
    func errors(method: String, path: String, body: String?, status: Int, field: String?) async throws {
        try await InProcessServe().test { client in
            let node = try await Self.call(client, HTTPTypes.HTTPRequest.Method(method)!, path, body, expect: status)
            #expect(node["message"]?.scalarText?.isEmpty == false)
            if let field {
                let error = try #require(node["errors"]?.items.first)
                #expect(error["type"]?.scalarText == "body")
                #expect(error["field"]?.scalarText == field)
            }
        }
    }

    @Test("a read-only API user gets 403 on every bulk write, and reads a job")
    func readOnly() async throws {
        try await InProcessServe().test { client in
            let reader = "000000000000000000000102"
            let body =
                #"{"groupId":"000000000000000000000001","name":"robot","timezone":"Europe/Paris","profileIds":["\#(reader)"]}"#
            let created = try await Self.call(client, .post, "/v2/api-users/", body, expect: 201)
            let id = try #require(created["id"]?.scalarText)
            let user = try await Self.call(client, .get, "/v2/api-users/\(id)", expect: 200)
            let token = try #require(user["accessToken"]?.scalarText)
            let basic: HTTPFields = [.authorization: "Basic " + Data("\(id):\(token)".utf8).base64EncodedString()]
            for (method, path) in [
                (HTTPTypes.HTTPRequest.Method.post, "/v2/devices/bulk"), (.put, "/v2/devices/bulk"),
                (.post, "/v2/devices/bulk/transfer"), (.post, "/v2/devices/bulk/replace"),
                (.post, "/v2/devices/bulk/restart"), (.post, "/v2/devices/bulk/suspend"),
                (.post, "/v2/devices/bulk/resume"), (.post, "/v2/devices/bulk/unsubscribe"),
                (.put, "/v2/devices/2C30EA/unsubscribe"), (.post, "/v2/device-types/\(Self.type)/bulk/restart"),
            ] {
                let node = try await Self.call(client, method, path, #"{"data":[]}"#, expect: 403, headers: basic)
                #expect(node["message"]?.scalarText?.hasPrefix("Forbidden") == true)
            }
            let started = try await Self.call(client, .post, "/v2/devices/bulk/suspend", #"{"data":[]}"#, expect: 201)
            let job = try await Self.call(
                client,
                .get,
                "/v2/devices/bulk/suspend/\(try Self.jobID(started))",
                expect: 200,
                headers: basic
            )
            #expect(job["status"]?["total"]?.scalarText == "0")
            #expect(try await Self.call(client, .get, "/v2/devices/2C30EA", expect: 200)["state"]?.scalarText == "0")
        }
    }
}
