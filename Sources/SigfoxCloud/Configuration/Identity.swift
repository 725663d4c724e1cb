import Foundation
import SigfoxEngine

/// Who may use the API v2, as the live cloud keeps it: a tree of groups under the emulator's root group,
/// API users (whose id and access token work for HTTP Basic on `/v2`) and users (records only), each with
/// profiles from a fixed set (``IdentityProfile``). Kept in the configuration document under `identity`
/// (``CloudDocument/identity``), so it survives a restart with `--data` and `reset` clears it.
struct Identity: Codable, Sendable, Equatable {
    /// The groups created through the API, below the root group (``IdentityGroup/root``).
    var groups: [IdentityGroup] = []
    var apiUsers: [IdentityAPIUser] = []
    var users: [IdentityUser] = []
    /// Who created and last changed each device made through the API v2, and when; nil: none yet (a
    /// document written before it was kept).
    var deviceEditions: [DeviceEdition]?

    /// The root group and those created, in creation order.
    var allGroups: [IdentityGroup] { [.root] + groups }

    func group(_ id: String) -> IdentityGroup? { allGroups.first { $0.id == id } }

    /// The group's ancestors, the direct parent first.
    func ancestors(of group: IdentityGroup) -> [IdentityGroup] {
        var path = [IdentityGroup]()
        var parent = group.parentID.flatMap(self.group)
        while let next = parent, !path.contains(where: { $0.id == next.id }) {
            path.append(next)
            parent = next.parentID.flatMap(self.group)
        }
        return path
    }

    /// The group's descendants, every level.
    func descendants(of id: String) -> [IdentityGroup] {
        let children = groups.filter { $0.parentID == id }
        return children + children.flatMap { descendants(of: $0.id) }
    }

    /// A new id of 24 hex digits, as the live cloud's.
    static func newID() -> String { CloudDocument.newDeviceTypeID() }

    /// A new access token of 32 hex digits (the live cloud's look).
    static func newAccessToken() -> String { newID() + String(newID().prefix(8)) }
}

/// Who created and last changed a device through the API v2, and when: the device's `createdBy`,
/// `creationTime`, `lastEditedBy` and `lastEditionTime`. **Emulator rule:** a device of the scenario has
/// none: it was created and last changed at the scenario's start by the emulator's user
/// (``ContractInfo/userID``).
struct DeviceEdition: Codable, Sendable, Equatable {
    var id: String
    var createdBy: String
    var creationTime: Int64
    var lastEditedBy: String
    var lastEditionTime: Int64
}

extension Identity {
    func edition(of device: String) -> DeviceEdition? { deviceEditions?.first { $0.id == device } }

    /// Records that `editor` changed device `id` at `time`; a device without a record yet was created by
    /// `creator` at `creationTime` (the scenario's start and user, or the same as the change for a device the
    /// API creates now).
    mutating func edited(
        device id: String,
        by editor: String,
        at time: Int64,
        createdBy creator: String,
        at creationTime: Int64
    ) {
        var editions = deviceEditions ?? []
        if let index = editions.firstIndex(where: { $0.id == id }) {
            editions[index].lastEditedBy = editor
            editions[index].lastEditionTime = time
        } else {
            editions.append(
                DeviceEdition(
                    id: id,
                    createdBy: creator,
                    creationTime: creationTime,
                    lastEditedBy: editor,
                    lastEditionTime: time
                )
            )
        }
        deviceEditions = editions
    }

    /// Forgets device `id`'s record (the device was deleted).
    mutating func forget(device id: String) {
        deviceEditions?.removeAll { $0.id == id }
        if deviceEditions?.isEmpty == true { deviceEditions = nil }
    }
}

/// A group. **Emulator rule:** the root group is the emulator's `sigfox-sim` group (id
/// `000000000000000000000001`, ``NetworkCore/defaultGroupID``, type 2, level 0) that every device and
/// device type the API shows belongs to, and the `{groupId}` of their event callbacks.
struct IdentityGroup: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var description: String
    var type: Int
    var timezone: String
    var parentID: String?
    var createdBy: String
    var creationTime: Int64

    static let root = IdentityGroup(
        id: NetworkCore.defaultGroupID,
        name: "sigfox-sim",
        description: "The emulator's root group",
        type: 2,
        timezone: "UTC",
        parentID: nil,
        createdBy: "sigfox-sim",
        creationTime: 0
    )

    /// The group types the reference lists (0 SO, 2 Other, 5 SVNO, 6 Partners, 7 NIP, 8 DIST, 9 Channel,
    /// 10 Starter, 11 Partner).
    static let types = [0, 2, 5, 6, 7, 8, 9, 10, 11]
}

/// An API user: its `id` is its HTTP Basic login, its `accessToken` the password.
struct IdentityAPIUser: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var timezone: String
    var groupID: String
    var profileIDs: [String]
    var accessToken: String
    var creationTime: Int64

    /// Whether one of its profiles gives a write right (POST, PUT, DELETE under `/v2`).
    var canWrite: Bool { profileIDs.contains { IdentityProfile.byID($0)?.writes == true } }
}

/// A user (a person of the live cloud's portal): a record here, with no login.
struct IdentityUser: Codable, Sendable, Equatable {
    var id: String
    var firstName: String
    var lastName: String
    var email: String
    var timezone: String
    var roles: [Role]
    var creationTime: Int64

    /// A profile given on a group.
    struct Role: Codable, Sendable, Equatable {
        var groupID: String
        var profileID: String
    }
}

/// A profile: a named set of rights. **Emulator rule:** the set is fixed, as the profiles a customer of
/// the live cloud is offered: `CUSTOMER [W]`, `CUSTOMER [R]`, `DEVICE MANAGER [W]`, `DEVICE MANAGER [R]`
/// (names as the reference's examples). A `[W]` profile gives every right; a `[R]` one only reads, so
/// its API users get 403 on POST, PUT and DELETE.
struct IdentityProfile: Sendable, Equatable {
    var id: String
    var name: String
    var writes: Bool
    var roles: [(id: String, name: String)]

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.id == rhs.id }

    static let all = [
        IdentityProfile(
            id: "000000000000000000000101",
            name: "CUSTOMER [W]",
            writes: true,
            roles: [("000000000000000000000201", "CUSTOMER [W]")]
        ),
        IdentityProfile(
            id: "000000000000000000000102",
            name: "CUSTOMER [R]",
            writes: false,
            roles: [("000000000000000000000202", "CUSTOMER [R]")]
        ),
        IdentityProfile(
            id: "000000000000000000000103",
            name: "DEVICE MANAGER [W]",
            writes: true,
            roles: [("000000000000000000000203", "DEVICE MANAGER [W]")]
        ),
        IdentityProfile(
            id: "000000000000000000000104",
            name: "DEVICE MANAGER [R]",
            writes: false,
            roles: [("000000000000000000000204", "DEVICE MANAGER [R]")]
        ),
    ]

    static func byID(_ id: String) -> IdentityProfile? { all.first { $0.id == id } }
}

extension Array where Element: Equatable {
    /// Adds the items not there yet, in their order: what `PUT .../profiles` does to an API user's profiles
    /// and a user's roles.
    mutating func appendMissing(_ items: [Element]) {
        for item in items where !contains(item) { append(item) }
    }
}
