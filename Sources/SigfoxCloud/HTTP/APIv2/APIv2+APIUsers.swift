import Hummingbird
import SigfoxModel

/// `/v2/api-users`: API users, whose id and access token are HTTP Basic credentials of `/v2`
/// (``BasicAuthMiddleware``) with their profiles' rights.
extension APIv2 {
    var apiUserRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("api-users") { request, _ in
            let query = try V2Query(
                request,
                allowed: ["fields", "profileId", "groupIds", "limit", "offset", "authorizations"]
            )
            let identity = configuration.document.identity
            var users = identity.apiUsers
            if let profile = query.values["profileId"] { users = users.filter { $0.profileIDs.contains(profile) } }
            if let groups = query.values["groupIds"]?.split(separator: ",").map(String.init) {
                users = users.filter { groups.contains($0.groupID) }
            }
            return query.listing(ofAll: users.map { APIUserBody($0, in: identity) }, request)
        }
        routes.post("api-users") { request, context in try await createAPIUser(request, context) }
        routes.get("api-users/:id") { _, context in
            let identity = configuration.document.identity
            return JSONAnswer(APIUserBody(try apiUser(context, in: identity), in: identity))
        }
        routes.put("api-users/:id") { request, context in try await updateAPIUser(request, context) }
        routes.delete("api-users/:id") { _, context in
            let user = try apiUser(context, in: configuration.document.identity)
            try await changeIdentity { identity in identity.apiUsers.removeAll { $0.id == user.id } }
            return JSONAnswer.noContent
        }
        routes.put("api-users/:id/profiles") { request, context in
            let user = try apiUser(context, in: configuration.document.identity)
            var object = try await bodyObject(request, context)
            let added: [String]
            do throws(ConfigError) {
                try object.rejectFields(outside: ["profileIds"])
                guard let ids = try Self.stringList(&object, "profileIds") else {
                    throw object.error("profileIds", "missing 'profileIds'")
                }
                added = try Self.checkedProfiles(object, "profileIds", ids)
            } catch {
                throw APIError(error)
            }
            try await changeIdentity { identity in
                guard let index = identity.apiUsers.firstIndex(where: { $0.id == user.id }) else { return }
                identity.apiUsers[index].profileIDs.appendMissing(added)
            }
            return JSONAnswer.noContent
        }
        routes.delete("api-users/:id/profiles/:profileId") { _, context in
            let user = try apiUser(context, in: configuration.document.identity)
            let profile = context.parameters.get("profileId") ?? ""
            guard user.profileIDs.contains(profile) else { throw Self.notFound("profile of this API user", profile) }
            try await changeIdentity { identity in
                guard let index = identity.apiUsers.firstIndex(where: { $0.id == user.id }) else { return }
                identity.apiUsers[index].profileIDs.removeAll { $0 == profile }
            }
            return JSONAnswer.noContent
        }
        routes.put("api-users/:id/renew-credential") { _, context in
            let user = try apiUser(context, in: configuration.document.identity)
            let token = Identity.newAccessToken()
            try await changeIdentity { identity in
                guard let index = identity.apiUsers.firstIndex(where: { $0.id == user.id }) else { return }
                identity.apiUsers[index].accessToken = token
            }
            return JSONAnswer(AccessTokenBody(accessToken: token))
        }
        return routes
    }

    func apiUser(_ context: BasicRequestContext, in identity: Identity) throws(APIError) -> IdentityAPIUser {
        let id = context.parameters.get("id") ?? ""
        guard let user = identity.apiUsers.first(where: { $0.id == id }) else { throw Self.notFound("API user", id) }
        return user
    }

    /// Applies `change` to the identity state of the configuration (kept in the store).
    func changeIdentity(_ change: (inout Identity) -> Void) async throws(APIError) {
        _ = try await control.reconfigure { document throws(ConfigError) in
            try document.changingIdentity { (identity: inout Identity) throws(ConfigError) in change(&identity) }
        }
    }

    func createAPIUser(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var object = try await bodyObject(request, context)
        let identity = configuration.document.identity
        let user: IdentityAPIUser
        do throws(ConfigError) {
            try object.rejectFields(outside: ["groupId", "name", "timezone", "profileIds"])
            let group = try Self.required(&object, "groupId")
            guard identity.group(group) != nil else { throw object.error("groupId", "no group '\(group)'") }
            let name = try Self.required(&object, "name")
            guard (1...100).contains(name.count) else { throw object.error("name", "must be 1 to 100 characters") }
            let timezone = try Self.checkedTimezone(object, "timezone", try Self.required(&object, "timezone"))
            guard let ids = try Self.stringList(&object, "profileIds") else {
                throw object.error("profileIds", "missing 'profileIds'")
            }
            user = IdentityAPIUser(
                id: Identity.newID(),
                name: name,
                timezone: timezone,
                groupID: group,
                profileIDs: try Self.checkedProfiles(object, "profileIds", ids),
                accessToken: Identity.newAccessToken(),
                creationTime: Self.now
            )
        } catch {
            throw APIError(error)
        }
        try await changeIdentity { identity in identity.apiUsers.append(user) }
        return Self.created(request, id: user.id)
    }

    /// `name`, `timezone`, and `profileIds` (which replace the user's profiles).
    func updateAPIUser(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONAnswer {
        var user = try apiUser(context, in: configuration.document.identity)
        var object = try await bodyObject(request, context)
        do throws(ConfigError) {
            try object.rejectFields(outside: ["name", "timezone", "profileIds"])
            if let name = try object.string("name") {
                guard (1...100).contains(name.count) else { throw object.error("name", "must be 1 to 100 characters") }
                user.name = name
            }
            if let timezone = try object.string("timezone") {
                user.timezone = try Self.checkedTimezone(object, "timezone", timezone)
            }
            if let ids = try Self.stringList(&object, "profileIds") {
                user.profileIDs = try Self.checkedProfiles(object, "profileIds", ids)
            }
        } catch {
            throw APIError(error)
        }
        let changed = user
        try await changeIdentity { identity in
            guard let index = identity.apiUsers.firstIndex(where: { $0.id == changed.id }) else { return }
            identity.apiUsers[index] = changed
        }
        return JSONAnswer.noContent
    }

    /// Profile ids that name profiles (``IdentityProfile/all``), else an error naming the field.
    static func checkedProfiles(_ object: ConfigObject, _ key: String, _ ids: [String]) throws(ConfigError) -> [String]
    {
        for id in ids where IdentityProfile.byID(id) == nil {
            throw object.error(
                key,
                "no profile '\(id)'; the profiles are "
                    + IdentityProfile.all.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
            )
        }
        return ids
    }
}
