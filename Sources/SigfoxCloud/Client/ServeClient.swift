import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client for a running `serve` (plain `http://host:port`): what `sigfox-sim
/// uplink` and the tests use to post uplinks and to follow the event stream.
public struct ServeClient: Sendable {
    public var host: String
    public var port: Int

    /// The answer to one request.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String
    }

    /// Why a request could not be made.
    public struct ClientError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// `http://127.0.0.1:8790` (a path after it is ignored).
    public init(url: String) throws(ClientError) {
        guard let components = URLComponents(string: url), components.scheme == "http",
            let host = components.host, !host.isEmpty
        else {
            throw ClientError(
                description:
                    "expected a server URL such as http://127.0.0.1:\(ServeOptions.defaultPort), found '\(url)'"
            )
        }
        self.host = host
        self.port = components.port ?? 80
    }

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Sends one request on a new connection and reads the whole answer.
    public func request(
        _ method: String,
        _ path: String,
        body: String? = nil,
        headers: [(String, String)] = [],
        timeoutSeconds: Int = 30
    ) throws(ClientError) -> Answer {
        let connection = try Connection(host: host, port: port, timeoutSeconds: timeoutSeconds)
        defer { connection.close() }
        try connection.send(method, path, body: body, host: host, port: port, headers: headers)
        let (status, headers) = try connection.readHead()
        var data = [UInt8]()
        if let length = headers.first(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }) {
            data = try connection.read(count: length)
        } else if headers.contains(where: {
            $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked")
        }) {
            while let chunk = try connection.readChunk() { data += chunk }
        } else {
            data = connection.readToEnd()
        }
        return Answer(status: status, headers: headers, body: String(decoding: data, as: UTF8.self))
    }

    /// Opens `GET path` as a Server-Sent Events stream and calls `onEvent(type, data)` for each event until
    /// it returns false, the stream ends, or `timeoutSeconds` pass without an event. `onOpen` runs once the
    /// stream is established (so a caller can post what it waits for without missing events).
    public func events(
        _ path: String = "/sim/events",
        timeoutSeconds: Int,
        onOpen: () throws -> Void,
        onEvent: (String, String) -> Bool
    ) throws {
        let connection = try Connection(host: host, port: port, timeoutSeconds: timeoutSeconds)
        defer { connection.close() }
        try connection.send("GET", path, body: nil, host: host, port: port)
        let (status, headers) = try connection.readHead()
        guard status == 200 else { throw ClientError(description: "GET \(path) answered \(status)") }
        let chunked = headers.contains {
            $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked")
        }
        try onOpen()
        var pending = [UInt8]()
        var type = "message"
        var data = [String]()
        while true {
            let more: [UInt8]?
            if chunked { more = try connection.readChunk() } else { more = try connection.readSome() }
            guard let more else { return }
            pending += more
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if line.isEmpty {
                    if !data.isEmpty, !onEvent(type, data.joined(separator: "\n")) { return }
                    type = "message"
                    data = []
                } else if line.hasPrefix("event: ") {
                    type = String(line.dropFirst(7))
                } else if line.hasPrefix("data: ") {
                    data.append(String(line.dropFirst(6)))
                }
            }
        }
    }

    /// One TCP connection with a buffered reader.
    private final class Connection: @unchecked Sendable {
        // Used by one thread at a time: the request that made it.
        let socket: Int32
        var buffer = [UInt8]()

        init(host: String, port: Int, timeoutSeconds: Int) throws(ClientError) {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
                throw ClientError(description: "cannot resolve \(host)")
            }
            defer { freeaddrinfo(result) }
            let fd = Glibc.socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
            guard fd >= 0 else { throw ClientError(description: "cannot open a socket") }
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
                let reason = String(cString: strerror(errno))
                Glibc.close(fd)
                throw ClientError(
                    description:
                        "cannot connect to http://\(host):\(port) (\(reason)); is `sigfox-sim serve` running there?"
                )
            }
            socket = fd
        }

        func close() { Glibc.close(socket) }

        func send(
            _ method: String,
            _ path: String,
            body: String?,
            host: String,
            port: Int,
            headers: [(String, String)] = []
        ) throws(ClientError) {
            var head = "\(method) \(path) HTTP/1.1\r\n"
            if !headers.contains(where: { $0.0.lowercased() == "host" }) { head += "Host: \(host):\(port)\r\n" }
            head += "Connection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if let body {
                if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                    head += "Content-Type: application/json\r\n"
                }
                head += "Content-Length: \(body.utf8.count)\r\n"
            }
            let bytes = Array((head + "\r\n" + (body ?? "")).utf8)
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes {
                    Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard n > 0 else { throw ClientError(description: "the connection closed while sending") }
                sent += n
            }
        }

        /// Reads more bytes into the buffer; false at the end of the stream.
        private func fill() throws(ClientError) -> Bool {
            var chunk = [UInt8](repeating: 0, count: 16_384)
            let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    throw ClientError(description: "timed out waiting for the server")
                }
                throw ClientError(description: "reading failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return false }
            buffer += chunk[..<n]
            return true
        }

        func readLine() throws(ClientError) -> String {
            while true {
                if let index = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    var line = Array(buffer[..<index])
                    buffer.removeSubrange(...index)
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                guard try fill() else {
                    throw ClientError(description: "the connection closed before the answer ended")
                }
            }
        }

        func readHead() throws(ClientError) -> (Int, [(String, String)]) {
            let statusLine = try readLine()
            let parts = statusLine.split(separator: " ")
            guard parts.count >= 2, let status = Int(parts[1]) else {
                throw ClientError(description: "not an HTTP answer: '\(statusLine)'")
            }
            var headers = [(String, String)]()
            while case let line = try readLine(), !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append(
                    (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                )
            }
            return (status, headers)
        }

        func read(count: Int) throws(ClientError) -> [UInt8] {
            while buffer.count < count {
                guard try fill() else { throw ClientError(description: "the connection closed before the body ended") }
            }
            defer { buffer.removeFirst(count) }
            return Array(buffer[..<count])
        }

        func readChunk() throws(ClientError) -> [UInt8]? {
            let sizeLine = try readLine()
            guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
                throw ClientError(description: "bad chunk size '\(sizeLine)'")
            }
            if size == 0 { return nil }
            let data = try read(count: size)
            _ = try readLine()
            return data
        }

        func readSome() throws(ClientError) -> [UInt8]? {
            if buffer.isEmpty, !(try fill()) { return nil }
            defer { buffer.removeAll() }
            return buffer
        }

        func readToEnd() -> [UInt8] {
            while (try? fill()) == true {}
            return buffer
        }
    }
}
