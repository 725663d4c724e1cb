import Foundation
import Hummingbird

/// The API v2 reference's bodies of groups, profiles, API users and users, built from ``Identity``.
struct MinGroupBody: Encodable {
    var id: String
    var name: String
    var type: Int
    var level: Int

    init(_ group: IdentityGroup, in identity: Identity) {
        id = group.id
        name = group.name
        type = group.type
        level = identity.ancestors(of: group).count
    }
}

/// The reference's `group`.
struct GroupBody: Encodable {
    var id: String
    var name: String
    var nameCI: String
    var description: String
    var type: Int
    var timezone: String
    var path: [MinGroupBody]
    var createdBy: String
    var creationTime: Int64
    var leaf: Bool

    init(_ group: IdentityGroup, in identity: Identity) {
        id = group.id
        name = group.name
        nameCI = group.name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        description = group.description
        type = group.type
        timezone = group.timezone
        path = identity.ancestors(of: group).map { MinGroupBody($0, in: identity) }
        createdBy = group.createdBy
        creationTime = group.creationTime
        leaf = !identity.groups.contains { $0.parentID == group.id }
    }
}

/// The reference's `minProfile`.
struct MinProfileBody: Encodable {
    var id: String
    var name: String

    init(_ profile: IdentityProfile) {
        id = profile.id
        name = profile.name
    }
}

/// The reference's `profile`, its roles as `minRole`s.
struct ProfileBody: Encodable {
    struct Role: Encodable {
        struct MetaRole: Encodable {
            var id: String
            var name: String
        }

        var id: String
        var name: String
        var path: [MetaRole]
    }

    var id: String
    var name: String
    var group: MinGroupBody
    var roles: [Role]

    init(_ profile: IdentityProfile, in identity: Identity) {
        id = profile.id
        name = profile.name
        group = MinGroupBody(.root, in: identity)
        roles = profile.roles.map {
            Role(id: $0.id, name: $0.name, path: [Role.MetaRole(id: "000000000000000000000200", name: "ROOT")])
        }
    }
}

/// The reference's `apiUser`.
struct APIUserBody: Encodable {
    var name: String
    var timezone: String
    var group: MinGroupBody?
    var creationTime: Int64
    var id: String
    var accessToken: String
    var profiles: [MinProfileBody]

    init(_ user: IdentityAPIUser, in identity: Identity) {
        name = user.name
        timezone = user.timezone
        group = identity.group(user.groupID).map { MinGroupBody($0, in: identity) }
        creationTime = user.creationTime
        id = user.id
        accessToken = user.accessToken
        profiles = user.profileIDs.compactMap(IdentityProfile.byID).map(MinProfileBody.init)
    }
}

/// The reference's `user`, its roles as `userRole`s.
struct UserBody: Encodable {
    struct Role: Encodable {
        var group: MinGroupBody?
        var profile: MinProfileBody?
    }

    var firstName: String
    var lastName: String
    var timezone: String
    var id: String
    var email: String
    var locked: Bool
    var creationTime: Int64
    var userRoles: [Role]

    init(_ user: IdentityUser, in identity: Identity) {
        firstName = user.firstName
        lastName = user.lastName
        timezone = user.timezone
        id = user.id
        email = user.email
        locked = false
        creationTime = user.creationTime
        userRoles = user.roles.map { role in
            Role(
                group: identity.group(role.groupID).map { MinGroupBody($0, in: identity) },
                profile: IdentityProfile.byID(role.profileID).map(MinProfileBody.init)
            )
        }
    }
}

/// `{"accessToken": ...}` of `PUT /api-users/{id}/renew-credential`.
struct AccessTokenBody: Encodable {
    var accessToken: String
}
