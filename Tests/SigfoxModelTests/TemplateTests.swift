import SigfoxModel
import SigfoxTesting
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

@Suite("Rendering as bytes")
struct ByteRenderingTests {
    static let values: [VariableValue] = [
        .text("a b&\"c\\é"), .integer(Int64.min), .integer(-5), .integer(0), .integer(9), .integer(10),
        .integer(Int64.max), .unsigned(UInt64.max), .decimal2(-0.005), .decimal2(2.675), .decimal2(1e20),
        .decimal2(-.infinity), .float(43.6), .float(1e-7), .bool(true), .bool(false), .json(#"{"a":[1]}"#), .null,
    ]

    @Test(
        "a value appended as bytes is its rendered text, encoded",
        arguments: [ValueEncoding.asIs, .percentEncoded, .formEncoded]
    )
    func appendedValues(_ encoding: ValueEncoding) {
        for value in Self.values {
            var out = Array("x".utf8)
            value.appendRendered(encoding: encoding, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "x" + encoding.encode(value.renderedText), "\(value)")
        }
    }

    /// Renders `template` with `values` (by position) through the JSON path, checks it matches the
    /// string path, and returns whether validity was known without parsing.
    static func renderJSON(_ template: Template, _ values: [VariableValue]) -> (text: String, known: Bool) {
        var next = 0
        let (bytes, known) = template.renderJSON { _, encoding, out in
            values[next % values.count].appendRendered(encoding: encoding, to: &out)
            next += 1
        }
        var again = 0
        let text = template.render(encoding: .asIs) { _ in
            defer { again += 1 }
            return values[again % values.count].renderedText
        }
        #expect(String(decoding: bytes, as: UTF8.self) == text)
        if known { #expect(JSONParser.isValid(bytes), "known valid but is not: \(text)") }
        return (text, known)
    }

    @Test("a JSON body whose values fit their places is known valid without parsing")
    func knownValid() {
        let body = Template(
            #"{"device":"{device}","time":{time},"rssi":{rssi},"ack":{ack},"list":[{seqNumber}, "x{data}y"]}"#
        )
        let typical: [VariableValue] = [
            .text("1A2B"), .integer(1_700_000_000), .decimal2(-120.5), .bool(false), .null, .text("c0ffee"),
        ]
        #expect(Self.renderJSON(body, typical).known)
        #expect(Self.renderJSON(Template(#"  [ {time} ]  "#), [.integer(-3)]).known)
        #expect(Self.renderJSON(Template(#"{"a":"\\{device}\n"}"#), [.text("ok")]).known)
    }

    @Test(
        "anything else is checked by parsing, and the answer is the parser's",
        arguments: [
            // A quote or backslash inside a string, a text where a whole value goes.
            (#"{"d":"{device}"}"#, [VariableValue.text(#"a"b"#)], false),
            (#"{"d":"{device}"}"#, [.text(#"a\"#)], false),
            (#"{"d":"{device}"}"#, [.text("a\u{1}b")], false),
            (#"{"d":{device}}"#, [.text("abc")], false),
            (#"{"d":{device}}"#, [.text("12")], true),
            (#"{"d":{device}}"#, [.json(#"{"x":1}"#)], true),
            (#"{"d":{device}}"#, [.float(43.6)], true),
            (#"{"d":{device}}"#, [.decimal2(1e20)], true),
            // The literal text does not settle the place: next to a digit, another variable, an escape.
            (#"{"d":1{time}}"#, [.integer(2)], true),
            (#"{"d":1{time}}"#, [.integer(-2)], false),
            (#"{"d":{time}{seqNumber}}"#, [.integer(1)], true),
            (#"{"d":"\{device}"}"#, [.text("n")], true),
            (#"{"d":"\{device}"}"#, [.text("x")], false),
            (#"{"d":"\u00{device}"}"#, [.text("41")], true),
            (#"{{device}:1}"#, [.text(#""k""#)], true),
            (#"{"d":{time},}"#, [.integer(1)], false),
        ] as [(String, [VariableValue], Bool)]
    )
    func checkedByParsing(_ source: String, _ values: [VariableValue], _ valid: Bool) {
        let (text, known) = Self.renderJSON(Template(source), values)
        #expect(JSONParser.isValid(text) == valid, "\(text)")
        if !valid { #expect(!known) }
    }

    @Test("known valid is never wrong: 20,000 seeded random templates and values")
    func randomTemplates() {
        var random = TestRandom(seed: 42)
        let variables = ["{time}", "{device}", "{seqNumber}"]
        let noise = ["{", "}", "[", "]", "\"", ":", ",", " ", "\\", "a", "1", "-", "{time}"]
        // A random JSON document with variables in strings and in value places.
        func document(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 2 ? 3 : 6), using: &random) {
            case 0: return ["1", "-2.5", "true", "null"].randomElement(using: &random)!
            case 1: return "\"a" + variables.randomElement(using: &random)! + "\""
            case 2: return variables.randomElement(using: &random)!
            case 3:
                return "["
                    + (0..<Int.random(in: 0...3, using: &random)).map { _ in document(depth + 1) }.joined(
                        separator: ","
                    ) + "]"
            default:
                let members = (0..<Int.random(in: 0...3, using: &random)).map { index in
                    "\"k\(index)\": " + document(depth + 1)
                }
                return "{" + members.joined(separator: ", ") + "}"
            }
        }
        var known = 0
        var unknown = 0
        for _ in 0..<20_000 {
            var source = Array(document(0))
            // Some are broken on purpose: a random character in a random place.
            if Bool.random(using: &random) {
                let at = Int.random(in: 0...source.count, using: &random)
                source.insert(contentsOf: noise.randomElement(using: &random)!, at: at)
            }
            let values = (0..<3).map { _ in Self.values.randomElement(using: &random)! }
            if Self.renderJSON(Template(String(source)), values).known { known += 1 } else { unknown += 1 }
        }
        // Both answers come up often enough for the check to mean something.
        #expect(known > 2_000 && unknown > 2_000, "known \(known), unknown \(unknown)")
    }

    @Test("a JSON body that breaks is refused whichever way it was checked")
    func refused() throws {
        var definition = try callback(
            #"{"service": "UPLINK", "url": "http://h/", "method": "POST", "contentType": "application/json", "body": "{\"d\":\"{device}\",\"n\":{seqNumber}}"}"#
        )
        var bindings = VariableBindings()
        bindings[.device] = .text("1A2B")
        bindings[.seqNumber] = .integer(7)
        let request = try #require(httpRequest(try definition.render(bindings)))
        #expect(request.body == #"{"d":"1A2B","n":7}"#)
        bindings[.device] = .text(#"1A"2B"#)
        #expect(throws: RenderError.self) { try definition.render(bindings) }
        bindings[.device] = .text("1A2B")
        bindings[.seqNumber] = .text("seven")
        #expect(throws: RenderError.self) { try definition.render(bindings) }
        definition.bodyTemplate = Template(#"{"d":"{device}"}"#)
        #expect(throws: Never.self) { try definition.render(bindings) }
    }
}

@Suite("Variable bindings")
struct VariableBindingsTests {
    @Test("bindings set in any order are the same bindings; keeping takes its list in any order")
    func anyOrder() {
        var random = TestRandom(seed: 7)
        let all = StandardVariable.allCases
        for _ in 0..<200 {
            let chosen = all.shuffled(using: &random).prefix(Int.random(in: 0...all.count, using: &random))
            var forward = VariableBindings()
            for variable in chosen.sorted(by: { $0.ordinal < $1.ordinal }) {
                forward[variable] = .integer(Int64(variable.ordinal))
            }
            var shuffled = VariableBindings()
            for variable in chosen.shuffled(using: &random) {
                shuffled[variable] = .text("first")
                shuffled[variable] = .integer(Int64(variable.ordinal))
            }
            #expect(forward == shuffled)
            #expect(shuffled.boundVariables.map(\.0) == chosen.sorted { $0.ordinal < $1.ordinal })
            let kept = all.shuffled(using: &random).prefix(Int.random(in: 0...all.count, using: &random))
            let expected = kept.filter { chosen.contains($0) }.sorted { $0.ordinal < $1.ordinal }
            for list in [Array(kept), kept.sorted { $0.ordinal < $1.ordinal }] {
                let copy = shuffled.keeping(list, payload: false)
                #expect(copy.boundVariables.map(\.0) == expected)
                for variable in expected { #expect(copy[variable] == .integer(Int64(variable.ordinal))) }
            }
            if let removed = chosen.first {
                shuffled[removed] = nil
                #expect(shuffled[removed] == nil)
                #expect(shuffled.boundVariables.count == chosen.count - 1)
            }
        }
    }
}
