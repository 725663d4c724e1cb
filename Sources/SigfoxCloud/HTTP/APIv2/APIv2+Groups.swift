import Foundation
import HTTPTypes
import Hummingbird
import SigfoxModel

/// `/v2/groups` (the group tree under the emulator's root group) and `/v2/profiles` (the fixed profiles).
extension APIv2 {
    var groupRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("groups") { request, _ in try listGroups(request) }
        routes.post("groups") { request, context in try await createGroup(request, context) }
        routes.get("groups/:id") { _, context in
            let identity = configuration.document.identity
            return JSONAnswer(GroupBody(try group(context, in: identity), in: identity))
        }
        routes.put("groups/:id") { request, context in try await updateGroup(request, context) }
        routes.delete("groups/:id") { _, context in try await deleteGroup(context) }
        routes.get("groups/:id/callbacks-not-delivered") { request, context in
            try notDelivered(request, group: try group(context, in: configuration.document.identity))
        }
        // The emulator keeps no geolocation payload configurations: every group's list is empty.
        routes.get("groups/:id/geoloc-payloads") { request, context in
            _ = try group(context, in: configuration.document.identity)
            let query = try V2Query(request, allowed: ["limit", "offset", "pageId"])
            return query.listing(ofAll: [String](), request)
        }
        routes.get("profiles") { request, _ in try listProfiles(request) }
        routes.get("profiles/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let profile = IdentityProfile.byID(id) else { throw Self.notFound("profile", id) }
            return JSONAnswer(ProfileBody(profile, in: configuration.document.identity))
        }
        return routes
    }

    // MARK: Shared by the identity resources

    static func notFound(_ what: String, _ id: String) -> APIError {
        APIError(status: 404, message: "The requested resource was not found: no \(what) '\(id)'")
    }

    func group(_ context: BasicRequestContext, in identity: Identity) throws(APIError) -> IdentityGroup {
        let id = context.parameters.get("id") ?? ""
        guard let group = identity.group(id) else { throw Self.notFound("group", id) }
        return group
    }

    /// 201 with `{"id"}` and the new entity's absolute URL in `Location` (the reference's headers).
    static func created(_ request: Request, id: String) -> JSONAnswer {
        created(request, CreatedID(id: id), id: id)
    }

    /// 201 with `body` and `Location` the absolute URL of the entity `id` under the path asked (a new device
    /// at `.../devices/{id}`, a job at `.../bulk/{jobId}`), where the client called (``Request/absoluteURL(_:query:)``).
    static func created(_ request: Request, _ body: some Encodable, id: String) -> JSONAnswer {
        var path = request.uri.path
        if !path.hasSuffix("/") { path += "/" }
        return JSONAnswer(status: .created, body, headers: [.location: request.absoluteURL(path + id)])
    }

    /// The current time in ms since the epoch, the `creationTime` of what the API creates.
    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    // MARK: Groups

    func listGroups(_ request: Request) throws(APIError) -> JSONAnswer {
        let query = try V2Query(
            request,
            allowed: [
                "parentIds", "deep", "name", "types", "fields", "action", "sort", "authorizations", "limit", "offset",
                "pageId",
            ]
        )
        let identity = configuration.document.identity
        var groups = identity.allGroups
        // Read whether or not parentIds is given: a wrong value is a 400 either way.
        let deep = try query.bool("deep") ?? false
        if let parents = query.values["parentIds"] {
            let ids = parents.split(separator: ",").map(String.init)
            groups = ids.flatMap { id in
                deep ? identity.descendants(of: id) : identity.groups.filter { $0.parentID == id }
            }
        }
        if let name = query.values["name"] { groups = groups.filter { $0.name.localizedCaseInsensitiveContains(name) } }
        if let text = query.values["types"] {
            var types = [Int]()
            for item in text.split(separator: ",") {
                guard let type = Int(item) else {
                    throw V2Error.invalid("query", "types", "expected group types (whole numbers), found '\(item)'")
                }
                types.append(type)
            }
            groups = groups.filter { types.contains($0.type) }
        }
        return query.listing(ofAll: groups.map { GroupBody($0, in: identity) }, request)
    }

    func createGroup(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var object = try await bodyObject(request, context)
        let identity = configuration.document.identity
        var group = IdentityGroup(
            id: Identity.newID(),
            name: "",
            description: "",
            type: 2,
            timezone: "UTC",
            parentID: nil,
            createdBy: "sigfox-sim",
            creationTime: Self.now
        )
        do throws(ConfigError) {
            try object.rejectFields(outside: ["name", "description", "type", "timezone", "parentId"])
            try Self.groupFields(&object, into: &group, creating: true)
            let parent = try Self.required(&object, "parentId")
            guard identity.group(parent) != nil else { throw object.error("parentId", "no group '\(parent)'") }
            group.parentID = parent
        } catch {
            throw APIError(error)
        }
        let created = group
        _ = try await control.reconfigure { document throws(ConfigError) in
            try document.changingIdentity { (identity: inout Identity) throws(ConfigError) in
                identity.groups.append(created)
            }
        }
        return Self.created(request, id: group.id)
    }

    func updateGroup(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        let identity = configuration.document.identity
        var group = try group(context, in: identity)
        guard group.id != IdentityGroup.root.id else {
            throw APIError(status: 403, message: "Forbidden: the root group 'sigfox-sim' cannot be changed")
        }
        var object = try await bodyObject(request, context)
        do throws(ConfigError) {
            try object.rejectFields(outside: ["name", "description", "type", "timezone"])
            try Self.groupFields(&object, into: &group, creating: false)
        } catch {
            throw APIError(error)
        }
        let changed = group
        _ = try await control.reconfigure { document throws(ConfigError) in
            try document.changingIdentity { (identity: inout Identity) throws(ConfigError) in
                if let index = identity.groups.firstIndex(where: { $0.id == changed.id }) {
                    identity.groups[index] = changed
                }
            }
        }
        return JSONAnswer.noContent
    }

    /// **Emulator rule:** the root group cannot be deleted (403); a group that still has groups, API users
    /// or users is not deleted (400), as the live cloud keeps no orphans.
    func deleteGroup(_ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        let identity = configuration.document.identity
        let group = try group(context, in: identity)
        guard group.id != IdentityGroup.root.id else {
            throw APIError(status: 403, message: "Forbidden: the root group 'sigfox-sim' cannot be deleted")
        }
        let used =
            identity.groups.contains { $0.parentID == group.id }
            || identity.apiUsers.contains { $0.groupID == group.id }
            || identity.users.contains { $0.roles.contains { $0.groupID == group.id } }
        guard !used else {
            throw V2Error.invalid(
                "path",
                "id",
                "group \(group.id) still has groups, API users or users; delete them first"
            )
        }
        _ = try await control.reconfigure { document throws(ConfigError) in
            try document.changingIdentity { (identity: inout Identity) throws(ConfigError) in
                identity.groups.removeAll { $0.id == group.id }
            }
        }
        return JSONAnswer.noContent
    }

    /// `name` (3 to 100 characters), `description` (at most 300), `type`, `timezone` of a group's body.
    private static func groupFields(
        _ object: inout ConfigObject,
        into group: inout IdentityGroup,
        creating: Bool
    ) throws(ConfigError) {
        if let name = creating ? try required(&object, "name") : try object.string("name") {
            guard (3...100).contains(name.count) else { throw object.error("name", "must be 3 to 100 characters") }
            group.name = name
        }
        if let description = creating ? try required(&object, "description") : try object.string("description") {
            guard description.count <= 300 else { throw object.error("description", "must be at most 300 characters") }
            group.description = description
        }
        if let type = try object.integer("type") {
            guard IdentityGroup.types.contains(type) else {
                throw object.error("type", "expected one of the group types 0, 2, 5, 6, 7, 8, 9, 10, 11")
            }
            group.type = type
        } else if creating {
            throw object.error("type", "missing 'type'")
        }
        if let timezone = creating ? try required(&object, "timezone") : try object.string("timezone") {
            group.timezone = try checkedTimezone(object, "timezone", timezone)
        }
    }

    /// A required string field of a body.
    static func required(_ object: inout ConfigObject, _ key: String) throws(ConfigError) -> String {
        guard let value = try object.string(key) else { throw object.error(key, "missing '\(key)'") }
        return value
    }

    /// A Java TimeZone ID such as `Europe/Paris` (Foundation knows the same names).
    static func checkedTimezone(_ object: ConfigObject, _ key: String, _ text: String) throws(ConfigError) -> String {
        guard TimeZone(identifier: text) != nil else {
            throw object.error(key, "unknown timezone '\(text)'; expected a name such as Europe/Paris")
        }
        return text
    }

    /// A list of strings (`profileIds`), or nil when absent.
    static func stringList(_ object: inout ConfigObject, _ key: String) throws(ConfigError) -> [String]? {
        guard let node = object.node(key) else { return nil }
        guard case .array(let items) = node.value else { throw object.error(key, "expected a list of ids") }
        var values = [String]()
        for item in items {
            guard let text = item.scalarText else { throw object.error(key, "expected a list of ids") }
            values.append(text)
        }
        return values
    }

    // MARK: Profiles

    /// **Emulator rule:** every group offers the same fixed profiles (``IdentityProfile/all``); `groupId` must
    /// name a group.
    func listProfiles(_ request: Request) throws(APIError) -> JSONAnswer {
        let query = try V2Query(
            request,
            allowed: ["groupId", "inherit", "fields", "limit", "offset", "authorizations"]
        )
        let identity = configuration.document.identity
        guard let groupID = query.values["groupId"] else {
            throw V2Error.invalid("query", "groupId", "missing 'groupId'")
        }
        // The reference lists no 404 for this operation: an unknown group is a bad query.
        guard identity.group(groupID) != nil else {
            throw V2Error.invalid("query", "groupId", "no group '\(groupID)'")
        }
        let profiles = IdentityProfile.all.map { ProfileBody($0, in: identity) }
        return query.listing(ofAll: profiles, request)
    }

    func notDelivered(_ request: Request, group: IdentityGroup) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: Self.listing)
        // Every device belongs to the root group; the groups created through the API hold none.
        let rows =
            group.id == IdentityGroup.root.id
            ? try Self.reading { try engine.store.triesNotDelivered(page: query.page) } : []
        let items: [V2ErrorMessage] = rows.prefix(query.limit).flatMap { row in
            Self.errorEntries(row, device: nil, milliseconds: true)
        }
        return JSONAnswer(Listing.v2(items, next: query.nextPage(request, more: rows.count > query.limit)))
    }
}
