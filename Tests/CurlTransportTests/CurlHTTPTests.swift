import CurlTransport
import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel
import SigfoxServices
import SigfoxTesting
import Testing

@Suite("libcurl transport: HTTP against the embedded receiver", .timeLimit(.minutes(1)))
struct CurlHTTPTests {
    @Test("GET, POST and PUT arrive byte-exact: method, URL, headers, body; no Expect, no redirects followed")
    func methods() async throws {
        let receiver = try await EmbeddedReceiver.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let base = receiver.baseURL
        let get = await send(
            transport,
            http(.get, "\(base)/up/2C30EA?seq=12&n=a%20b", headers: [("Authorization", "Bearer x")])
        )
        let form = await send(
            transport,
            http(
                .post,
                "\(base)/form",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "d=2C30EA&n=a+b"
            )
        )
        let json = await send(
            transport,
            http(
                .put,
                "\(base)/json",
                headers: [("X-Key", "k1"), ("Content-Type", "application/json")],
                body: #"{"device":"2C30EA","t":1}"#
            )
        )
        let text = await send(
            transport,
            http(.post, "\(base)/text", headers: [("Content-Type", "text/plain")], body: "a\nb\n")
        )
        #expect([get, form, json, text].map(status) == [200, 200, 200, 200])

        let requests = await receiver.waitForRequests(count: 4, timeout: .seconds(5))
        try #require(requests.count == 4)
        #expect(requests[0].method == "GET" && requests[0].uri == "/up/2C30EA?seq=12&n=a%20b")
        #expect(requests[0].header("Authorization") == "Bearer x" && requests[0].body.isEmpty)
        #expect(requests[1].method == "POST" && requests[1].bodyText == "d=2C30EA&n=a+b")
        #expect(requests[1].header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(requests[2].method == "PUT" && requests[2].bodyText == #"{"device":"2C30EA","t":1}"#)
        #expect(requests[2].header("X-Key") == "k1" && requests[2].header("Content-Type") == "application/json")
        #expect(requests[3].bodyText == "a\nb\n" && requests[3].header("Content-Length") == "4")
        #expect(requests.allSatisfy { $0.header("Expect") == nil })
        // Keep-alive: the four requests share one connection.
        #expect(Set(requests.map(\.connection)).count == 1)
        try await receiver.shutdown()
    }

    @Test("kept when asked: the header block libcurl sent (Host, Accept, Content-Length) and the reason phrase")
    func exactExchange() async throws {
        let receiver = try await EmbeddedReceiver.start(rules: ReceiverRules(default: .status(204)))
        var configuration = CurlConfiguration()
        configuration.recordsRequestHeaders = true
        configuration.recordsReasonPhrase = true
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }
        let body = #"{"device":"2C30EA","time":1,"data":"ff"}"#
        let result = await send(
            transport,
            http(.post, "\(receiver.baseURL)/up", headers: [("Content-Type", "application/json")], body: body)
        )
        #expect(status(result) == 204 && result.reasonPhrase == "No Content")
        let port = try #require(URLComponents(string: receiver.baseURL)?.port)
        #expect(
            result.requestHeaders
                == "POST /up HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: */*\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n"
        )
        // Not asked: nothing kept (the load path pays for neither).
        let plain = CurlTransport()
        defer { plain.shutdown() }
        let quiet = await send(plain, http(.get, "\(receiver.baseURL)/up"))
        #expect(status(quiet) == 204 && quiet.reasonPhrase == nil && quiet.requestHeaders == nil)
        try await receiver.shutdown()
    }

    @Test("a redirect is answered with its status, not followed")
    func redirect() async throws {
        var rules = ReceiverRules()
        rules.set(.redirect(to: "/elsewhere"), for: "/moved")
        let receiver = try await EmbeddedReceiver.start(rules: rules)
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let result = await send(transport, http(.get, receiver.baseURL + "/moved"))
        #expect(status(result) == 302)
        #expect(receiver.requests.map(\.path) == ["/moved"])
        try await receiver.shutdown()
    }

    @Test("a huge answer is read but only 64 KiB of it kept")
    func hugeBody() async throws {
        let receiver = try await EmbeddedReceiver.start(rules: ReceiverRules(default: .hugeBody(bytes: 8 << 20)))
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let result = await send(transport, http(.get, receiver.baseURL + "/huge"))
        guard case .http(let code, let body, let truncated) = result.outcome else {
            Issue.record("expected an HTTP answer, got \(result.outcome)")
            return
        }
        #expect(code == 200 && body.count == 64 * 1024 && truncated)
        try await receiver.shutdown()
    }

    @Test("connection refused, reset and timeout are failures with a message (status 600 later)")
    func failures() async throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let closed = RefusingPort()
        let refused = await send(transport, http(.get, "\(closed.url)/x"))
        #expect(failureMessage(refused)?.hasPrefix("Connection refused") == true, "\(refused.outcome)")

        var rules = ReceiverRules()
        rules.set(.reset, for: "/reset")
        rules.set(.hang, for: "/hang")
        let receiver = try await EmbeddedReceiver.start(rules: rules)
        let reset = await send(transport, http(.post, receiver.baseURL + "/reset", body: "x"))
        #expect(failureMessage(reset) != nil, "\(reset.outcome)")
        let hang = await send(transport, http(.get, receiver.baseURL + "/hang"), timeoutMilliseconds: 500)
        #expect(failureMessage(hang)?.hasPrefix("Timeout") == true, "\(hang.outcome)")
        #expect(hang.latencyMilliseconds >= 400)
        // The transport still works after each of those.
        let after = await send(transport, http(.get, receiver.baseURL + "/ok"))
        #expect(status(after) == 200)
        try await receiver.shutdown()
    }

    @Test("many transfers at once all complete")
    func concurrency() async throws {
        let receiver = try await EmbeddedReceiver.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let base = receiver.baseURL
        let statuses = await withTaskGroup(of: Int?.self) { group in
            for index in 0..<200 {
                group.addTask {
                    status(
                        await send(transport, http(.post, "\(base)/n/\(index)", body: "i=\(index)"), id: UInt64(index))
                    )
                }
            }
            var all = [Int?]()
            for await status in group { all.append(status) }
            return all
        }
        #expect(statuses.count == 200 && statuses.allSatisfy { $0 == 200 })
        #expect(receiver.requests.count == 200)
        try await receiver.shutdown()
    }
}
