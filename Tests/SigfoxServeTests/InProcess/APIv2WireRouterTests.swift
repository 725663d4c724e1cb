import Foundation
import HTTPTypes
import SigfoxModel
import Testing

@testable import SigfoxCloud

/// The API v2 as the live cloud answers it (`../shared/reference/WIRE.md`): messages with their wire fields,
/// absolute `paging.next` paged by `before`, `Location` on 201, every field of a device, and the device reads
/// (locations, certificates, consumption), through the router without sockets.
@Suite("serve's API v2 on the wire, in process", .serialized, .timeLimit(.minutes(2)))
struct APIv2WireRouterTests {
    /// The default scenario's stations and type, with a device on each contract the tests need.
    static let scenario = """
        name: wire
        seed: 1
        baseStations:
          - { id: 1D44, lat: 43.61, lng: 1.45, operatorName: SIGFOX_Spain, countryCode: "724" }
          - { id: A9DC, lat: 43.59, lng: 1.43, operatorName: SIGFOX_Spain, countryCode: "724" }
          - { id: 0B2F, lat: 43.62, lng: 1.40, operatorName: SIGFOX_Spain, countryCode: "724" }
        deviceTypes:
          - id: 5f1d3a2b4c6e8f0a1b2c3d4e
            name: T
        devices:
          - { id: 2C30EA, deviceType: T, lat: 43.600, lng: 1.440, pac: 0123456789ABCDEF }
          - { id: 2C30EB, deviceType: T, lat: 43.605, lng: 1.435, networkMetadata: false }
          - { id: 2C30EC, deviceType: T, lat: 43.598, lng: 1.445, geolocation: true }
        """

    /// The fields a device has on the wire (WIRE.md: those `sigfox-manager` requires).
    static let deviceWireFields: Set<String> = [
        "id", "name", "satelliteCapable", "repeater", "messageModulo", "group", "prototype", "location", "pac",
        "lqi", "creationTime", "state", "comState", "createdBy", "lastEditionTime", "lastEditedBy",
        "automaticRenewal", "automaticRenewalStatus", "activable",
    ]

    static func json(_ client: InProcessClient, _ path: String) async throws -> ConfigNode {
        let answer = try await client.get(path, headers: apiV2Credentials)
        #expect(answer.status == 200, "GET \(path): \(answer.body)")
        return try JSONParser.parse(answer.body)
    }

    /// Sends `count` uplinks of `device` and waits until the API v2 lists them all.
    static func send(_ client: InProcessClient, _ device: String, count: Int) async throws -> [ConfigNode] {
        for index in 0..<count {
            let payload = String(format: "%02x", index)
            #expect(
                try await client.post("/sim/devices/\(device)/uplinks", #"{"payload":"\#(payload)"}"#).status == 201
            )
        }
        let deadline = Date().addingTimeInterval(60)
        var listed = [ConfigNode]()
        while listed.count < count, Date() < deadline {
            listed = try await json(client, "/v2/devices/\(device)/messages").listed
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(listed.count == count)
        return listed
    }

    @Test("a message: RSSI and positions as strings, freq, rolloverCounter, operator, country, satInfos, device id")
    func messageBody() async throws {
        try await InProcessServe(scenario: Self.scenario, time: .scaled(20)).test { client in
            let message = try #require(try await Self.send(client, "2C30EA", count: 1).first)
            #expect(message["device"]?.entries?.map(\.key) == ["id"])
            #expect(message["device"]?["id"]?.scalarText == "2C30EA")
            #expect(message["rolloverCounter"]?.scalarText == "0")
            #expect(message["operator"]?.scalarText == "SIGFOX_Spain")
            #expect(message["country"]?.scalarText == "ESP")
            #expect(message["satInfos"]?.items.isEmpty == true)
            #expect(message["computedLocation"]?.items.isEmpty == true)
            let rinfo = try #require(message["rinfos"]?.items.first)
            let rssi = try #require(rinfo["rssi"])
            guard case .string(let text) = rssi.value else {
                Issue.record("rssi is not a string: \(rssi.jsonText)")
                return
            }
            #expect(text.wholeMatch(of: /-?[0-9]+\.[0-9]{2}/) != nil, "\(text)")
            guard case .string(let lat) = rinfo["lat"]?.value else {
                Issue.record("lat is not a string")
                return
            }
            #expect(["43.61", "43.59", "43.62"].contains(lat))
            guard case .number(let freq) = rinfo["freq"]?.value else {
                Issue.record("freq is not a number")
                return
            }
            #expect((868_034_000...868_226_000).contains(Double(freq) ?? 0))
            // The name only when asked for.
            let named = try await Self.json(client, "/v2/devices/2C30EA/messages?fields=device(name)").listed.first
            #expect(named?["device"]?["name"] != nil)
        }
    }

    @Test("rinfos is empty without the network metadata option; a location is computed with geolocation")
    func contractOptions() async throws {
        try await InProcessServe(scenario: Self.scenario, time: .scaled(20)).test { client in
            let bare = try #require(try await Self.send(client, "2C30EB", count: 1).first)
            #expect(bare["rinfos"]?.items.isEmpty == true)
            #expect(bare["satInfos"]?.items.isEmpty == true)
            let located = try #require(try await Self.send(client, "2C30EC", count: 1).first)
            let location = try #require(located["computedLocation"]?.items.first)
            #expect(location["source"]?.scalarText == "2")
            #expect(location["radius"] != nil)
            let locations = try await Self.json(client, "/v2/devices/2C30EC/locations").listed
            #expect(locations.count == 1)
            #expect(locations.first?["valid"]?.scalarText == "true")
            #expect(locations.first?["time"]?.scalarText == located["time"]?.scalarText)
            #expect(locations.first?["lat"]?.scalarText == location["lat"]?.scalarText)
            // Without the geolocation option the list is empty.
            #expect(try await Self.json(client, "/v2/devices/2C30EB/locations?oob=True").listed.isEmpty)
        }
    }

    @Test("paging.next is absolute where the client called, pages by before, and following it gives the next page")
    func pagingByBefore() async throws {
        try await InProcessServe(scenario: Self.scenario, time: .scaled(20)).test { client in
            let all = try await Self.send(client, "2C30EA", count: 3)
            let first = try await client.get("/v2/devices/2C30EA/messages?limit=2", headers: apiV2Credentials)
            let page = try JSONParser.parse(first.body)
            #expect(page.listed.count == 2)
            let next = try #require(page["paging"]?["next"]?.scalarText)
            let last = try #require(page.listed.last?["time"]?.scalarText)
            #expect(next == "http://localhost/v2/devices/2C30EA/messages?limit=2&before=\(last)")
            let following = try await Self.json(client, String(next.dropFirst("http://localhost".count)))
            #expect(following.listed.map { $0["time"]?.scalarText } == [all[2]["time"]?.scalarText])
            #expect(following["paging"]?.entries?.isEmpty == true, "paging is {} on the last page")
            // Other listings' next is absolute too.
            let devices = try await Self.json(client, "/v2/devices/?limit=1")
            #expect(devices["paging"]?["next"]?.scalarText == "http://localhost/v2/devices/?limit=1&offset=1")
        }
    }

    @Test("201 answers carry Location, the new entity's absolute URL, https on the TLS listener")
    func locationOn201() async throws {
        try await InProcessServe(scenario: Self.scenario).test(scheme: "https") { client in
            let headers = apiV2Credentials
            let device = try await client.request(
                .post,
                "/v2/devices/",
                body: #"{"id":"ABC1","name":"meter","deviceTypeId":"5f1d3a2b4c6e8f0a1b2c3d4e","pac":"00"}"#,
                headers: headers
            )
            #expect(device.status == 201, "\(device.body)")
            #expect(device.headers[.location] == "https://localhost/v2/devices/ABC1")
            let type = try await client.request(.post, "/v2/device-types", body: #"{"name":"X"}"#, headers: headers)
            #expect(type.status == 201, "\(type.body)")
            let typeID = try #require(try JSONParser.parse(type.body)["id"]?.scalarText)
            #expect(type.headers[.location] == "https://localhost/v2/device-types/\(typeID)")
            let callback = try await client.request(
                .post,
                "/v2/device-types/\(typeID)/callbacks",
                body: #"{"channel":"URL","callbackType":0,"callbackSubtype":2,"enabled":true,"url":"http://h/"}"#,
                headers: headers
            )
            #expect(callback.status == 201, "\(callback.body)")
            let callbackID = try #require(try JSONParser.parse(callback.body)["id"]?.scalarText)
            #expect(
                callback.headers[.location] == "https://localhost/v2/device-types/\(typeID)/callbacks/\(callbackID)"
            )
            let job = try await client.request(
                .post,
                "/v2/coverages/global/predictions/bulk",
                body: #"{"locations":[{"lat":43.6,"lng":1.44}]}"#,
                headers: headers
            )
            #expect(job.status == 201, "\(job.body)")
            let jobID = try #require(try JSONParser.parse(job.body)["jobId"]?.scalarText)
            #expect(job.headers[.location] == "https://localhost/v2/coverages/global/predictions/bulk/\(jobID)")
        }
    }

    @Test("a device has every field the wire has; creation and edition say who and when")
    func deviceFields() async throws {
        try await InProcessServe(scenario: Self.scenario).test { client in
            let device = try await Self.json(client, "/v2/devices/2C30EA")
            let keys = Set(device.entries?.map(\.key) ?? [])
            #expect(
                Self.deviceWireFields.subtracting(keys).isEmpty,
                "missing \(Self.deviceWireFields.subtracting(keys))"
            )
            #expect(device["location"]?.entries?.map(\.key) == ["lat", "lng"])
            #expect(device["createdBy"]?.scalarText == ContractInfo.userID)
            #expect(device["contract"]?["id"]?.scalarText == "000000000000000000000002")
            let start = device["creationTime"]?.scalarText
            #expect(device["lastEditionTime"]?.scalarText == start)
            let created = try await client.request(
                .post,
                "/v2/devices/",
                body: #"{"id":"ABC1","name":"meter","deviceTypeId":"5f1d3a2b4c6e8f0a1b2c3d4e","pac":"00"}"#,
                headers: apiV2Credentials
            )
            #expect(created.status == 201)
            let made = try await Self.json(client, "/v2/devices/ABC1")
            #expect(made["creationTime"]?.scalarText != start)
            #expect(made["creationTime"]?.scalarText == made["lastEditionTime"]?.scalarText)
            let renamed = try await client.request(
                .put,
                "/v2/devices/2C30EA",
                body: #"{"name":"renamed"}"#,
                headers: apiV2Credentials
            )
            #expect(renamed.status == 204)
            let edited = try await Self.json(client, "/v2/devices/2C30EA")
            #expect(edited["creationTime"]?.scalarText == start)
            #expect(edited["lastEditionTime"]?.scalarText != start)
            let listed = try await Self.json(client, "/v2/devices/").listed
            for item in listed {
                #expect(Self.deviceWireFields.isSubset(of: Set(item.entries?.map(\.key) ?? [])))
            }
        }
    }

    @Test("the certificates of a device, and its product certificate by id and PAC")
    func certificates() async throws {
        try await InProcessServe(scenario: Self.scenario).test { client in
            let modem = try await Self.json(client, "/v2/devices/2C30EA/certificate/modem")
            #expect(modem["key"]?.scalarText == DeviceCertificates.modemKey)
            let product = try await Self.json(client, "/v2/devices/2C30EA/certificate/product")
            #expect(product["key"]?.scalarText == DeviceCertificates.productKey)
            #expect(product["devKit"]?.scalarText == "false")
            let device = try await Self.json(client, "/v2/devices/2C30EA")
            #expect(device["productCertificate"]?["id"]?.scalarText == product["id"]?.scalarText)
            #expect(device["modemCertificate"]?["id"]?.scalarText == modem["id"]?.scalarText)
            let withPac = try await Self.json(client, "/v2/devices/2C30EA/product-certificate?pac=0123456789abcdef")
            #expect(withPac["key"]?.scalarText == DeviceCertificates.productKey)
        }
    }

    @Test("a device's consumption: uplinks and downlinks per day of the year or month")
    func consumption() async throws {
        try await InProcessServe(scenario: Self.scenario, time: .scaled(20)).test { client in
            let sent = try await Self.send(client, "2C30EA", count: 2)
            let time = Int64(try #require(sent.first?["time"]?.scalarText.flatMap { Int64($0) }))
            let date = Date(timeIntervalSince1970: Double(time) / 1000)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month, .day, .dayOfYear], from: date)
            let (year, month, day, dayOfYear) = (parts.year!, parts.month!, parts.day!, parts.dayOfYear!)
            let yearly = try await Self.json(client, "/v2/devices/2C30EA/consumption/\(year)")
            #expect(yearly["id"]?.scalarText == "2C30EA_\(year)")
            let days = try #require(yearly["deviceConsumptions"]?.items)
            #expect(days.count == calendar.range(of: .day, in: .year, for: date)?.count)
            #expect(days[dayOfYear - 1]["frameCount"]?.scalarText == "2")
            #expect(days[dayOfYear - 1]["downlinkFrameCount"]?.scalarText == "0")
            #expect(days.reduce(0) { $0 + (Int($1["frameCount"]?.scalarText ?? "") ?? 0) } == 2)
            let monthly = try await Self.json(client, "/v2/devices/2C30EA/consumption/\(year)/\(month)")
            #expect(monthly["id"]?.scalarText == "2C30EA_\(year)" + String(format: "%02d", month))
            let inMonth = try #require(monthly["deviceConsumptions"]?.items)
            #expect(inMonth.count == calendar.range(of: .day, in: .month, for: date)?.count)
            #expect(inMonth[day - 1]["frameCount"]?.scalarText == "2")
            let other = try await Self.json(client, "/v2/devices/2C30EB/consumption/\(year)/\(month)")
            #expect(other["deviceConsumptions"]?.items.allSatisfy { $0["frameCount"]?.scalarText == "0" } == true)
        }
    }

    @Test(
        "errors of the device reads: unknown device, bad year or month naming it, wrong or missing PAC",
        arguments: [
            ("/v2/devices/FFFFFFFF/locations", 404, nil),
            ("/v2/devices/FFFFFFFF/certificate/modem", 404, nil),
            ("/v2/devices/FFFFFFFF/certificate/product", 404, nil),
            ("/v2/devices/FFFFFFFF/product-certificate?pac=00", 404, nil),
            ("/v2/devices/FFFFFFFF/consumption/2026", 404, nil),
            ("/v2/devices/FFFFFFFF/consumption/2026/1", 404, nil),
            ("/v2/devices/2C30EA/consumption/twenty", 400, "year"),
            ("/v2/devices/2C30EA/consumption/1969", 400, "year"),
            ("/v2/devices/2C30EA/consumption/2026/13", 400, "month"),
            ("/v2/devices/2C30EA/consumption/2026/0", 400, "month"),
            ("/v2/devices/2C30EA/product-certificate?pac=FFFF", 400, "pac"),
            ("/v2/devices/2C30EA/product-certificate", 400, "pac"),
            ("/v2/devices/2C30EA/locations?oob=maybe", 400, "oob"),
            ("/v2/devices/2C30EA/messages?before=x", 400, "before"),
        ] as [(String, Int, String?)]
    )
    func readErrors(path: String, status: Int, field: String?) async throws {
        try await InProcessServe(scenario: Self.scenario).test { client in
            let answer = try await client.get(path, headers: apiV2Credentials)
            #expect(answer.status == status, "\(path): \(answer.body)")
            let node = try JSONParser.parse(answer.body)
            #expect(node["message"]?.scalarText?.isEmpty == false)
            if let field {
                let error = try #require(node["errors"]?.items.first)
                #expect(error["field"]?.scalarText == field, "\(answer.body)")
            }
        }
    }
}
