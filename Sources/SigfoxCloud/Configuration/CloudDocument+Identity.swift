import Foundation
import SigfoxModel

/// The API v2's groups, API users and users (``Identity``), kept in the document's `identity` field so the
/// store keeps them with the rest of the configuration and `reset` goes back to the scenario's (none).
extension CloudDocument {
    static let identityField = "identity"

    /// The identity state; empty when the document has none.
    var identity: Identity {
        guard let node = header.first(where: { $0.key == Self.identityField })?.node,
            let identity = try? JSONDecoder().decode(Identity.self, from: Data(node.jsonText.utf8))
        else { return Identity() }
        return identity
    }

    /// The document with `identity` in place of its identity state.
    func settingIdentity(_ identity: Identity) throws(ConfigError) -> CloudDocument {
        let text = (try? JSONEncoder().encode(identity)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        guard let node = try? JSONParser.parse(text) else {
            throw ConfigError(location: nil, path: Self.identityField, message: "the identity state does not encode")
        }
        var copy = self
        copy.header.removeAll { $0.key == Self.identityField }
        if identity != Identity() {
            copy.header.append(
                ConfigEntry(key: Self.identityField, keyLocation: SourceLocation(line: 1, column: 1), node: node)
            )
        }
        return copy
    }

    /// The document with its identity changed by `transform`, and what `transform` returns.
    func changingIdentity<T>(
        _ transform: (inout Identity) throws(ConfigError) -> T
    ) throws(ConfigError) -> (CloudDocument, T) {
        var identity = self.identity
        let result = try transform(&identity)
        return (try settingIdentity(identity), result)
    }
}
