import Foundation
import HTTPTypes
import SigfoxModel
import Testing

@testable import SigfoxCloud

/// The API v2's contracts, operators, coverages and tiles (issue 28) through the router, without sockets.
@Suite("serve's API v2 contracts, operators, coverages and tiles, in process", .serialized, .timeLimit(.minutes(2)))
struct APIv2ContractsRouterTests {
    static let defaultContract = "/v2/contract-infos/000000000000000000000002"

    /// The fields a contract has on the wire (WIRE.md: those `sigfox-manager` requires).
    static let wireFields = [
        "name", "activationEndTime", "communicationEndTime", "bidir", "highPriorityDownlink", "maxUplinkFrames",
        "maxDownlinkFrames", "maxTokens", "automaticRenewal", "renewalDuration", "id", "contractId", "userId",
        "createdBy", "lastEditionTime", "creationTime", "lastEditedBy", "startTime", "timezone", "tokenDuration",
        "tokensInUse", "tokensUsed",
    ]

    static func json(_ client: InProcessClient, _ path: String) async throws -> ConfigNode {
        let answer = try await client.get(path, headers: apiV2Credentials)
        #expect(answer.status == 200, "GET \(path): \(answer.body)")
        return try JSONParser.parse(answer.body)
    }

    @Test(
        "errors: 400 with ErrorContent, 403 where the emulator has no meaning, 404",
        arguments: [
            ("GET", "/v2/contract-infos/000000000000000000000bad", nil, 404),
            ("GET", "/v2/contract-infos/000000000000000000000bad/devices", nil, 404),
            ("GET", "/v2/contract-infos/000000000000000000000002/devices?limit=0", nil, 400),
            ("GET", "/v2/contract-infos/000000000000000000000002/devices?pageId=x", nil, 400),
            ("POST", "/v2/contract-infos/000000000000000000000002/bulk/restart", nil, 403),
            ("POST", "/v2/contract-infos/000000000000000000000bad/bulk/restart", nil, 404),
            ("GET", "/v2/contract-infos/bulk/restart/5f1d3a2b4c6e8f0a1b2c3d4e", nil, 403),
            ("GET", "/v2/operators/000000000000000000000bad", nil, 404),
            ("PUT", "/v2/operators/000000000000000000000003", #"{"minDb":-140}"#, 403),
            ("GET", "/v2/coverages/global/predictions?lng=1.4", nil, 400),
            ("GET", "/v2/coverages/global/predictions?lat=91&lng=1.4", nil, 400),
            ("POST", "/v2/coverages/global/predictions", #"{"radius":10}"#, 400),
            ("POST", "/v2/coverages/global/predictions", #"{"locations":[{"lat":43.6}]}"#, 400),
            ("POST", "/v2/coverages/global/predictions/bulk", #"{"locations":[{"lat":"x","lng":1}]}"#, 400),
            ("GET", "/v2/coverages/global/predictions/bulk/000000000000000000000bad", nil, 404),
            ("GET", "/v2/coverages/operators/redundancy?lat=43.6", nil, 400),
            ("GET", "/v2/coverages/operators/redundancy?lat=43.6&lng=1.4&deviceSituation=SPACE", nil, 400),
            ("GET", "/v2/tiles/public-coverage/kmz/tiles.kmz?zoom=1&north=0&south=0&west=0", nil, 400),
            ("GET", "/v2/tiles/public-coverage/kmz/tiles.kmz?zoom=1&north=0&south=0&west=0&east=2", nil, 400),
            ("POST", "/v2/tiles/monarch/kmz", #"{"coverageMode":"OVERLAP_SOMEWHERE"}"#, 400),
            ("GET", "/v2/tiles/monarch/kmz/000000000000000000000bad", nil, 404),
            (
                "GET", "/v2/tiles/monarch/kmz/000000000000000000000bad/tiles.kmz?zoom=0&north=0&south=0&west=0&east=0",
                nil, 404
            ),
        ] as [(String, String, String?, Int)]
    )
    func errors(method: String, path: String, body: String?, status: Int) async throws {
        try await InProcessServe().test { client in
            let answer = try await client.request(
                HTTPRequest.Method(method)!,
                path,
                body: body,
                headers: apiV2Credentials
            )
            #expect(answer.status == status, "\(method) \(path): \(answer.body)")
            let node = try JSONParser.parse(answer.body)
            #expect(node["message"]?.scalarText?.isEmpty == false)
            if status == 400 {
                let error = try #require(node["errors"]?.items.first)
                #expect(["body", "query", "path"].contains(error["type"]?.scalarText ?? ""))
            }
        }
    }

    @Test("the default contract has the wire's fields; its token counts move with a device added and its message")
    func contractTokens() async throws {
        try await InProcessServe(time: .scaled(20)).test { client in
            let listing = try await Self.json(client, "/v2/contract-infos/")
            let contract = try #require(listing.listed.first)
            for field in Self.wireFields { #expect(contract[field] != nil, "missing \(field)") }
            #expect(contract["id"]?.scalarText == "000000000000000000000002")
            #expect(contract["bidir"]?.scalarText == "true")
            #expect(contract["options"]?.items.compactMap { $0["id"]?.scalarText } == ["networkMetadata"])
            #expect(contract["tokensInUse"]?.scalarText == "3")
            #expect(contract["tokensUsed"]?.scalarText == "0")

            // A device added through the API v2 takes a token of the default contract.
            let created = try await client.request(
                .post,
                "/v2/devices/",
                body: #"{"id":"77","name":"x","deviceTypeId":"5f1d3a2b4c6e8f0a1b2c3d4e","pac":"00"}"#,
                headers: apiV2Credentials
            )
            #expect(created.status == 201, "\(created.body)")
            #expect(try await Self.json(client, Self.defaultContract)["tokensInUse"]?.scalarText == "4")
            let devices = try await Self.json(client, Self.defaultContract + "/devices?limit=3")
            #expect(devices.listed.count == 3)
            #expect(devices["paging"]?["next"]?.scalarText?.hasSuffix("pageId=3") == true)
            #expect(try await Self.json(client, Self.defaultContract + "/devices?pageId=3").listed.count == 1)

            // A device's token is used from the first message the cloud takes (77 stands out of reach, at 0, 0).
            #expect(try await client.post("/sim/devices/2C30EA/uplinks", #"{"payload":"01"}"#).status == 201)
            let deadline = Date().addingTimeInterval(30)
            var used = "0"
            while used != "1", Date() < deadline {
                used = try await Self.json(client, Self.defaultContract)["tokensUsed"]?.scalarText ?? ""
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(used == "1")

            // A device with other options (geolocation, through the control API) is on another contract.
            let added = try await client.post(
                "/sim/devices",
                #"{"id":"78","deviceType":"SIGFOX_DevKit_1","lat":43.6,"lng":1.44,"geolocation":true}"#
            )
            #expect(added.status == 201, "\(added.body)")
            let contracts = try await Self.json(client, "/v2/contract-infos/").listed
            #expect(contracts.count == 2)
            let other = try #require(contracts.last)
            #expect(other["id"]?.scalarText == "0000000000000000000000c7")
            #expect(other["options"]?.items.compactMap { $0["id"]?.scalarText } == ["networkMetadata", "geolocation"])
            #expect(other["tokensInUse"]?.scalarText == "1")
            let onIt = try await Self.json(client, "/v2/contract-infos/0000000000000000000000c7/devices")
            #expect(onIt.listed.compactMap { $0["id"]?.scalarText } == ["78"])
        }
    }

    @Test("the operator of the stations, read from the radio model")
    func operatorDetails() async throws {
        try await InProcessServe().test { client in
            let node = try await Self.json(client, "/v2/operators/000000000000000000000003")
            #expect(node["id"]?.scalarText == "000000000000000000000003")
            #expect(node["minDb"]?.scalarText == "-142")
            #expect(node["transmitterPower"]?.scalarText == "25")
        }
    }

    @Test("coverage margins and redundancy from the stations and the radio model")
    func coverage() async throws {
        try await InProcessServe().test { client in
            let near = try await Self.json(client, "/v2/coverages/global/predictions?lat=43.6&lng=1.44&radius=500")
            #expect(near["locationCovered"]?.scalarText == "true")
            let margins = near["margins"]?.items.compactMap { $0.scalarText.flatMap(Int.init) } ?? []
            #expect(margins.count == 3)
            #expect(margins == margins.sorted(by: >) && margins[0] > 0, "\(margins)")
            let far = try await Self.json(client, "/v2/coverages/global/predictions?lat=0&lng=0")
            #expect(far["locationCovered"]?.scalarText == "false")
            #expect(far["margins"]?.items.compactMap(\.scalarText) == ["0", "0", "0"])

            let body = #"{"locations":[{"lat":43.6,"lng":1.44},{"lat":0,"lng":0}]}"#
            let many = try await client.request(
                .post,
                "/v2/coverages/global/predictions",
                body: body,
                headers: apiV2Credentials
            )
            let points = try JSONParser.parse(many.body).listed
            #expect(points.compactMap { $0["locationCovered"]?.scalarText } == ["true", "false"])
            let bulk = try await client.request(
                .post,
                "/v2/coverages/global/predictions/bulk",
                body: body,
                headers: apiV2Credentials
            )
            #expect(bulk.status == 201)
            let job = try #require(try JSONParser.parse(bulk.body)["jobId"]?.scalarText)
            let result = try await Self.json(client, "/v2/coverages/global/predictions/bulk/" + job)
            #expect(result["jobDone"]?.scalarText == "true")
            #expect(result["results"]?.items.count == 2)

            let redundancy = "/v2/coverages/operators/redundancy?lat=43.6&lng=1.44"
            let heard = try await Self.json(client, redundancy)["redundancy"]?.scalarText.flatMap(Int.init) ?? 0
            #expect((1...3).contains(heard))
            let underground = try await Self.json(client, redundancy + "&deviceSituation=UNDERGROUND")
            #expect((underground["redundancy"]?.scalarText.flatMap(Int.init) ?? 9) < heard)
            let far0 = "/v2/coverages/operators/redundancy?lat=0&lng=0"
            #expect(try await Self.json(client, far0)["redundancy"]?.scalarText == "0")
        }
    }

    @Test("tiles: the layer's bounds and a KMZ of the stations' coverage, public and Monarch (a job)")
    func tiles() async throws {
        try await InProcessServe().test { client in
            let tiles = try await Self.json(client, "/v2/tiles/public-coverage")
            let south = try #require(tiles["bounds"]?["sw"]?["lat"]?.scalarText.flatMap(Double.init))
            #expect(south < 43.59)
            #expect(tiles["tmsTemplateUrl"]?.scalarText?.contains("{z}") == true)
            #expect(try await Self.json(client, "/v2/tiles/monarch")["bounds"] != nil)

            let file = "/tiles.kmz?zoom=0&north=0&south=0&west=0&east=0"
            let kmz = try await client.get("/v2/tiles/public-coverage/kmz" + file, headers: apiV2Credentials)
            #expect(kmz.status == 200)
            #expect(kmz.headers[.contentType] == "application/vnd.google-earth.kmz")
            #expect(kmz.body.hasPrefix("PK"))
            #expect(kmz.body.contains("<name>1D44</name>"))

            let started = try await client.request(
                .post,
                "/v2/tiles/monarch/kmz",
                body: #"{"coverageMode":"OVERLAP_INDOOR_U1"}"#,
                headers: apiV2Credentials
            )
            #expect(started.status == 201, "\(started.body)")
            let job = try #require(try JSONParser.parse(started.body)["jobId"]?.scalarText)
            #expect(try await Self.json(client, "/v2/tiles/monarch/kmz/" + job)["jobDone"]?.scalarText == "true")
            let layer = try await client.get("/v2/tiles/monarch/kmz/" + job + file, headers: apiV2Credentials)
            #expect(layer.status == 200)
            #expect(layer.body.contains("margin 25 dB"))
        }
    }

    @Test("the KMZ is a zip whose CRC-32 is the standard one")
    func zipChecksum() {
        #expect(CoverageKMZ.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        let zip = CoverageKMZ.zip(name: "doc.kml", contents: Array("<kml/>".utf8))
        #expect(Array(zip.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
        #expect(Array(zip.suffix(22).prefix(4)) == [0x50, 0x4B, 0x05, 0x06])
    }
}
