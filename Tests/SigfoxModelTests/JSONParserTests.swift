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
