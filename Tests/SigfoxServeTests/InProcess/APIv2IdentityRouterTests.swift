import Foundation
import HTTPTypes
import SigfoxModel
import Synchronization
import Testing

@testable import SigfoxCloud

/// The API v2's groups, profiles, API users and users through the router, without sockets: each
/// operation's success and its main errors, API users' credentials and rights, and the state kept.
@Suite("serve's API v2 identity resources, in process", .serialized, .timeLimit(.minutes(2)))
struct APIv2IdentityRouterTests {
    static let root = "000000000000000000000001"
    static let writer = "000000000000000000000101"
    static let reader = "000000000000000000000102"

    static func basic(_ login: String, _ password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(login):\(password)".utf8).base64EncodedString()]
    }

    /// `method path` with the default credentials; the answer, its status checked.
    @discardableResult
    static func call(
        _ client: InProcessClient,
        _ method: HTTPTypes.HTTPRequest.Method,
        _ path: String,
        _ body: String? = nil,
        expect status: Int,
        headers: HTTPFields = apiV2Credentials
    ) async throws -> InProcessClient.Answer {
        let answer = try await client.request(method, path, body: body, headers: headers)
        #expect(answer.status == status, "\(method) \(path): \(answer.body)")
        return answer
    }

    /// Creates an API user with `profile`; its id and access token.
    static func apiUser(_ client: InProcessClient, profile: String) async throws -> (String, String) {
        let body = #"{"groupId":"\#(root)","name":"robot","timezone":"Europe/Paris","profileIds":["\#(profile)"]}"#
        let created = try await call(client, .post, "/v2/api-users/", body, expect: 201)
        let id = try #require(try JSONParser.parse(created.body)["id"]?.scalarText)
        #expect(created.headers[.location]?.hasSuffix("/v2/api-users/\(id)") == true)
        let user = try JSONParser.parse(try await call(client, .get, "/v2/api-users/\(id)", expect: 200).body)
        return (id, try #require(user["accessToken"]?.scalarText))
    }

    @Test("groups: the root group, create, read, list with parentIds, update, delete, and their errors")
    func groups() async throws {
        try await InProcessServe().test { client in
            let rootGroup = try JSONParser.parse(
                try await Self.call(client, .get, "/v2/groups/\(Self.root)", expect: 200).body
            )
            #expect(rootGroup["name"]?.scalarText == "sigfox-sim")
            #expect(rootGroup["type"]?.scalarText == "2")
            // The group the device types show is this one.
            let types = try JSONParser.parse(try await Self.call(client, .get, "/v2/device-types/", expect: 200).body)
            #expect(types.listed.first?["group"]?["id"]?.scalarText == Self.root)
            let body =
                #"{"name":"Fleet A","description":"a","type":8,"timezone":"Europe/Paris","parentId":"\#(Self.root)"}"#
            let created = try await Self.call(client, .post, "/v2/groups/", body, expect: 201)
            let id = try #require(try JSONParser.parse(created.body)["id"]?.scalarText)
            #expect(created.headers[.location]?.hasSuffix("/v2/groups/\(id)") == true)
            let group = try JSONParser.parse(try await Self.call(client, .get, "/v2/groups/\(id)", expect: 200).body)
            #expect(group["path"]?.items.first?["id"]?.scalarText == Self.root)
            #expect(group["leaf"]?.scalarText == "true")
            let children = try JSONParser.parse(
                try await Self.call(client, .get, "/v2/groups/?parentIds=\(Self.root)", expect: 200).body
            )
            #expect(children.listed.map { $0["id"]?.scalarText } == [id])
            let all = try JSONParser.parse(try await Self.call(client, .get, "/v2/groups/?limit=1", expect: 200).body)
            #expect(all.listed.count == 1 && all["paging"]?["next"]?.scalarText?.hasPrefix("http://") == true)
            try await Self.call(client, .put, "/v2/groups/\(id)", #"{"name":"Fleet B"}"#, expect: 204)
            let renamed = try JSONParser.parse(try await Self.call(client, .get, "/v2/groups/\(id)", expect: 200).body)
            #expect(renamed["name"]?.scalarText == "Fleet B" && renamed["nameCI"]?.scalarText == "fleet b")
            try await Self.call(client, .get, "/v2/groups/\(id)/callbacks-not-delivered", expect: 200)
            let geoloc = try await Self.call(client, .get, "/v2/groups/\(id)/geoloc-payloads", expect: 200)
            #expect(geoloc.body == #"{"data":[],"paging":{}}"#)
            try await Self.call(client, .delete, "/v2/groups/\(id)", expect: 204)
            try await Self.call(client, .get, "/v2/groups/\(id)", expect: 404)
            try await Self.call(client, .delete, "/v2/groups/\(Self.root)", expect: 403)
            let bad = try await Self.call(
                client,
                .post,
                "/v2/groups/",
                #"{"name":"ab","description":"","type":2,"timezone":"UTC","parentId":"\#(Self.root)"}"#,
                expect: 400
            )
            #expect(try JSONParser.parse(bad.body)["errors"]?.items.first?["field"]?.scalarText == "name")
            let orphan = try await Self.call(
                client,
                .post,
                "/v2/groups/",
                #"{"name":"abc","description":"","type":2,"timezone":"UTC","parentId":"nope"}"#,
                expect: 400
            )
            #expect(try JSONParser.parse(orphan.body)["errors"]?.items.first?["field"]?.scalarText == "parentId")
            try await Self.call(client, .get, "/v2/groups/nope/geoloc-payloads", expect: 404)
        }
    }

    @Test("profiles: the fixed set, one by id, 400 without groupId, 404 for an unknown id")
    func profiles() async throws {
        try await InProcessServe().test { client in
            let listing = try JSONParser.parse(
                try await Self.call(client, .get, "/v2/profiles/?groupId=\(Self.root)", expect: 200).body
            )
            #expect(
                listing.listed.compactMap { $0["name"]?.scalarText } == [
                    "CUSTOMER [W]", "CUSTOMER [R]", "DEVICE MANAGER [W]", "DEVICE MANAGER [R]",
                ]
            )
            let profile = try JSONParser.parse(
                try await Self.call(client, .get, "/v2/profiles/\(Self.reader)", expect: 200).body
            )
            #expect(profile["roles"]?.items.isEmpty == false && profile["group"]?["id"]?.scalarText == Self.root)
            let missing = try await Self.call(client, .get, "/v2/profiles/", expect: 400)
            #expect(try JSONParser.parse(missing.body)["errors"]?.items.first?["field"]?.scalarText == "groupId")
            let unknown = try await Self.call(client, .get, "/v2/profiles/nope", expect: 404)
            #expect(try JSONParser.parse(unknown.body)["message"]?.scalarText?.isEmpty == false)
        }
    }

    @Test("API users: create, list, update, profiles added and removed, renewed credential, delete, errors")
    func apiUsers() async throws {
        try await InProcessServe().test { client in
            let (id, token) = try await Self.apiUser(client, profile: Self.reader)
            let listing = try JSONParser.parse(try await Self.call(client, .get, "/v2/api-users/", expect: 200).body)
            #expect(listing.listed.map { $0["id"]?.scalarText } == [id])
            #expect(listing.listed.first?["group"]?["name"]?.scalarText == "sigfox-sim")
            try await Self.call(
                client,
                .put,
                "/v2/api-users/\(id)",
                #"{"name":"robot 2","timezone":"UTC"}"#,
                expect: 204
            )
            try await Self.call(
                client,
                .put,
                "/v2/api-users/\(id)/profiles",
                #"{"profileIds":["\#(Self.writer)"]}"#,
                expect: 204
            )
            var user = try JSONParser.parse(try await Self.call(client, .get, "/v2/api-users/\(id)", expect: 200).body)
            #expect(user["name"]?.scalarText == "robot 2")
            #expect(user["profiles"]?.items.compactMap { $0["id"]?.scalarText } == [Self.reader, Self.writer])
            try await Self.call(client, .delete, "/v2/api-users/\(id)/profiles/\(Self.reader)", expect: 204)
            try await Self.call(client, .delete, "/v2/api-users/\(id)/profiles/\(Self.reader)", expect: 404)
            let renewed = try JSONParser.parse(
                try await Self.call(client, .put, "/v2/api-users/\(id)/renew-credential", expect: 200).body
            )
            let fresh = try #require(renewed["accessToken"]?.scalarText)
            #expect(fresh != token)
            // The old token no longer logs in; the new one does.
            try await Self.call(client, .get, "/v2/devices/", expect: 401, headers: Self.basic(id, token))
            try await Self.call(client, .get, "/v2/devices/", expect: 200, headers: Self.basic(id, fresh))
            user = try JSONParser.parse(try await Self.call(client, .get, "/v2/api-users/\(id)", expect: 200).body)
            #expect(user["accessToken"]?.scalarText == fresh)
            try await Self.call(client, .delete, "/v2/api-users/\(id)", expect: 204)
            try await Self.call(client, .get, "/v2/api-users/\(id)", expect: 404)
            try await Self.call(client, .get, "/v2/devices/", expect: 401, headers: Self.basic(id, fresh))
            for (body, field) in [
                (#"{"groupId":"\#(Self.root)","name":"x","timezone":"UTC"}"#, "profileIds"),
                (#"{"groupId":"\#(Self.root)","name":"x","timezone":"UTC","profileIds":["nope"]}"#, "profileIds"),
                (#"{"groupId":"nope","name":"x","timezone":"UTC","profileIds":[]}"#, "groupId"),
                (#"{"groupId":"\#(Self.root)","name":"x","timezone":"Mars/Olympus","profileIds":[]}"#, "timezone"),
            ] {
                let answer = try await Self.call(client, .post, "/v2/api-users/", body, expect: 400)
                #expect(try JSONParser.parse(answer.body)["errors"]?.items.first?["field"]?.scalarText == field)
            }
            try await Self.call(client, .put, "/v2/api-users/nope/renew-credential", expect: 404)
        }
    }

    @Test("an API user's credentials: 401 with a wrong password, 403 on writes with a read-only profile")
    func rights() async throws {
        try await InProcessServe().test { client in
            let (reader, token) = try await Self.apiUser(client, profile: Self.reader)
            try await Self.call(client, .get, "/v2/device-types/", expect: 200, headers: Self.basic(reader, token))
            let wrong = try await Self.call(
                client,
                .get,
                "/v2/device-types/",
                expect: 401,
                headers: Self.basic(reader, "x")
            )
            #expect(wrong.headers[.wwwAuthenticate] == "Basic realm=\"sigfox-sim\"")
            for (method, path) in [
                (HTTPTypes.HTTPRequest.Method.post, "/v2/device-types/"), (.put, "/v2/groups/\(Self.root)"),
                (.delete, "/v2/devices/2C30EA"),
            ] {
                let answer = try await Self.call(
                    client,
                    method,
                    path,
                    #"{"name":"X"}"#,
                    expect: 403,
                    headers: Self.basic(reader, token)
                )
                let node = try JSONParser.parse(answer.body)
                #expect(node["message"]?.scalarText?.hasPrefix("Forbidden") == true && node.entries?.count == 1)
            }
            // The device is still there.
            try await Self.call(client, .get, "/v2/devices/2C30EA", expect: 200, headers: Self.basic(reader, token))
        }
    }

    @Test("a device type created through /v2 by an API user with write rights works: its device's uplink is delivered")
    func writerCreatesDeviceType() async throws {
        try await InProcessServe(time: .scaled(20)).test { client in
            let (writer, token) = try await Self.apiUser(client, profile: Self.writer)
            let auth = Self.basic(writer, token)
            let created = try await Self.call(
                client,
                .post,
                "/v2/device-types/",
                #"{"name":"Meter","payloadType":3,"payloadConfig":"count::uint:16"}"#,
                expect: 201,
                headers: auth
            )
            let type = try #require(try JSONParser.parse(created.body)["id"]?.scalarText)
            let callback =
                #"{"channel":"URL","callbackType":0,"callbackSubtype":2,"enabled":true,"url":"{receiver}/meter?c={customData#count}","httpMethod":"GET"}"#
            try await Self.call(
                client,
                .post,
                "/v2/device-types/\(type)/callbacks",
                callback,
                expect: 201,
                headers: auth
            )
            let device =
                #"{"id":"ABC1","name":"meter 1","deviceTypeId":"\#(type)","pac":"0123456789ABCDEF","lat":43.6,"lng":1.44}"#
            try await Self.call(client, .post, "/v2/devices/", device, expect: 201, headers: auth)
            #expect(try await client.post("/sim/devices/ABC1/uplinks", #"{"payload":"0007"}"#).status == 201)
            let attempts = try await client.waitFor("/sim/attempts") { node in
                node.listed.contains { $0["device"]?.scalarText == "ABC1" }
            }
            #expect(attempts.listed.contains { $0["device"]?.scalarText == "ABC1" })
            let messages = try JSONParser.parse(
                try await Self.call(client, .get, "/v2/devices/ABC1/messages", expect: 200, headers: auth).body
            )
            #expect(messages.listed.first?["data"]?.scalarText == "0007")
        }
    }

    @Test("users: create, read, list by text, update, roles added and removed, delete, errors")
    func users() async throws {
        try await InProcessServe().test { client in
            let body =
                #"{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","timezone":"Europe/London","userRoles":[{"groupId":"\#(Self.root)","profileId":"\#(Self.reader)"}]}"#
            let created = try await Self.call(client, .post, "/v2/users/", body, expect: 201)
            let id = try #require(try JSONParser.parse(created.body)["id"]?.scalarText)
            #expect(created.headers[.location]?.hasSuffix("/v2/users/\(id)") == true)
            var user = try JSONParser.parse(try await Self.call(client, .get, "/v2/users/\(id)", expect: 200).body)
            #expect(user["email"]?.scalarText == "ada@example.com")
            #expect(user["userRoles"]?.items.first?["profile"]?["name"]?.scalarText == "CUSTOMER [R]")
            let found = try JSONParser.parse(
                try await Self.call(client, .get, "/v2/users/?text=love", expect: 200).body
            )
            #expect(found.listed.count == 1)
            try await Self.call(client, .put, "/v2/users/\(id)", #"{"firstName":"Augusta"}"#, expect: 204)
            let role = #"{"userRoles":[{"groupId":"\#(Self.root)","profileId":"\#(Self.writer)"}]}"#
            try await Self.call(client, .put, "/v2/users/\(id)/profiles", role, expect: 204)
            try await Self.call(
                client,
                .delete,
                "/v2/users/\(id)/profiles/\(Self.reader)?groupId=\(Self.root)",
                expect: 204
            )
            user = try JSONParser.parse(try await Self.call(client, .get, "/v2/users/\(id)", expect: 200).body)
            #expect(user["firstName"]?.scalarText == "Augusta")
            #expect(user["userRoles"]?.items.compactMap { $0["profile"]?["id"]?.scalarText } == [Self.writer])
            let duplicate = try await Self.call(client, .post, "/v2/users/", body, expect: 400)
            #expect(try JSONParser.parse(duplicate.body)["errors"]?.items.first?["field"]?.scalarText == "email")
            let noRoles = try await Self.call(
                client,
                .post,
                "/v2/users/",
                #"{"firstName":"B","lastName":"C","email":"b@c.d"}"#,
                expect: 400
            )
            #expect(try JSONParser.parse(noRoles.body)["errors"]?.items.first?["field"]?.scalarText == "userRoles")
            let badRole = #"{"userRoles":[{"groupId":"\#(Self.root)","profileId":"nope"}]}"#
            let bad = try await Self.call(client, .put, "/v2/users/\(id)/profiles", badRole, expect: 400)
            #expect(
                try JSONParser.parse(bad.body)["errors"]?.items.first?["field"]?.scalarText == "userRoles[0].profileId"
            )
            try await Self.call(client, .delete, "/v2/users/\(id)", expect: 204)
            try await Self.call(client, .get, "/v2/users/\(id)", expect: 404)
            try await Self.call(client, .put, "/v2/users/\(id)", #"{"firstName":"X"}"#, expect: 404)
        }
    }

    @Test("the identity state is kept in the store, loaded by a restart on the same --data, and reset clears it")
    func kept() async throws {
        let first = try await InProcessServe()
        let user = Mutex<(id: String, token: String, document: String)?>(nil)
        try await first.test { client in
            let (id, token) = try await Self.apiUser(client, profile: Self.writer)
            // The engine keeps the configuration in the store on its next turn.
            let deadline = Date().addingTimeInterval(10)
            var document = ""
            repeat {
                document = (try first.server.engine.store.state("document") ?? nil) ?? ""
                if document.contains(token) { break }
                try await Task.sleep(for: .milliseconds(50))
            } while Date() < deadline
            #expect(document.contains(token))
            user.withLock { $0 = (id, token, document) }
            #expect(try await client.post("/sim/reset").status == 200)
            let listing = try JSONParser.parse(try await Self.call(client, .get, "/v2/api-users/", expect: 200).body)
            #expect(listing.listed.isEmpty)
        }
        let kept = try #require(user.withLock { $0 })
        // A restart on a data folder holding that configuration (the first folder is gone with its server).
        let folder = InProcessServe.newFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            let store = try CloudStore(path: folder + "/sigfox-sim.sqlite")
            try store.write(StoreBatch(state: [("document", kept.document)]))
        }
        try await InProcessServe(folder: folder).test { client in
            let auth = Self.basic(kept.id, kept.token)
            let listing = try JSONParser.parse(
                try await Self.call(client, .get, "/v2/api-users/", expect: 200, headers: auth).body
            )
            #expect(listing.listed.map { $0["id"]?.scalarText } == [kept.id])
        }
    }
}
