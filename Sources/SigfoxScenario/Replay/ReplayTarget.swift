/// Where `sigfox-sim replay --target URL` sends the recorded requests instead.
///
/// The target's scheme, host and port replace those of each recorded URL; its path, when it has one,
/// is put in front of the recorded path (after `stripPrefix` is taken off it), so a journal recorded
/// against the embedded receiver (`http://127.0.0.1:40353/sigfox/uplink`) can be replayed against
/// `https://staging.example.com/api` (`https://staging.example.com/api/sigfox/uplink`). Query strings
/// and credentials written in the recorded URL (`http://user:pass@host/`) are kept, unless the target
/// names its own credentials.
public struct ReplayTarget: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// `host[:port]`, with `user:pass@` when the target gives credentials.
    public var authority: String
    /// Put in front of every recorded path; empty or starting with `/`, never ending with one.
    public var basePath: String
    /// Taken off the front of recorded paths before `basePath` is added.
    public var stripPrefix: String

    /// Parses `URL` (`http://host:port` or `https://host/base`); `stripPrefix` is a path such as `/sigfox`.
    public init(_ text: String, stripPrefix: String = "") throws(ReplayError) {
        guard let parts = URLParts(text), parts.scheme == "http" || parts.scheme == "https" else {
            throw ReplayError(
                "--target must be an http:// or https:// URL such as http://127.0.0.1:8080, not '\(text)'"
            )
        }
        guard !parts.host.isEmpty else { throw ReplayError("--target '\(text)' names no host") }
        guard parts.rest.allSatisfy({ $0 != "?" && $0 != "#" }) else {
            throw ReplayError("--target '\(text)' may hold a base path but no query or fragment")
        }
        guard stripPrefix.isEmpty || stripPrefix.hasPrefix("/") else {
            throw ReplayError("--strip-prefix must be a path starting with /, not '\(stripPrefix)'")
        }
        scheme = parts.scheme
        authority = parts.authority
        basePath = parts.rest.hasSuffix("/") ? String(parts.rest.dropLast()) : parts.rest
        self.stripPrefix = stripPrefix.hasSuffix("/") ? String(stripPrefix.dropLast()) : stripPrefix
    }

    public var description: String { scheme + "://" + authority + basePath }

    /// `url` sent to the target instead; a URL that is not http(s) is returned as it is.
    public func rewrite(_ url: String) -> String {
        guard let recorded = URLParts(url) else { return url }
        let credentials = authority.contains("@") ? "" : recorded.userInfo.map { $0 + "@" } ?? ""
        let pathEnd = recorded.rest.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? recorded.rest.endIndex
        var path = String(recorded.rest[..<pathEnd])
        let suffix = recorded.rest[pathEnd...]
        if !stripPrefix.isEmpty, path.hasPrefix(stripPrefix) {
            let after = path.dropFirst(stripPrefix.count)
            if after.isEmpty || after.hasPrefix("/") { path = String(after) }
        }
        return scheme + "://" + credentials + authority + basePath + path + suffix
    }
}

/// `scheme://[userinfo@]host[:port]` and the rest of a URL, split without decoding anything.
package struct URLParts {
    var scheme: String
    package var userInfo: String?
    /// `[userinfo@]host[:port]` as written.
    var authority: String
    var host: String
    /// Path, query and fragment as written.
    var rest: String

    package init?(_ url: String) {
        guard let separator = url.range(of: "://") else { return nil }
        scheme = url[..<separator.lowerBound].lowercased()
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else {
            return nil
        }
        let afterScheme = url[separator.upperBound...]
        let end = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        authority = String(afterScheme[..<end])
        rest = String(afterScheme[end...])
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[..<at])
            host = String(authority[authority.index(after: at)...])
        } else {
            host = authority
        }
    }
}

/// A problem with replay's options or its run, said in one line.
public struct ReplayError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
