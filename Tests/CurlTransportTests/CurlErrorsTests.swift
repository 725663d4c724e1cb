import CCurl
import Testing

@testable import CurlTransport

@Suite("What a libcurl failure is called in the journal")
struct CurlErrorsTests {
    @Test(
        "each failure is named for what the receiver did",
        arguments: [
            (
                CURLE_OUT_OF_MEMORY, "Avoided giant realloc for header (max is 102400)!",
                "The answer's headers are too large"
            ),
            (CURLE_RECV_ERROR, "Header too large", "The answer's headers are too large"),
            (CURLE_RECV_ERROR, "Recv failure: Connection reset by peer", "Connection reset"),
            (
                CURLE_COULDNT_CONNECT, "Failed to connect to 127.0.0.1 port 1: Couldn't connect to server",
                "Connection refused"
            ),
        ]
    )
    func http(code: CURLcode, detail: String, message: String) {
        #expect(CurlErrors.message(code, detail: detail).hasPrefix(message))
    }

    @Test("a mail server that drops the connection is said so, not 'response reading failed (errno: 11)'")
    func mail() {
        #expect(
            CurlErrors.mailReason(CURLE_RECV_ERROR, "response reading failed (errno: 11)")
                .hasPrefix("the mail server closed the connection without answering")
        )
        #expect(CurlErrors.mailReason(CURLE_LOGIN_DENIED, "RCPT failed: 550") == "RCPT failed: 550")
    }
}
