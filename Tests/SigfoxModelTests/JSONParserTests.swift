import SigfoxModel
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test(
        "valid documents",
        arguments: [
            "{}", "[]", "0", "-1.5e3", "\"a\\u00e9\\ud83d\\ude00\"", "true", "null", " {\"a\": [1, {\"b\": null}]} ",
            "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
        ]
    )
    func valid(_ text: String) {
        #expect(JSONParser.isValid(text))
    }

    @Test(
        "invalid documents",
        arguments: [
            "", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "01", "1.", "-", "{a:1}", "'a'", "\"\\x\"", "\"a\nb\"", "tru",
            "{} {}", "\"\\ud800\"", "{\"d\": 2C30EA}",
        ]
    )
    func invalid(_ text: String) {
        #expect(!JSONParser.isValid(text))
    }

    @Test("values keep their positions and order")
    func positions() throws {
        let node = try JSONParser.parse("{\n  \"b\": 1,\n  \"a\": [true, \"x\"]\n}")
        let entries = try #require(node.entries)
        #expect(entries.map(\.key) == ["b", "a"])
        #expect(entries[0].keyLocation == SourceLocation(line: 2, column: 3))
        #expect(entries[1].node.location == SourceLocation(line: 3, column: 8))
        #expect(entries[0].node.value == .number("1"))
    }

    @Test("errors say where")
    func errorLocation() {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("{\n \"a\": ,\n}") }
        do {
            _ = try JSONParser.parse("{\n \"a\": ,\n}")
        } catch {
            #expect(error.location == SourceLocation(line: 2, column: 7))
        }
    }

    @Test("quoting round-trips")
    func quoting() throws {
        let text = "a\"b\\c\n\u{01}é"
        let quoted = JSONText.quoted(text)
        #expect(quoted == "\"a\\\"b\\\\c\\n\\u0001é\"")
        #expect(try JSONParser.parse(quoted).value == .string(text))
    }
}

@Suite("JSON validity without building a tree")
struct JSONValidityTests {
    @Test(
        "isValid agrees with parse",
        arguments: [
            "{}", "[]", "0", "-0", "-0.5e+3", "1E9", "01", "1.", ".5", "-", "1e", "true", "tru", "nul", "null ",
            " {\"a\" : [1, 2.5, \"x\\n\\u00e9\\ud83d\\ude00\", {\"b\": null}] } ", "{\"a\":1,}", "[1,]", "[1 2]",
            "{\"a\" 1}", "{a:1}", "\"\\ud83d\"", "\"\\ude00\"", "\"\\x\"", "\"tab\there\"", "\"open", "{} {}",
            "[[[[[]]]]]", String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
            String(repeating: "[", count: 512) + String(repeating: "]", count: 512), "", "   ", "\"é\"",
            "{\"device\":\"2C30EA\",\"time\":1763805600,\"data\":\"ff38\",\"ok\":true}",
        ]
    )
    func agreesWithParse(text: String) {
        #expect(JSONParser.isValid(text) == ((try? JSONParser.parse(text)) != nil), "\(text.prefix(60))")
    }

    @Test("isValid agrees with parse on 20,000 seeded random documents")
    func randomDocuments() {
        var state: UInt64 = 0x5EED
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let pieces = [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "d83d", "dc00", "0041", "n", "t", "1", "0", "-", ".", "e",
            "+", " ", "\n", "true", "false", "null", "\"k\"", "\"v\"", "\u{01}", "é",
        ]
        var disagreements = 0
        for _ in 0..<20_000 {
            let text = (0..<(1 + next() % 12)).map { _ in pieces[next() % pieces.count] }.joined()
            if JSONParser.isValid(text) != ((try? JSONParser.parse(text)) != nil) {
                disagreements += 1
                Issue.record("disagree on \(text.debugDescription)")
                if disagreements > 5 { break }
            }
        }
        #expect(disagreements == 0)
    }
}
