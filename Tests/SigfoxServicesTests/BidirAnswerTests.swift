import SigfoxModel
import Testing

@testable import SigfoxReceiverModel
@testable import SigfoxServices

/// The ways a BIDIR request can name its device (`RecordedRequest.bidirDevices`).
enum BidirRequestStyle: String, CaseIterable, Sendable {
    case json, form, query, path

    /// Method, target, headers and body of a request for device `2c30ea` with data `0a0b0c`.
    var request: (String, String, [(String, String)], String) {
        switch self {
        case .json:
            return ("POST", "/bidir", [("Content-Type", "application/json")], #"{"device":"2c30ea","data":"0a0b0c"}"#)
        case .form:
            return (
                "POST", "/bidir", [("Content-Type", "application/x-www-form-urlencoded")], "device=2c30ea&data=0a0b0c"
            )
        case .query:
            return ("GET", "/bidir?device=2c30ea&data=0a0b0c", [], "")
        case .path:
            return ("GET", "/bidir/2c30ea?data=0a0b0c", [], "")
        }
    }
}

@Suite("Embedded receiver: BIDIR answers (SIGFOX.md section 5)", .timeLimit(.minutes(1)))
struct BidirAnswerTests {
    static let kinds: [(BidirAnswer, DownlinkAnswer)] = [
        (.fixed("0102030405060708"), .downlink([1, 2, 3, 4, 5, 6, 7, 8])),
        (.echo, .downlink([0x0A, 0x0B, 0x0C, 0, 0, 0, 0, 0])),
        (.noContent, .noData),
        (.noData, .noData),
        (.malformed, .invalidPayload("the answer is not a JSON object")),
        (.badLength, .invalidPayload("downlinkData '0102030405' is not 16 hex characters")),
    ]

    @Test(arguments: BidirRequestStyle.allCases)
    func eachKindAnswersEachRequestStyle(style: BidirRequestStyle) async throws {
        for (kind, expected) in Self.kinds {
            try await withReceiver(ReceiverRules(default: .bidir(kind))) { receiver in
                let (method, target, headers, body) = style.request
                let response = try await RawSocket.exchange(
                    port: receiver.port,
                    method,
                    target,
                    headers: headers,
                    body: body
                )
                let answer = DownlinkAnswer.parse(
                    status: response.status,
                    body: response.bodyText,
                    device: DeviceID(0x2C30EA)
                )
                #expect(answer == expected, "\(kind) for a \(style) request: \(response.status) \(response.bodyText)")
                if kind != .noContent && kind != .malformed {
                    #expect(response.bodyText.hasPrefix(#"{"2c30ea":"#))
                    #expect(response.header("Content-Type") == "application/json")
                }
            }
        }
    }

    @Test func aBatchGetsOneKeyPerDevice() async throws {
        let lines = "2C30EA;0102030405060708090a;12.0\n1FD48BE;ff;3.5\n2C30EA;00;1.0"
        try await withReceiver(ReceiverRules(default: .bidir(.echo))) { receiver in
            let response = try await RawSocket.exchange(
                port: receiver.port,
                "POST",
                "/batch",
                headers: [("Content-Type", "text/plain")],
                body: lines
            )
            #expect(
                response.bodyText
                    == #"{"2C30EA":{"downlinkData":"0102030405060708"},"1FD48BE":{"downlinkData":"ff00000000000000"}}"#
            )
            let second = DownlinkAnswer.parse(status: 200, body: response.bodyText, device: DeviceID(0x1FD48BE))
            #expect(second == .downlink([0xFF, 0, 0, 0, 0, 0, 0, 0]))
        }
    }

    @Test(arguments: [BidirAnswer.fixed("0102030405060708"), .noData, .badLength, .malformed])
    func aBatchAnswerNamesEveryDevice(kind: BidirAnswer) {
        let request = RecordedRequest(
            method: "POST",
            uri: "/batch",
            headers: [Header("Content-Type", "text/plain; charset=utf-8")],
            body: Array("B92A4,aa\r\n2C30EA,bb\n".utf8)
        )
        #expect(request.bidirDevices == [BidirDevice(id: "B92A4", data: "aa"), BidirDevice(id: "2C30EA", data: "bb")])
        let (status, body) = kind.answer(to: request)
        #expect(status == 200)
        #expect(body.contains(#""B92A4":"#) && body.contains(#""2C30EA":"#))
        #expect(JSONParser.isValid(body) == (kind != .malformed))
    }

    @Test func aBatchInTheQueryIsRead() {
        let request = RecordedRequest(method: "GET", uri: "/b?batch=2C30EA%3B01%0AB92A4%3B02")
        #expect(request.bidirDevices == [BidirDevice(id: "2C30EA", data: "01"), BidirDevice(id: "B92A4", data: "02")])
    }

    @Test func aRequestNamingNoDeviceGetsAnAnswerForNobody() {
        let request = RecordedRequest(method: "GET", uri: "/bidir/not-hex")
        #expect(request.bidirDevices.isEmpty)
        #expect(BidirAnswer.fixed("0102030405060708").answer(to: request) == (200, "{}"))
        #expect(BidirAnswer.malformed.answer(to: request) == (200, "{"))
    }

    @Test(arguments: [("", "0000000000000000"), ("0a", "0a00000000000000"), ("0102030405060708ff", "0102030405060708")])
    func echoPadsOrCutsToSixteenDigits(data: String, expected: String) {
        #expect(BidirAnswer.echoed(data) == expected)
    }
}
