import CurlTransport
import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel
import SigfoxServices
import SigfoxTesting
import Synchronization
import Testing

/// Polls `transport` on the calling thread until `count` results came out or `limit` passed.
private func collect(_ transport: PolledCurlTransport, count: Int, limit: Duration = .seconds(10)) -> [TransportResult]
{
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    var results = [TransportResult]()
    while results.count < count, clock.now < deadline {
        results += transport.poll(timeoutMilliseconds: 200)
    }
    return results
}

@Suite("libcurl transport driven by its caller's thread (load engine threads)", .timeLimit(.minutes(1)))
struct PolledCurlTests {
    @Test("requests submitted on one thread come out of its polls: every POST arrives byte-exact, once")
    func roundTrip() async throws {
        let receiver = try await EmbeddedReceiver.start()
        let base = receiver.baseURL
        let results = await offPool { () -> [TransportResult] in
            let transport = PolledCurlTransport()
            for index in 0..<150 {
                let body = #"{"n":\#(index)}"#
                transport.submit(
                    TransportRequest(
                        id: UInt64(index),
                        payload: http(
                            .post,
                            "\(base)/p/\(index)",
                            headers: [("Content-Type", "application/json")],
                            body: body
                        ),
                        timeoutMilliseconds: 5_000
                    )
                )
            }
            let results = collect(transport, count: 150)
            #expect(transport.shutdown().isEmpty)
            return results
        }
        #expect(results.count == 150)
        #expect(Set(results.map(\.id)) == Set((0..<150).map(UInt64.init)))
        #expect(results.allSatisfy { status($0) == 200 })
        let requests = receiver.requests
        #expect(requests.count == 150)
        for request in requests {
            let index = try #require(Int(request.path.split(separator: "/").last ?? ""))
            #expect(request.method == "POST")
            #expect(String(decoding: request.body, as: UTF8.self) == #"{"n":\#(index)}"#)
            #expect(request.headers.first { $0.name.lowercased() == "expect" } == nil)
        }
        try await receiver.shutdown()
    }

    @Test("refused and timed-out requests come out as failures; the transport goes on working")
    func failures() async throws {
        var rules = ReceiverRules()
        rules.set(.hang, for: "/hang")
        let receiver = try await EmbeddedReceiver.start(rules: rules)
        let base = receiver.baseURL
        let closed = RefusingPort()
        let refusedURL = "\(closed.url)/x"
        let results = await offPool { () -> [UInt64: TransportResult] in
            let transport = PolledCurlTransport()
            transport.submit(TransportRequest(id: 1, payload: http(.get, refusedURL), timeoutMilliseconds: 5_000))
            transport.submit(TransportRequest(id: 2, payload: http(.get, base + "/hang"), timeoutMilliseconds: 300))
            transport.submit(TransportRequest(id: 3, payload: http(.get, "not a url"), timeoutMilliseconds: 300))
            var results = collect(transport, count: 3)
            transport.submit(TransportRequest(id: 4, payload: http(.get, base + "/ok"), timeoutMilliseconds: 5_000))
            results += collect(transport, count: 1)
            _ = transport.shutdown()
            return Dictionary(results.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        #expect(failureMessage(try #require(results[1]))?.hasPrefix("Connection refused") == true)
        #expect(failureMessage(try #require(results[2]))?.hasPrefix("Timeout") == true)
        #expect(failureMessage(try #require(results[3])) != nil)
        #expect(status(try #require(results[4])) == 200)
        try await receiver.shutdown()
    }

    @Test("interrupt ends a poll at once from another thread; shutdown fails what is still running")
    func interruptAndShutdown() async throws {
        var rules = ReceiverRules()
        rules.set(.hang, for: "/hang")
        let receiver = try await EmbeddedReceiver.start(rules: rules)
        let base = receiver.baseURL
        let (waited, stopped, afterwards) = await offPool { () -> (Duration, [TransportResult], [TransportResult]) in
            let transport = PolledCurlTransport()
            transport.submit(TransportRequest(id: 7, payload: http(.get, base + "/hang"), timeoutMilliseconds: 30_000))
            // Let the request reach the receiver, then wait for an answer that never comes.
            _ = transport.poll(timeoutMilliseconds: 100)
            let interrupter = Thread {
                Thread.sleep(forTimeInterval: 0.2)
                transport.interrupt()
            }
            interrupter.start()
            let clock = ContinuousClock()
            let started = clock.now
            var early = transport.poll(timeoutMilliseconds: 20_000)
            let waited = clock.now - started
            early += transport.shutdown()
            transport.submit(TransportRequest(id: 8, payload: http(.get, base + "/ok"), timeoutMilliseconds: 1_000))
            return (waited, early, transport.poll(timeoutMilliseconds: 0))
        }
        #expect(waited < .seconds(5))
        #expect(stopped.map(\.id) == [7])
        #expect(stopped.first.flatMap(failureMessage) == "transport stopped")
        #expect(afterwards.map(\.id) == [8])
        #expect(afterwards.first.flatMap(failureMessage) == "transport stopped")
        try await receiver.shutdown()
    }

    @Test(
        "proxy variables are read once, with libcurl's rules",
        arguments: [
            ([:], "", "", ""),
            (["HTTP_PROXY": "http://u:1"], "", "", ""),
            (["http_proxy": "http://l:1", "HTTPS_PROXY": "http://s:2"], "http://l:1", "http://s:2", ""),
            (["https_proxy": "http://a:1", "HTTPS_PROXY": "http://b:2"], "", "http://a:1", ""),
            (["ALL_PROXY": "socks5://all:3", "http_proxy": ""], "socks5://all:3", "socks5://all:3", ""),
            (
                ["all_proxy": "http://x:1", "ALL_PROXY": "http://y:2", "NO_PROXY": "localhost"], "http://x:1",
                "http://x:1", "localhost"
            ),
            (["no_proxy": "127.0.0.1", "NO_PROXY": "other"], "", "", "127.0.0.1"),
        ] as [([String: String], String, String, String)]
    )
    func proxyRules(_ environment: [String: String], _ http: String, _ https: String, _ noProxy: String) {
        let proxies = ProxyEnvironment(environment)
        #expect(proxies.http == http && proxies.https == https && proxies.noProxy == noProxy)
        #expect(proxies.proxy(for: "HTTP://host/") == http)
        #expect(proxies.proxy(for: "https://host/") == https)
        #expect(proxies.proxy(for: "smtp://host") == nil)
    }

    @Test("a proxy from the environment carries the request; no_proxy and an empty environment go direct")
    func proxies() async throws {
        let receiver = try await EmbeddedReceiver.start()
        let base = receiver.baseURL
        let closed = RefusingPort()
        let deadProxy = closed.url
        let results = await offPool { () -> [UInt64: TransportResult] in
            func send(_ id: UInt64, _ url: String, _ environment: [String: String]) -> TransportResult? {
                let transport = PolledCurlTransport(
                    configuration: CurlConfiguration(proxies: ProxyEnvironment(environment))
                )
                transport.submit(TransportRequest(id: id, payload: http(.get, url), timeoutMilliseconds: 5_000))
                defer { _ = transport.shutdown() }
                return collect(transport, count: 1).first
            }
            let sent = [
                send(1, "http://sigfox-sim.invalid/via-proxy?n=1", ["http_proxy": base]),
                send(2, base + "/direct", ["http_proxy": deadProxy, "no_proxy": "127.0.0.1"]),
                send(3, base + "/refused", ["http_proxy": deadProxy]),
                send(4, base + "/plain", [:]),
            ]
            return Dictionary(sent.compactMap { $0 }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        #expect(status(try #require(results[1])) == 200)
        #expect(status(try #require(results[2])) == 200)
        #expect(failureMessage(try #require(results[3]))?.hasPrefix("Connection refused") == true)
        #expect(status(try #require(results[4])) == 200)
        // Through the proxy the request line has the absolute URL; direct requests have the path.
        #expect(receiver.requests.map(\.uri) == ["http://sigfox-sim.invalid/via-proxy?n=1", "/direct", "/plain"])
        try await receiver.shutdown()
    }
}

@Suite("libcurl transport: a try the scheduler timed out leaves the wire", .timeLimit(.minutes(1)))
struct PolledCurlCancelTests {
    @Test("cancelled requests are taken off libcurl at once: no socket stays open, no result comes")
    func cancel() async throws {
        let receiver = try await EmbeddedReceiver.start(rules: ReceiverRules(default: .hang))
        let base = receiver.baseURL
        let (running, afterCancel, late) = await offPool { () -> (Int, Int, [TransportResult]) in
            let transport = PolledCurlTransport()
            for index in 0..<8 {
                transport.submit(
                    TransportRequest(
                        id: UInt64(index),
                        payload: http(.get, "\(base)/h/\(index)"),
                        timeoutMilliseconds: 5_000
                    )
                )
            }
            // Let the requests reach the receiver, which never answers.
            let clock = ContinuousClock()
            let until = clock.now + .milliseconds(500)
            var early = [TransportResult]()
            while clock.now < until { early += transport.poll(timeoutMilliseconds: 50) }
            let running = transport.runningTransfers
            transport.cancel((0..<6).map(UInt64.init))
            let afterCancel = transport.runningTransfers
            var late = early
            let after = clock.now + .milliseconds(300)
            while clock.now < after { late += transport.poll(timeoutMilliseconds: 50) }
            _ = transport.shutdown()
            return (running, afterCancel, late)
        }
        #expect(running == 8)
        #expect(afterCancel == 2)
        #expect(late.isEmpty, "\(late)")
        try await receiver.shutdown()
    }
}
