import Testing

@testable import SigfoxServices

@Suite("What sigfox-sim receive prints")
struct ReceivedPrintingTests {
    static let request = RecordedRequest(
        method: "POST",
        uri: "/up?x=1",
        headers: [Header("Content-Type", "application/json"), Header("X-Quote", "a\"b")],
        body: Array(#"{"device":"2C30EA"}"#.utf8),
        receivedAt: 1_709_251_200.25,
        sequence: 3,
        connection: 2
    )

    @Test func printsARequestAsOneJSONLine() {
        #expect(
            Self.request.jsonLine
                == #"{"type":"http","time":"2024-03-01T00:00:00.250Z","sequence":3,"connection":2,"method":"POST","#
                + #""uri":"/up?x=1","path":"/up","query":"x=1","version":"HTTP/1.1","#
                + #""headers":[["Content-Type","application/json"],["X-Quote","a\"b"]],"body":"{\"device\":\"2C30EA\"}"}"#
        )
        var binary = Self.request
        binary.body = [0xFF, 0x00]
        #expect(binary.jsonLine.hasSuffix(#""bodyHex":"ff00"}"#))
    }

    @Test func printsARequestAsAReadableBlock() {
        #expect(
            Self.request.readableText == """
                [2024-03-01T00:00:00.250Z] #3 POST /up?x=1 HTTP/1.1 (connection 2)
                  Content-Type: application/json
                  X-Quote: a"b

                  {"device":"2C30EA"}

                """
        )
    }

    @Test("control characters in what arrived are shown escaped, so a body cannot drive the terminal")
    func escapesControlCharacters() {
        var hostile = Self.request
        hostile.body = Array("title\u{1B}]0;owned\u{07} and \u{1B}[2J clear, tab\tkept\r\nnext".utf8)
        hostile.headers = [Header("X-Evil", "a\u{1B}[31mred")]
        let text = hostile.readableText
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(text.contains("title\\x1b]0;owned\\x07 and \\x1b[2J clear, tab\tkept"))
        #expect(text.contains("  X-Evil: a\\x1b[31mred"))
        #expect(text.contains("  next"))
        // JSON lines escape them already (\u001b).
        #expect(hostile.jsonLine.contains("\\u001b"))
    }

    @Test func printsAMail() {
        var mail = ReceivedMail(from: "a@b", recipients: ["c@d", "e@f"], data: "Subject: s\r\n\r\nhi\r\n")
        mail.sequence = 1
        #expect(
            mail.readableText
                == "[1970-01-01T00:00:00.000Z] mail #1 from <a@b> to <c@d>, <e@f>\n  Subject: s\n\n  hi\n"
        )
        #expect(mail.jsonLine.contains(#""recipients":["c@d","e@f"],"subject":"s""#))
    }
}
