import SigfoxModel

/// One header line as it came over the wire: name case and order are kept.
public struct Header: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name): \(value)" }
}

/// An HTTP request the embedded receiver got, kept exactly as received.
///
/// Tests compare headers and bodies byte for byte against what the callback engine rendered
/// (SIGFOX.md section 4), so nothing here is normalised: the URI keeps its percent-encoding and the
/// headers their order and case.
public struct RecordedRequest: Sendable, Equatable {
    /// `GET`, `POST`, `PUT`, ...
    public var method: String
    /// The request target as received: path and query, still percent-encoded.
    public var uri: String
    /// The part of `uri` before `?`.
    public var path: String
    /// The part of `uri` after `?`, without the `?`; empty when there is none.
    public var query: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var version: String
    public var headers: [Header]
    public var body: [UInt8]
    /// Wall-clock time the request was complete, in seconds since 1970-01-01 UTC.
    public var receivedAt: Double
    /// 1 for the first request since the receiver started (or was reset), then 2, 3, ...
    public var sequence: Int
    /// Which TCP connection carried the request: 1 for the first accepted connection, then 2, 3, ...
    public var connection: Int

    public init(
        method: String,
        uri: String,
        version: String = "HTTP/1.1",
        headers: [Header] = [],
        body: [UInt8] = [],
        receivedAt: Double = 0,
        sequence: Int = 0,
        connection: Int = 0
    ) {
        self.method = method
        self.uri = uri
        if let mark = uri.firstIndex(of: "?") {
            self.path = String(uri[..<mark])
            self.query = String(uri[uri.index(after: mark)...])
        } else {
            self.path = uri
            self.query = ""
        }
        self.version = version
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
        self.sequence = sequence
        self.connection = connection
    }

    /// The body decoded as UTF-8 (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The value of the first header called `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == wanted })?.value
    }

    /// The query parameters, decoded (`+` is a space), in order.
    public var queryItems: [(name: String, value: String)] { FormEncoding.decode(query) }

    /// The first query parameter called `name`, decoded.
    public func queryItem(_ name: String) -> String? {
        queryItems.first(where: { $0.name == name })?.value
    }

    /// The media type of the body, lower-case and without parameters (`application/json`).
    public var mediaType: String? {
        guard let value = header("Content-Type") else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmedASCIIWhitespace.lowercased()
    }
}

/// Decoding of `application/x-www-form-urlencoded` text and percent-encoded URL parts.
enum FormEncoding {
    /// `a=1&b=x+y` as `[("a", "1"), ("b", "x y")]`; a part without `=` has an empty value.
    static func decode(_ text: some StringProtocol) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = pieces.count > 1 ? percentDecoded(pieces[1], plusIsSpace: true) : ""
            return (percentDecoded(pieces[0], plusIsSpace: true), value)
        }
    }

    /// `%41%2f+b` as `A/ b` (when `plusIsSpace`); malformed escapes are kept as they are.
    static func percentDecoded(_ text: some StringProtocol, plusIsSpace: Bool) -> String {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Hex.nibble(bytes[index + 1]), let low = Hex.nibble(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
