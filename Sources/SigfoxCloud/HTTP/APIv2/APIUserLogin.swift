import Foundation

/// The login and password of an HTTP Basic `Authorization` header, matched against the API users
/// (``IdentityAPIUser``: the id is the login, the access token the password).
struct APIUserLogin {
    var login: String
    var password: String

    init?(_ header: String?) {
        guard let header, header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        login = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }

    func user(among users: [IdentityAPIUser]) -> IdentityAPIUser? {
        users.first { $0.id == login && $0.accessToken == password }
    }

    /// The 403 message of a write by a read-only API user (the live cloud answers `{"message"}`).
    static func forbidden(_ user: IdentityAPIUser) -> String {
        let names = user.profileIDs.compactMap(IdentityProfile.byID).map(\.name).joined(separator: ", ")
        return "Forbidden: the API user \(user.id) has no write right (profiles: \(names.isEmpty ? "none" : names))"
    }
}
