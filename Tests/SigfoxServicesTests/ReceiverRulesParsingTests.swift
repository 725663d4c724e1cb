import Testing

@testable import SigfoxReceiverModel
@testable import SigfoxServices

@Suite("Receiver rules: the command-line syntax")
struct ReceiverRulesParsingTests {
    @Test func parsesASequencePerPath() throws {
        let rules = try ReceiverRules(options: ReceiverRuleOptions(sequences: ["/flaky=500,500@1.5,200"]))
        #expect(rules.defaultResponse == .status(200))
        #expect(
            rules.paths["/flaky"] == [
                .status(500), ReceiverResponse.status(500).delayed(by: .seconds(1.5)), .status(200),
            ]
        )
    }

    @Test(arguments: [
        ("503", ReceiverResponse.status(503)),
        ("reset", .reset),
        ("hang@2s", ReceiverResponse.hang.delayed(by: .seconds(2))),
        ("redirect", .redirect(to: "/moved")),
        ("redirect:http://127.0.0.1:9/x", .redirect(to: "http://127.0.0.1:9/x")),
        ("huge:10m", .hugeBody(bytes: 10 << 20)),
        ("huge:4096", .hugeBody(bytes: 4096)),
        ("bidir:fixed:0102030405060708", .bidir(.fixed("0102030405060708"))),
        ("bidir:echo@250ms", ReceiverResponse.bidir(.echo).delayed(by: .milliseconds(250))),
        ("bidir:204", .bidir(.noContent)),
        ("bidir:nodata", .bidir(.noData)),
        ("bidir:malformed", .bidir(.malformed)),
        ("bidir:bad-length", .bidir(.badLength)),
    ])
    func parsesEachAnswer(spec: String, expected: ReceiverResponse) throws {
        #expect(try ReceiverResponse(parsing: spec) == expected)
    }

    @Test func buildsTheDefaultAnswerFromOptions() throws {
        let bidir = try ReceiverRules(options: ReceiverRuleOptions(delay: "1.5", bidir: "fixed:0102030405060708"))
        #expect(bidir.defaultResponse == ReceiverResponse.bidir(.fixed("0102030405060708")).delayed(by: .seconds(1.5)))
        #expect(try ReceiverRules(options: ReceiverRuleOptions(status: 404)).defaultResponse == .status(404))
        #expect(try ReceiverRules(options: ReceiverRuleOptions(hang: true)).defaultResponse == .hang)
        #expect(try ReceiverRules(options: ReceiverRuleOptions(reset: true)).defaultResponse == .reset)
    }

    @Test(arguments: [
        (
            ReceiverRuleOptions(sequences: ["/flaky"]),
            "--sequence '/flaky': expected PATH=ANSWER,ANSWER,... e.g. /flaky=500,500,200"
        ),
        (
            ReceiverRuleOptions(sequences: ["flaky=500"]),
            "--sequence 'flaky=500': the path 'flaky' must start with / (or be * for every path)"
        ),
        (
            ReceiverRuleOptions(sequences: ["/a=500,abc"]),
            "--sequence '/a=500,abc': 'abc' is not an answer; write \(ReceiverRules.answerSyntax)"
        ),
        (
            ReceiverRuleOptions(sequences: ["/a=500,"]),
            "--sequence '/a=500,': an answer is missing; write \(ReceiverRules.answerSyntax)"
        ),
        (
            ReceiverRuleOptions(sequences: ["/a=700"]),
            "--sequence '/a=700': '700' is not an HTTP status from 200 to 599"
        ),
        (
            ReceiverRuleOptions(sequences: ["/a=200@soon"]),
            "--sequence '/a=200@soon': 'soon' is not a delay; write seconds such as 1.5, 1.5s or 250ms (at most a day)"
        ),
        (
            ReceiverRuleOptions(sequences: ["/a=huge"]),
            "--sequence '/a=huge': write huge:BYTES, e.g. huge:10000000 or huge:10m"
        ),
        (ReceiverRuleOptions(sequences: ["/a=200", "/a=500"]), "--sequence '/a=500': /a already has a sequence"),
        (ReceiverRuleOptions(status: 100), "--status '100': '100' is not an HTTP status from 200 to 599"),
        (
            ReceiverRuleOptions(delay: "-1"),
            "--delay '-1': '-1' is not a delay; write seconds such as 1.5, 1.5s or 250ms (at most a day)"
        ),
        (
            ReceiverRuleOptions(reset: true, hang: true),
            "--reset: cannot be combined with --hang; choose one default answer"
        ),
        (
            ReceiverRuleOptions(status: 500, bidir: "echo"),
            "--bidir: cannot be combined with --status; choose one default answer"
        ),
        (
            ReceiverRuleOptions(bidir: "sometimes"),
            "--bidir 'sometimes': 'sometimes' is not a BIDIR answer; write \(BidirAnswer.syntax)"
        ),
        (
            ReceiverRuleOptions(bidir: "fixed:0102"),
            "--bidir 'fixed:0102': '0102' is not 16 hex digits (8 bytes, SIGFOX.md section 5); use bad-length to send a wrong length on purpose"
        ),
    ])
    func refusesWithAClearMessage(options: ReceiverRuleOptions, message: String) {
        #expect(throws: ReceiverRulesError.self) { try ReceiverRules(options: options) }
        do {
            _ = try ReceiverRules(options: options)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func matchesExactPathsBeforePrefixes() {
        var rules = ReceiverRules(default: .status(204))
        rules.set(.status(500), for: "/bidir/*")
        rules.set(.status(501), for: "/bidir/x/*")
        rules.set(.status(502), for: "/bidir/x/exact")
        var positions = [String: Int]()
        #expect(rules.response(for: "/bidir/1", positions: &positions) == .status(500))
        #expect(rules.response(for: "/bidir/x/1", positions: &positions) == .status(501))
        #expect(rules.response(for: "/bidir/x/exact", positions: &positions) == .status(502))
        #expect(rules.response(for: "/other", positions: &positions) == .status(204))
        #expect(positions == ["/bidir/*": 1, "/bidir/x/*": 1, "/bidir/x/exact": 1])
    }

    @Test func formatsWallClockTime() {
        #expect(WallClock.iso8601(0) == "1970-01-01T00:00:00.000Z")
        #expect(WallClock.iso8601(1_709_251_200.5) == "2024-03-01T00:00:00.500Z")
    }
}
