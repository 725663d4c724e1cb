import Foundation
import SigfoxModel
import SigfoxScenario
import Testing

@Suite("Configuration documents (JSON and YAML)")
struct ConfigDocumentTests {
    @Test("YAML scalars are typed the same way as JSON")
    func yamlTyping() throws {
        let node = try ConfigDocument.parse(
            """
            a: 12
            b: "12"
            c: true
            d: ~
            e: 0102
            f: -1.5e3
            g: http://x/{device}
            h: 0x10
            i:
            """,
            syntax: .yaml
        )
        let values = try #require(node.entries).map(\.node.value)
        #expect(
            values == [
                .number("12"), .string("12"), .bool(true), .null, .string("0102"), .number("-1.5e3"),
                .string("http://x/{device}"), .string("0x10"), .null,
            ]
        )
        #expect(node["g"]?.location == SourceLocation(line: 7, column: 4))
    }

    @Test("a callback in YAML equals the same callback in JSON")
    func sameCallback() throws {
        let yaml = try CallbackFile.definitions(
            in: ConfigDocument.parse(
                """
                service: DATA/UPLINK
                url: http://h/{device}
                method: POST
                contentType: application/json
                body: '{"d":"{device}"}'
                """,
                syntax: .yaml
            )
        )
        let json = try CallbackFile.definitions(
            in: ConfigDocument.parse(
                #"{"callbackType":0,"callbackSubtype":2,"channel":"URL","url":"http://h/{device}","httpMethod":"POST","contentType":"application/json","bodyTemplate":"{\"d\":\"{device}\"}"}"#,
                syntax: .json
            )
        )
        #expect(yaml == json)
    }

    @Test("files hold one callback, a list, or an API v2 listing")
    func fileShapes() throws {
        let one = #"{"service":"UPLINK","url":"http://h/"}"#
        #expect(try CallbackFile.definitions(in: JSONParser.parse(one)).count == 1)
        #expect(try CallbackFile.definitions(in: JSONParser.parse("[\(one),\(one)]")).count == 2)
        #expect(try CallbackFile.definitions(in: JSONParser.parse(#"{"data":[\#(one)]}"#)).count == 1)
        #expect(throws: ConfigError.self) { try CallbackFile.definitions(in: JSONParser.parse("[]")) }
    }

    @Test("errors name the file, line and column")
    func errors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("cb.yaml")
        try "service: DATA/UPLINK\nurl: http://h/\nheaders:\n  Host: x\n".write(
            to: bad,
            atomically: true,
            encoding: .utf8
        )
        #expect(throws: ConfigError.self) { try CallbackFile.load(path: bad.path) }
        do {
            _ = try CallbackFile.load(path: bad.path)
        } catch {
            #expect(
                error.description
                    == "\(bad.path):4:3: headers.Host: 'Host' is a standard header; of those only Authorization may be set"
            )
        }

        let broken = directory.appendingPathComponent("broken.yaml")
        try "service: DATA/UPLINK\n  url: [\n".write(to: broken, atomically: true, encoding: .utf8)
        do {
            _ = try CallbackFile.load(path: broken.path)
            Issue.record("a broken file loaded")
        } catch {
            #expect(error.file == broken.path)
            #expect(error.location?.line == 2)
            #expect(error.message.hasPrefix("invalid YAML"))
        }

        do {
            _ = try CallbackFile.load(path: directory.appendingPathComponent("missing.json").path)
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.message == "the file does not exist")
        }
    }
}
