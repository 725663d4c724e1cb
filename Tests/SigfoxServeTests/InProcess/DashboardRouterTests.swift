import Foundation
import HTTPTypes
import SigfoxModel
import Testing

@testable import SigfoxCloud

/// The dashboard's pages and the data they read, through the router, without sockets; the browser tests
/// stay with ``ServeProcess`` (`DashboardTests`).
@Suite("serve's dashboard, in process", .serialized, .timeLimit(.minutes(2)))
struct DashboardRouterTests {
    @Test("the pages are plain HTML: they read without JavaScript")
    func withoutJavaScript() async throws {
        try await InProcessServe(time: .scaled(20)).test { serve in
            _ = try await serve.post("/sim/devices/2C30EA/uplinks", #"{"payload":"00d728"}"#)
            try await serve.waitFor("/sim/attempts") { $0.listed.count >= 2 }
            let page = try await serve.get("/")
            #expect(page.status == 200)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.headers[.xFrameOptions] == "DENY")
            #expect(page.body.contains("<td><code>00d728</code></td>"))
            #expect(page.body.contains("temp=215 hum=40"))
            #expect(page.body.contains("✓ delivered"))
            let message = try #require(try await serve.json("/sim/messages").listed.first?["id"]?.scalarText)
            let detail = try await serve.get("/ui/messages/\(message)")
            #expect(detail.body.contains("Request, exactly as sent"))
            // As libcurl sent it: the request line and the headers it added (Host, Accept, Content-Length).
            #expect(detail.body.contains("<pre class=\"request\">POST /sigfox/uplink HTTP/1.1\nHost: 127.0.0.1:"))
            #expect(detail.body.contains("\nAccept: */*\n") && detail.body.contains("\nContent-Length: "))
            // The answer as received: status line and headers (serve keeps them), then the body.
            #expect(detail.body.contains("<pre class=\"response\">HTTP/1.1 200 OK"))
            #expect(
                try await serve.json("/sim/attempts").listed.first?["responseHeaders"]?.scalarText?.hasPrefix(
                    "HTTP/1.1 200"
                )
                    == true
            )
            for path in [
                "/ui/not-delivered", "/ui/device-types", "/ui/devices", "/ui/assets/dashboard.css",
                "/ui/assets/dashboard.js",
            ] {
                #expect(try await serve.get(path).status == 200, "\(path)")
            }
            #expect(try await serve.get("/ui/messages/999999").status == 404)
            // Nothing from another host: no CDN, no external script or style.
            #expect(!page.body.contains("https://"))
        }
    }

    @Test("the counters and a message's page read the store; an unknown message is a page, not JSON")
    func messagePage() async throws {
        try await InProcessServe().test { serve in
            let missing = try await serve.get("/ui/messages/42")
            #expect(missing.status == 404)
            #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
            #expect(missing.body.contains("There is no message 42."))
            #expect(try await serve.get("/ui/assets/dashboard.js").headers[.cacheControl] == "no-cache")
        }
    }
}
