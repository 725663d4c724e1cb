import Hummingbird
import SigfoxModel

/// `/v2/users`: the people of the live cloud's portal. **Emulator rule:** they are records (with their
/// roles: a profile on a group); they have no login, `sendWelcomeEmail` sends nothing, and `locked` is false.
extension APIv2 {
    var userRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("users") { request, _ in try listUsers(request) }
        routes.post("users") { request, context in try await createUser(request, context) }
        routes.get("users/:id") { _, context in
            let identity = configuration.document.identity
            return JSONAnswer(UserBody(try user(context, in: identity), in: identity))
        }
        routes.put("users/:id") { request, context in try await updateUser(request, context) }
        routes.delete("users/:id") { _, context in
            let user = try user(context, in: configuration.document.identity)
            try await changeIdentity { identity in identity.users.removeAll { $0.id == user.id } }
            return JSONAnswer.noContent
        }
        routes.put("users/:id/profiles") { request, context in
            let identity = configuration.document.identity
            let user = try user(context, in: identity)
            var object = try await bodyObject(request, context)
            let roles: [IdentityUser.Role]
            do throws(ConfigError) {
                try object.rejectFields(outside: ["userRoles", "baseStations", "maintenances"])
                guard let given = try Self.userRoles(&object, identity) else {
                    throw object.error("userRoles", "missing 'userRoles'")
                }
                roles = given
                _ = try object.string("baseStations")
                _ = try object.string("maintenances")
            } catch {
                throw APIError(error)
            }
            try await changeIdentity { identity in
                guard let index = identity.users.firstIndex(where: { $0.id == user.id }) else { return }
                identity.users[index].roles.appendMissing(roles)
            }
            return JSONAnswer.noContent
        }
        routes.delete("users/:id/profiles/:profileId") { request, context in
            let user = try user(context, in: configuration.document.identity)
            let profile = context.parameters.get("profileId") ?? ""
            let query = try V2Query(request, allowed: ["groupId"])
            let group = query.values["groupId"]
            let matching = { (role: IdentityUser.Role) in
                role.profileID == profile && (group == nil || role.groupID == group)
            }
            guard user.roles.contains(where: matching) else { throw Self.notFound("profile of this user", profile) }
            try await changeIdentity { identity in
                guard let index = identity.users.firstIndex(where: { $0.id == user.id }) else { return }
                identity.users[index].roles.removeAll(where: matching)
            }
            return JSONAnswer.noContent
        }
        return routes
    }

    func user(_ context: BasicRequestContext, in identity: Identity) throws(APIError) -> IdentityUser {
        let id = context.parameters.get("id") ?? ""
        guard let user = identity.users.first(where: { $0.id == id }) else { throw Self.notFound("user", id) }
        return user
    }

    func listUsers(_ request: Request) throws(APIError) -> JSONAnswer {
        let query = try V2Query(
            request,
            allowed: [
                "fields", "text", "profileId", "groupIds", "deep", "sort", "authorizations", "limit", "offset",
                "pageId",
            ]
        )
        let identity = configuration.document.identity
        var users = identity.users
        if let text = query.values["text"] {
            users = users.filter { user in
                [user.firstName, user.lastName, user.email].contains { $0.localizedCaseInsensitiveContains(text) }
            }
        }
        if let profile = query.values["profileId"] {
            users = users.filter { $0.roles.contains { $0.profileID == profile } }
        }
        if let text = query.values["groupIds"] {
            var groups = text.split(separator: ",").map(String.init)
            if try query.bool("deep") == true {
                groups += groups.flatMap { identity.descendants(of: $0).map(\.id) }
            }
            users = users.filter { $0.roles.contains { groups.contains($0.groupID) } }
        }
        return query.listing(ofAll: users.map { UserBody($0, in: identity) }, request)
    }

    func createUser(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var object = try await bodyObject(request, context)
        let identity = configuration.document.identity
        var user = IdentityUser(
            id: Identity.newID(),
            firstName: "",
            lastName: "",
            email: "",
            timezone: "UTC",
            roles: [],
            creationTime: Self.now
        )
        do throws(ConfigError) {
            try object.rejectFields(outside: Self.userFields + ["email", "sendWelcomeEmail"])
            let email = try Self.required(&object, "email")
            guard email.count <= 250, email.contains("@") else {
                throw object.error("email", "expected an email address of at most 250 characters")
            }
            guard !identity.users.contains(where: { $0.email.lowercased() == email.lowercased() }) else {
                throw object.error("email", "a user with the email '\(email)' exists already")
            }
            user.email = email
            _ = try object.bool("sendWelcomeEmail")
            try Self.userFields(&object, into: &user, identity, creating: true)
        } catch {
            throw APIError(error)
        }
        let created = user
        try await changeIdentity { identity in identity.users.append(created) }
        return Self.created(request, id: user.id)
    }

    func updateUser(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        let identity = configuration.document.identity
        var user = try user(context, in: identity)
        var object = try await bodyObject(request, context)
        do throws(ConfigError) {
            try object.rejectFields(outside: Self.userFields)
            try Self.userFields(&object, into: &user, identity, creating: false)
        } catch {
            throw APIError(error)
        }
        let changed = user
        try await changeIdentity { identity in
            guard let index = identity.users.firstIndex(where: { $0.id == changed.id }) else { return }
            identity.users[index] = changed
        }
        return JSONAnswer.noContent
    }

    static let userFields = ["firstName", "lastName", "timezone", "userRoles", "baseStations", "maintenances"]

    /// `firstName`, `lastName` (at most 100 characters), `timezone`, `userRoles` (which replace the user's).
    private static func userFields(
        _ object: inout ConfigObject,
        into user: inout IdentityUser,
        _ identity: Identity,
        creating: Bool
    ) throws(ConfigError) {
        for key in ["firstName", "lastName"] {
            guard let value = try object.string(key) else {
                if creating { throw object.error(key, "missing '\(key)'") }
                continue
            }
            guard (1...100).contains(value.count) else { throw object.error(key, "must be 1 to 100 characters") }
            if key == "firstName" { user.firstName = value } else { user.lastName = value }
        }
        if let timezone = try object.string("timezone") {
            user.timezone = try checkedTimezone(object, "timezone", timezone)
        }
        if let roles = try userRoles(&object, identity) {
            user.roles = roles
        } else if creating {
            throw object.error("userRoles", "missing 'userRoles'")
        }
        _ = try object.string("baseStations")
        _ = try object.string("maintenances")
    }

    /// `userRoles`: `[{"groupId", "profileId"}]`, each naming a group and a profile; nil when absent.
    private static func userRoles(
        _ object: inout ConfigObject,
        _ identity: Identity
    ) throws(ConfigError) -> [IdentityUser.Role]? {
        guard let node = object.node("userRoles") else { return nil }
        guard case .array(let items) = node.value else { throw object.error("userRoles", "expected a list of roles") }
        var roles = [IdentityUser.Role]()
        for (index, item) in items.enumerated() {
            var role = try ConfigObject(item, path: object.fieldPath("userRoles[\(index)]"))
            try role.rejectFields(outside: ["groupId", "profileId"])
            let group = try required(&role, "groupId")
            guard identity.group(group) != nil else { throw role.error("groupId", "no group '\(group)'") }
            let profile = try required(&role, "profileId")
            guard IdentityProfile.byID(profile) != nil else { throw role.error("profileId", "no profile '\(profile)'") }
            roles.append(IdentityUser.Role(groupID: group, profileID: profile))
        }
        return roles
    }
}
