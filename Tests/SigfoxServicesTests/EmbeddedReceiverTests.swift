import Foundation
import SigfoxModel
import Testing

@testable import SigfoxReceiverModel
@testable import SigfoxServices

/// Starts a receiver, runs `body`, and always shuts the receiver down.
func withReceiver(
    _ rules: ReceiverRules = .init(),
    _ body: (EmbeddedReceiver) async throws -> Void
) async throws {
    let receiver = try await EmbeddedReceiver.start(rules: rules)
    do {
        try await body(receiver)
        try await receiver.shutdown()
    } catch {
        try? await receiver.shutdown()
        throw error
    }
}

@Suite("Embedded receiver: answers by rule", .timeLimit(.minutes(1)))
struct EmbeddedReceiverTests {
    @Test("every answer carries its Date, as an origin server's does (RFC 9110's IMF-fixdate)")
    func dateHeader() async throws {
        #expect(HTTPReceiverHandler.httpDate(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPReceiverHandler.httpDate(1_796_660_678) == "Mon, 07 Dec 2026 16:24:38 GMT")
        try await withReceiver(ReceiverRules(default: .status(204))) { receiver in
            let before = time(nil)
            let response = try await RawSocket.exchange(port: receiver.port, "GET", "/x")
            let date = try #require(response.header("Date"))
            #expect(response.status == 204 && date.hasSuffix(" GMT"))
            #expect(date == HTTPReceiverHandler.httpDate(before) || date == HTTPReceiverHandler.httpDate(before + 1))
        }
    }

    @Test func recordsRequestsExactlyAndAnswersAFixedStatus() async throws {
        try await withReceiver(ReceiverRules(default: .status(503, body: "down"))) { receiver in
            #expect(receiver.baseURL == "http://127.0.0.1:\(receiver.port)")
            let body = #"{"device":"2C30EA","data":"0102"}"#
            let response = try await RawSocket.exchange(
                port: receiver.port,
                "POST",
                "/uplink?a=1&b=x%20y",
                headers: [("Content-Type", "application/json"), ("X-Custom", "Value")],
                body: body
            )
            #expect(response.status == 503)
            #expect(response.bodyText == "down")
            let requests = await receiver.waitForRequests(count: 1, timeout: .seconds(5))
            let request = try #require(requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/uplink?a=1&b=x%20y")
            #expect(request.path == "/uplink")
            #expect(request.query == "a=1&b=x%20y")
            #expect(request.queryItem("b") == "x y")
            #expect(request.bodyText == body)
            #expect(request.body == Array(body.utf8))
            #expect(request.headers.map(\.name) == ["Host", "Content-Type", "X-Custom", "Content-Length"])
            #expect(request.header("x-custom") == "Value")
            #expect(request.sequence == 1)
            #expect(abs(request.receivedAt - Date().timeIntervalSince1970) < 60)
        }
    }

    @Test func followsAStatusSequencePerPathAndRepeatsTheLast() async throws {
        var rules = ReceiverRules()
        rules.setSequence([.status(500), .status(500), .status(200)], for: "/flaky")
        try await withReceiver(rules) { receiver in
            var statuses = [Int]()
            for _ in 0..<4 {
                statuses.append(try await RawSocket.exchange(port: receiver.port, "GET", "/flaky?x=1").status)
            }
            #expect(statuses == [500, 500, 200, 200])
            #expect(try await RawSocket.exchange(port: receiver.port, "GET", "/other").status == 200)
            receiver.reset()
            #expect(receiver.requests.isEmpty)
            #expect(try await RawSocket.exchange(port: receiver.port, "GET", "/flaky").status == 500)
            #expect(receiver.requests.map(\.sequence) == [1])
        }
    }

    @Test func delaysTheAnswerPastAClientDeadline() async throws {
        let rules = ReceiverRules(default: ReceiverResponse.status(200).delayed(by: .milliseconds(800)))
        try await withReceiver(rules) { receiver in
            let start = ContinuousClock.now
            let response = try await RawSocket.exchange(port: receiver.port, "GET", "/slow")
            #expect(response.status == 200)
            #expect(ContinuousClock.now - start >= .milliseconds(750))
            let error = await #expect(throws: RawSocketError.self) {
                try await RawSocket.exchange(port: receiver.port, "GET", "/slow", timeout: 0.2)
            }
            #expect(error == .timedOut)
        }
    }

    @Test func resetsTheConnectionWithoutAnswering() async throws {
        try await withReceiver(ReceiverRules(default: .reset)) { receiver in
            let error = await #expect(throws: RawSocketError.self) {
                try await RawSocket.exchange(port: receiver.port, "POST", "/reset", body: "x")
            }
            #expect(error == .reset)
            #expect(receiver.requests.count == 1)
        }
    }

    @Test func hangsUntilTheClientGivesUpAndLeaksNothing() async throws {
        try await withReceiver(ReceiverRules(default: .hang)) { receiver in
            let port = receiver.port
            let outcome = try await onThread { () -> RawSocketError? in
                let socket = try RawSocket(port: port)
                try socket.sendRequest("GET", "/hang")
                defer { socket.close() }
                do {
                    _ = try socket.readResponse(timeout: 0.3)
                    return nil
                } catch let error as RawSocketError {
                    return error
                }
            }
            #expect(outcome == .timedOut)
            let deadline = ContinuousClock.now + .seconds(5)
            while receiver.openConnectionCount > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(receiver.openConnectionCount == 0)
        }
    }

    @Test func shutdownClosesAHangingConnection() async throws {
        let receiver = try await EmbeddedReceiver.start(rules: ReceiverRules(default: .hang))
        let port = receiver.port
        let closed = Task {
            try await onThread { () -> Bool in
                let socket = try RawSocket(port: port)
                try socket.sendRequest("GET", "/hang")
                return socket.isClosedByPeer(timeout: 10)
            }
        }
        _ = await receiver.waitForRequests(count: 1, timeout: .seconds(5))
        let start = ContinuousClock.now
        try await receiver.shutdown()
        // A shutdown that waited for the hanging connection would never end; the bound stays under the
        // client's 10 s and above what the full suite on 2 cores costs (2.2-2.3 s seen).
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(try await closed.value)
    }

    @Test func redirectsWithALocation() async throws {
        var rules = ReceiverRules()
        rules.set(.redirect(to: "http://127.0.0.1:1/elsewhere"), for: "/moved")
        try await withReceiver(rules) { receiver in
            let response = try await RawSocket.exchange(port: receiver.port, "GET", "/moved")
            #expect(response.status == 302)
            #expect(response.header("Location") == "http://127.0.0.1:1/elsewhere")
        }
    }

    @Test func streamsAHugeBody() async throws {
        let size = 3 << 20 + 123
        try await withReceiver(ReceiverRules(default: .hugeBody(bytes: size, chunkSize: 64 * 1024))) { receiver in
            let response = try await RawSocket.exchange(port: receiver.port, "GET", "/huge")
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == String(size))
            #expect(response.body.count == size)
            #expect(response.body.allSatisfy { $0 == UInt8(ascii: "x") })
        }
    }

    @Test func keepsTheConnectionAliveAcrossRequests() async throws {
        try await withReceiver(ReceiverRules(default: .status(201, body: "ok"))) { receiver in
            let port = receiver.port
            let statuses = try await onThread { () -> [Int] in
                let socket = try RawSocket(port: port)
                try socket.sendRequest("POST", "/one", body: "1")
                let first = try socket.readResponse()
                try socket.sendRequest("PUT", "/two", body: "22")
                let second = try socket.readResponse()
                return [first.status, second.status]
            }
            #expect(statuses == [201, 201])
            let requests = await receiver.waitForRequests(count: 2, timeout: .seconds(5))
            #expect(requests.map(\.method) == ["POST", "PUT"])
            #expect(requests.map(\.bodyText) == ["1", "22"])
            #expect(requests[0].connection == requests[1].connection)
        }
    }

    @Test func closesWhenTheClientAsksForIt() async throws {
        try await withReceiver { receiver in
            let port = receiver.port
            let closed = try await onThread { () -> Bool in
                let socket = try RawSocket(port: port)
                try socket.sendRequest("GET", "/bye", close: true)
                _ = try socket.readResponse()
                return socket.isClosedByPeer(timeout: 5)
            }
            #expect(closed)
        }
    }

    @Test func aBoundedWaitReturnsWhatArrived() async throws {
        try await withReceiver { receiver in
            _ = try await RawSocket.exchange(port: receiver.port, "GET", "/only")
            let start = ContinuousClock.now
            let requests = await receiver.waitForRequests(count: 2, timeout: .milliseconds(200))
            #expect(requests.count == 1)
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }

    @Test func callsOnRequestAndAppliesNewRules() async throws {
        let seen = RecordingLog<String>()
        let receiver = try await EmbeddedReceiver.start { request in seen.append { _ in request.uri } }
        var rules = ReceiverRules(default: .status(404))
        rules.setSequence([.status(500), .status(200)], for: "/bidir/*")
        receiver.setRules(rules)
        #expect(try await RawSocket.exchange(port: receiver.port, "GET", "/none").status == 404)
        #expect(try await RawSocket.exchange(port: receiver.port, "GET", "/bidir/1").status == 500)
        #expect(try await RawSocket.exchange(port: receiver.port, "GET", "/bidir/2").status == 200)
        #expect(seen.items == ["/none", "/bidir/1", "/bidir/2"])
        try await receiver.shutdown()
        try await receiver.shutdown()
    }
}
