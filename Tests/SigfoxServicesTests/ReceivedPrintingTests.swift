import Testing

@testable import SigfoxReceiverModel
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

    @Test("each request is printed with the answer it got, readable and as JSON")
    func printsTheAnswer() {
        let late = ReceiverResponse.status(500).delayed(by: .milliseconds(1500))
        #expect(
            Self.request.readableText(answer: late) == Self.request.readableText + "  => answered 500 after 1.5 s\n"
        )
        #expect(
            Self.request.jsonLine(answer: late).hasSuffix(
                #","answer":{"action":"answer","status":500,"delayMs":1500,"headers":[],"body":""}}"#
            )
        )
        let bidir = ReceiverResponse.bidir(.fixed("0102030405060708"))
        #expect(
            bidir.readableText(for: Self.request)
                == #"  => answered 200 {"2C30EA":{"downlinkData":"0102030405060708"}}"# + "\n"
        )
        #expect(ReceiverResponse.reset.readableText(for: Self.request) == "  => reset the connection, no answer\n")
        #expect(ReceiverResponse.hang.jsonObject(for: Self.request) == #"{"action":"hang"}"#)
        #expect(
            ReceiverResponse.redirect(to: "/moved").delayed(by: .seconds(2)).readableText(for: Self.request)
                == "  => answered 302 after 2 s, Location: /moved\n"
        )
        #expect(ReceiverResponse.hugeBody(bytes: 8).jsonObject(for: Self.request).hasSuffix(#""bodyBytes":8}"#))
        #expect(
            ReceiverResponse.status(200).delayed(by: .milliseconds(250)).readableText(for: Self.request).contains(
                "after 250 ms"
            )
        )
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
