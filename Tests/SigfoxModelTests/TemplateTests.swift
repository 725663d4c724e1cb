import SigfoxModel
import Testing

@Suite("Templates (SIGFOX.md section 3)")
struct TemplateTests {
    @Test("variables are found, JSON braces stay literal")
    func segments() {
        let template = Template(#"{"device":"{device}","t":{time},"x":{ },"c":"{customData#temp-1}"}"#)
        #expect(template.references.map(\.name) == ["device", "time", "customData#temp-1"])
        #expect(template.references.map(\.variable) == [.standard(.device), .standard(.time), .customData("temp-1")])
        let rendered = template.render(encoding: .asIs) { $0.name.uppercased() }
        #expect(rendered == #"{"device":"DEVICE","t":TIME,"x":{ },"c":"CUSTOMDATA#TEMP-1"}"#)
    }

    @Test("positions are 1-based line and column of the brace")
    func positions() {
        let template = Template("a\n  é{device}\n{foo}")
        #expect(
            template.references.map(\.position) == [
                SourceLocation(line: 2, column: 4), SourceLocation(line: 3, column: 1),
            ]
        )
        #expect(template.references[1].variable == nil)
    }

    @Test(
        "malformed references are literal text",
        arguments: ["{", "}", "{}", "{1abc}", "{device", "{customData#}", "{a b}", "{{}}", #"{"a":1}"#]
    )
    func literalText(_ text: String) {
        let template = Template(text)
        #expect(template.isLiteral)
        #expect(template.render(encoding: .percentEncoded) { _ in "X" } == text)
    }

    @Test("a template without variables renders to itself")
    func literalOnly() {
        #expect(Template("").render(encoding: .asIs) { _ in "" } == "")
        #expect(Template("plain").segments == [.literal(Array("plain".utf8))])
    }

    @Test(
        "value encodings (SIGFOX.md section 4)",
        arguments: [
            (ValueEncoding.asIs, "a b&c=d/é", "a b&c=d/é"),
            (.percentEncoded, "a b&c=d/é~._-", "a%20b%26c%3Dd%2F%C3%A9~._-"),
            (.formEncoded, "a b&c=d/é+", "a+b%26c%3Dd%2F%C3%A9%2B"),
        ]
    )
    func encodings(_ encoding: ValueEncoding, _ value: String, _ expected: String) {
        #expect(encoding.encode(value) == expected)
        // Literal text around the value is never encoded.
        #expect(Template("x={device}&y").render(encoding: encoding) { _ in value } == "x=\(expected)&y")
    }
}

@Suite("Variable values")
struct VariableValueTests {
    @Test(
        "two decimals",
        arguments: [
            (-123.0, "-123.00"), (17.28, "17.28"), (0, "0.00"), (-0.001, "0.00"), (-0.005, "-0.01"),
            (12.5, "12.50"), (3.14159, "3.14"), (2.675, "2.68"), (-140.4, "-140.40"), (1e6, "1000000.00"),
            (Double.nan, "null"), (Double.infinity, "null"),
        ]
    )
    func twoDecimals(_ value: Double, _ expected: String) {
        #expect(VariableValue.decimal2(value).renderedText == expected)
    }

    @Test("other kinds")
    func kinds() {
        #expect(VariableValue.float(0).renderedText == "0.0")
        #expect(VariableValue.float(43.6).renderedText == "43.6")
        #expect(VariableValue.integer(-5).renderedText == "-5")
        #expect(VariableValue.unsigned(UInt64.max).renderedText == "18446744073709551615")
        #expect(VariableValue.bool(true).renderedText == "true")
        #expect(VariableValue.null.renderedText == "null")
        #expect(VariableValue.json(#"{"status":0}"#).renderedText == #"{"status":0}"#)
    }
}
