import Foundation
import HTTPTypes
import Synchronization
import Testing

@testable import SigfoxCloud

/// `serve --api-rate-limits`: the API v2's documented limits, a `429` with the live body past them.
@Suite("serve's API v2 rate limits (--api-rate-limits)", .serialized, .timeLimit(.minutes(2)))
struct APIRateLimitsTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        let seconds = Mutex(0.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var now: @Sendable () -> Double { { self.seconds.withLock { $0 } } }
    }

    @Test("a sliding window per rule and key: full, refused, free again once the first request is a window old")
    func slidingWindow() throws {
        let clock = ManualClock()
        let limiter = APIRateLimiter(now: clock.now)
        let devices = try #require(limiter.rule(.get, "/v2/devices"))
        #expect(devices.count == 50 && devices.seconds == 10)
        for _ in 0..<50 { #expect(limiter.admit(devices, key: "login")) }
        #expect(!limiter.admit(devices, key: "login"))
        #expect(limiter.admit(devices, key: "another login"))
        clock.advance(9.9)
        #expect(!limiter.admit(devices, key: "login"), "refused requests are not counted, accepted ones still are")
        clock.advance(0.2)
        #expect(limiter.admit(devices, key: "login"))
        #expect(limiter.rule(.post, "/v2/devices") == nil, "creating a device has no documented limit")
        let put = try #require(limiter.rule(.put, "/v2/devices/{id}"))
        #expect(put.perDevice && put.count == 1 && put.seconds == 3600)
        #expect(put.methods == [.put, .delete])
    }

    @Test("one GET /v2/devices/{id}/messages a second per device: 429 with the live body, pages not counted")
    func messagesOncePerSecond() async throws {
        let serve = try await InProcessServe { $0.apiRateLimits = true }
        let device = try #require(serve.server.exampleDevice)
        try await serve.test { client in
            let path = "/v2/devices/\(device)/messages"
            #expect(try await client.get(path, headers: apiV2Credentials).status == 200)
            let refused = try await client.get(path, headers: apiV2Credentials)
            #expect(refused.status == 429)
            #expect(refused.body == #"{"message":"too many requests"}"#)
            #expect(refused.headers[.contentType] == "application/json")
            // Another device has a count of its own; a further page is not counted; no credentials is a 401.
            let other = try #require(serve.server.configuration.scenario.devices.map(\.id.description).last)
            if other != device {
                #expect(try await client.get("/v2/devices/\(other)/messages", headers: apiV2Credentials).status == 200)
            }
            #expect(try await client.get(path + "?offset=100", headers: apiV2Credentials).status == 200)
            #expect(try await client.get(path).status == 401)
            // The dashboard's own requests are not the user's code.
            let dashboard: HTTPFields = [BasicAuthMiddleware.dashboardHeader: serve.server.dashboardToken]
            #expect(try await client.get(path, headers: dashboard).status == 200)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await client.get(path, headers: apiV2Credentials).status == 200)
        }
    }

    @Test("off by default: no request is refused")
    func offByDefault() async throws {
        let serve = try await InProcessServe()
        let device = try #require(serve.server.exampleDevice)
        try await serve.test { client in
            for _ in 0..<3 {
                let answer = try await client.get("/v2/devices/\(device)/messages", headers: apiV2Credentials)
                #expect(answer.status == 200)
            }
        }
    }
}
