import Foundation
import SigfoxEngine
import SigfoxModel
import Testing

@testable import SigfoxScenario

@Suite("The payload generator encode: writes values the payloadConfig decodes back")
struct PayloadEncodingTests {
    /// SIGFOX.md section 6's worked examples, read backwards: values → the example's bytes.
    @Test(
        "the worked examples of SIGFOX.md section 6 encode to their payloads",
        arguments: [
            ("int1::uint:8 int2::uint:8", [("int1", GeneratedValue.number(18)), ("int2", .number(52))], "1234"),
            (
                "b1::bool:7 b2::bool:6 i1:1:uint:16",
                [("b1", .bool(true)), ("b2", .bool(true)), ("i1", .number(4660))],
                "c01234"
            ),
            (
                "b1::bool:7 b2::bool:6 i1:1:uint:16:little-endian",
                [("b1", .bool(true)), ("b2", .bool(false)), ("i1", .number(13330))], "801234"
            ),
            (
                "str::char:6 i1::uint:16 i2::uint:32",
                [("str", .text("ABCDEF")), ("i1", .number(291)), ("i2", .number(1_164_413_194))],
                "41424344454601234567890a"
            ),
            ("temp::int:16", [("temp", .number(-200))], "ff38"),
            ("t::float:32", [("t", .number(25.5))], "41cc0000"),
            ("x::uint:12:little-endian", [("x", .number(0xCAB))], "abc0"),
        ] as [(String, [(String, GeneratedValue)], String)]
    )
    func examples(config: String, values: [(String, GeneratedValue)], hex: String) throws {
        let payloadConfig = try PayloadConfig(parsing: config)
        let bytes = try PayloadEncoder(config: payloadConfig).encode(values.map { ($0.0, $0.1) })
        #expect(Hex.lowercase(bytes) == hex)
        let decoded = payloadConfig.decode(bytes)
        for (name, value) in values {
            let text = decoded.first { $0.name == name }?.value?.templateText
            switch value {
            case .number(let number): #expect(Double(text ?? "") == number, "\(name)")
            case .bool(let flag): #expect(text == (flag ? "true" : "false"))
            case .text(let string): #expect(text == string)
            }
        }
    }

    @Test("bit offsets, short fields, 64-bit and negative values round-trip")
    func roundTrip() throws {
        let config = try PayloadConfig(
            parsing: "a:0:uint:3:5 c:0:bool:0 b:1:int:5:4 big:2:uint:64 neg:10:int:64:little-endian d:18:float:64 "
                + "s:26:char:3"
        )
        let values: [(String, GeneratedValue)] = [
            ("a", .number(5)), ("b", .number(-9)), ("c", .bool(true)), ("big", .number(9_007_199_254_740_992)),
            ("neg", .number(-3)), ("d", .number(-0.125)), ("s", .text("é!")),
        ]
        let bytes = try PayloadEncoder(config: config).encode(values)
        let decoded = Dictionary(uniqueKeysWithValues: config.decode(bytes).map { ($0.name, $0.value?.templateText) })
        #expect(decoded["a"] == "5" && decoded["b"] == "-9" && decoded["c"] == "true")
        #expect(decoded["big"] == "9007199254740992" && decoded["neg"] == "-3" && decoded["d"] == "-0.125")
        #expect(decoded["s"] == "é! ")
    }

    @Test(
        "a value that does not fit its field is refused with the reason",
        arguments: [
            ("x::uint:8", GeneratedValue.number(256), "256 does not fit x::uint:8: a uint:8 holds 0...255"),
            ("x::uint:8", .number(-1), "-1 does not fit x::uint:8: a uint:8 holds 0...255"),
            ("x::int:4", .number(8), "8 does not fit x::int:4: an int:4 holds -8...7"),
            ("x::uint:8", .number(1.5), "1.5 does not fit x::uint:8: a uint field takes a whole number"),
            ("x::bool:0", .number(1), "1 does not fit x::bool:0: a bool field takes true or false"),
            ("x::char:2", .text("abc"), "'abc' does not fit x::char:2: longer than 2 characters"),
            ("x::char:2", .text("€"), "'€' does not fit x::char:2: only ISO-8859-1 characters fit in a byte each"),
            ("x::float:32", .number(1e300), "1e+300 does not fit x::float:32: out of the range of a 32-bit float"),
        ]
    )
    func misfit(config: String, value: GeneratedValue, reason: String) throws {
        let encoder = PayloadEncoder(config: try PayloadConfig(parsing: config))
        #expect {
            _ = try encoder.encode([("x", value)])
        } throws: { error in
            (error as? EncodingFailure)?.reason == reason
        }
    }

    static let scenario = """
        network: { frameLossProbability: 0 }
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes:
          - name: Meter
            payloadConfig: temp::int:16 hum::uint:8 door::bool:7
          - name: Plain
        devices:
          - { id: 2C30EA, deviceType: Meter, lat: 43.6, lng: 1.44 }
          - { id: 2C30EB, deviceType: Meter, lat: 43.6, lng: 1.44 }
          - { id: 3D0001, deviceType: Plain, lat: 43.6, lng: 1.44 }
        traffic:
        """

    @Test("periodic traffic encodes constants, lists, steps and seeded random values per device")
    func generated() throws {
        let text =
            Self.scenario + """

                  - every: 10m
                    devices: [2C30EA, 2C30EB]
                    count: 4
                    payload:
                      encode:
                        temp: { from: -10, step: 5, to: 0 }
                        hum: { min: 40, max: 60 }
                        door: [true, false]
                """
        let scenario = try Scenario.parse(text)
        let config = try PayloadConfig(parsing: "temp::int:16 hum::uint:8 door::bool:7")
        let first = scenario.uplinks.filter { $0.uplink.device == DeviceID(0x2C30EA) }
        #expect(first.count == 4)
        let values = first.map { config.decode($0.uplink.payload).map { $0.value?.templateText ?? "null" } }
        #expect(values.map { $0[0] } == ["-10", "-5", "0", "-10"])
        #expect(values.map { $0[2] } == ["true", "false", "true", "false"])
        #expect(values.allSatisfy { (40...60).contains(Int($0[1]) ?? -1) })
        #expect(first.allSatisfy { $0.uplink.payload.count == 4 })
        #expect(try Scenario.parse(text).uplinks == scenario.uplinks)
    }

    @Test(
        "an encode: mistake names the file, line, column and field",
        arguments: [
            (
                "  - { at: +1s, device: 2C30EA, payload: { encode: { tmp: 1 } } }",
                "bad.yaml:12:53: traffic[0].payload.encode.tmp: no field 'tmp' in the payloadConfig of Meter "
                    + "('temp::int:16 hum::uint:8 door::bool:7'); its fields: temp, hum, door"
            ),
            (
                "  - { at: +1s, device: 2C30EA, payload: { encode: { hum: 300 } } }",
                "bad.yaml:12:58: traffic[0].payload.encode.hum: 300 does not fit hum::uint:8: a uint:8 holds 0...255"
            ),
            (
                "  - { every: 1m, devices: [2C30EB], count: 9, payload: { encode: { hum: { from: 250, step: 1 } } } }",
                "bad.yaml:12:73: traffic[0].payload.encode.hum: 256 does not fit hum::uint:8: a uint:8 holds 0...255 "
                    + "(message 7 of device 2C30EB)"
            ),
            (
                "  - { at: +1s, device: 3D0001, payload: { encode: { x: 1 } } }",
                "bad.yaml:12:51: traffic[0].payload.encode: device 3D0001's type Plain has no payloadConfig"
            ),
            (
                "  - { at: +1s, device: 2C30EA, payload: { encode: { door: { min: 3, max: 1 } } } }",
                "bad.yaml:12:74: traffic[0].payload.encode.door.max: must not be less than min"
            ),
            (
                "  - { at: +1s, device: 2C30EA, payload: { values: { door: true } } }",
                "bad.yaml:12:41: traffic[0].payload: expected {encode: {FIELD: VALUE, ...}}"
            ),
        ]
    )
    func encodeErrors(item: String, message: String) {
        do {
            _ = try Scenario.parse(Self.scenario + "\n" + item + "\n", file: "bad.yaml")
            Issue.record("accepted: \(item)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }
}

@Suite("encode: values at the edges of 64-bit fields")
struct PayloadEncodingEdgeTests {
    @Test(
        "a value a 64-bit field cannot hold is refused, not a crash",
        arguments: [
            ("v::int:64", 1e300), ("v::int:64", 9_223_372_036_854_775_808.0), ("v::int:64", -1e19),
            ("v::uint:64", 18_446_744_073_709_551_616.0), ("v::uint:64", 1e300), ("v::uint:64", -1),
        ]
    )
    func refused(config: String, value: Double) throws {
        let payloadConfig = try PayloadConfig(parsing: config)
        #expect(throws: EncodingFailure.self) { try payloadConfig.encodePayload([("v", .number(value))]) }
    }

    @Test("the largest values a 64-bit field holds are written")
    func largest() throws {
        let int64 = try PayloadConfig(parsing: "v::int:64")
        #expect(try int64.encodePayload([("v", .number(-9_223_372_036_854_775_808.0))]) == [0x80, 0, 0, 0, 0, 0, 0, 0])
        let uint64 = try PayloadConfig(parsing: "v::uint:64")
        #expect(
            try uint64.encodePayload([("v", .number(18_446_744_073_709_549_568.0))])
                == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF8, 0x00]
        )
    }
}
