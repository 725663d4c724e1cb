import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SigfoxEngine
import SigfoxModel
import SigfoxTesting
import Testing

@testable import SigfoxCloud

/// `serve` in the test's own process: its store in a temporary folder, its engine and embedded receiver
/// running, its router (``makeRouter(engine:configuration:settings:accepting:)``) answered without sockets
/// (`app.test(.router)`). For what only checks HTTP answers; signals, kill -9, locking and the browser
/// stay with ``ServeProcess``.
final class InProcessServe: Sendable {
    let server: CloudServer
    let folder: String

    /// `scenario`: YAML, or nil for the default scenario.
    /// `folder`: the data folder (`--data`), by default a new one.
    init(
        scenario: String? = nil,
        time: TimeMode = .real,
        folder: String = InProcessServe.newFolder(),
        configure: (inout ServeOptions) -> Void = { _ in }
    ) async throws {
        self.folder = folder
        var options = ServeOptions(
            scenarioPath: try scenario.map { try scenarioFile($0) },
            dataDirectory: folder,
            time: time
        )
        configure(&options)
        let chosen = options
        server = try await offPool { try CloudServer(options: chosen) }
        // In a process, the engine starts as a service of serve's group; here the router is answered
        // without the group, so the engine runs on its own.
        server.engine.start()
    }

    static func newFolder() -> String { NSTemporaryDirectory() + "sigfox-sim-in-process-\(UUID().uuidString)" }

    /// Runs `body` with a client of the router; then stops the engine and removes the store. `scheme`
    /// "https": as the `--https` listener answers (``SchemeResponder``).
    func test(scheme: String? = nil, _ body: @Sendable (InProcessClient) async throws -> Void) async throws {
        let router = server.makeRouter()
        let app = Application(
            responder: SchemeResponder(inner: router.buildResponder(), scheme: scheme ?? "http")
        )
        do {
            try await app.test(.router) { client in try await body(InProcessClient(client: client)) }
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    private func stop() async {
        server.shutdown(immediately: true)
        await server.close()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Requests to the router, in the words of ``ServeProcess`` (`get`, `post`, `json`, `waitFor`).
struct InProcessClient: Sendable {
    let client: any TestClientProtocol

    /// What the router answered.
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPFields
        var body: String
    }

    func request(
        _ method: HTTPRequest.Method,
        _ path: String,
        body: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> Answer {
        var fields: HTTPFields = [:]
        if body != nil { fields[.contentType] = "application/json" }
        fields.append(contentsOf: headers)
        return try await client.execute(
            uri: path,
            method: method,
            headers: fields,
            body: body.map { ByteBuffer(string: $0) }
        ) { response in
            Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: response.body))
        }
    }

    func get(_ path: String, headers: HTTPFields = [:]) async throws -> Answer {
        try await request(.get, path, headers: headers)
    }

    func post(_ path: String, _ body: String? = nil) async throws -> Answer {
        try await request(.post, path, body: body)
    }

    /// The JSON body of `GET path`.
    func json(_ path: String) async throws -> ConfigNode {
        let answer = try await get(path)
        #expect(answer.status == 200, "GET \(path): \(answer.body)")
        return try JSONParser.parse(answer.body)
    }

    /// Polls `GET path` (at most `seconds`) until `condition` holds for its JSON; the last JSON.
    @discardableResult
    func waitFor(
        _ path: String,
        seconds: Double = 30,
        _ condition: (ConfigNode) -> Bool
    ) async throws -> ConfigNode {
        let deadline = Date().addingTimeInterval(seconds)
        var last = try await json(path)
        while !condition(last), Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            last = try await json(path)
        }
        return last
    }
}

/// HTTP Basic authentication with the default API credentials.
let apiV2Credentials: HTTPFields = [
    .authorization: "Basic " + Data("sigfox-sim:sigfox-sim".utf8).base64EncodedString()
]
