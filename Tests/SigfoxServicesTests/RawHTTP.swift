/// An HTTP/1.1 answer as a plain client reads it.
struct RawHTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first(where: { $0.name.lowercased() == name.lowercased() })?.value
    }
}

extension RawSocket {
    /// Sends one request with `Host` and `Content-Length` filled in.
    func sendRequest(
        _ method: String,
        _ target: String,
        headers: [(String, String)] = [],
        body: String = "",
        close: Bool = false
    ) throws {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { text += "Content-Length: \(body.utf8.count)\r\n" }
        if close { text += "Connection: close\r\n" }
        try send(text + "\r\n" + body)
    }

    /// Reads one answer (body by `Content-Length`), waiting at most `timeout` for each read.
    func readResponse(timeout: Double = 5) throws -> RawHTTPResponse {
        let statusLine = try readLine(timeout: timeout)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw RawSocketError.failed(-1) }
        var headers: [(name: String, value: String)] = []
        while true {
            let line = try readLine(timeout: timeout)
            if line.isEmpty { break }
            let colon = line.firstIndex(of: ":")!
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingPrefix(" ").description))
        }
        let length =
            headers.first(where: { $0.name.lowercased() == "content-length" }).flatMap { Int($0.value) } ?? 0
        return RawHTTPResponse(status: status, headers: headers, body: try readBytes(length, timeout: timeout))
    }

    /// One request on a new connection and its answer.
    static func exchange(
        port: Int,
        _ method: String,
        _ target: String,
        headers: [(String, String)] = [],
        body: String = "",
        timeout: Double = 5
    ) async throws -> RawHTTPResponse {
        try await onThread {
            let socket = try RawSocket(port: port)
            try socket.sendRequest(method, target, headers: headers, body: body)
            return try socket.readResponse(timeout: timeout)
        }
    }
}
