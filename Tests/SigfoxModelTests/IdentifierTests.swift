import SigfoxModel
import Testing

@Suite("Identifiers (SIGFOX.md section 1)")
struct IdentifierTests {
    @Test(
        "device ids are upper-case hex without leading zeros",
        arguments: [
            ("2c30ea", "2C30EA"), ("001FD48BE", nil), ("01FD48BE", "1FD48BE"), ("b92a4", "B92A4"), ("0", "0"),
            ("FFFFFFFF", "FFFFFFFF"), ("0x2C30EA", "2C30EA"), ("", nil), ("12G", nil), ("123456789", nil),
        ]
    )
    func deviceID(_ input: String, _ expected: String?) {
        #expect(DeviceID(hex: input)?.description == expected)
    }

    @Test("base station ids are at least 4 upper-case hex characters; the Swagger's own example has 5 (1E6AB)")
    func stationID() {
        #expect(BaseStationID(0x1D44).description == "1D44")
        #expect(BaseStationID(0xA1).description == "00A1")
        #expect(BaseStationID(hex: "a9dc")?.description == "A9DC")
        #expect(BaseStationID(hex: "1E6AB")?.description == "1E6AB")
        #expect(BaseStationID(hex: "FFFFFFFF")?.description == "FFFFFFFF")
        #expect(BaseStationID(hex: "123456789") == nil && BaseStationID(hex: "12G4") == nil)
    }

    @Test("device type ids are 24 lower-case hex characters")
    func deviceTypeID() {
        #expect(DeviceTypeID("5964A10570C85B51CCBAF497")?.description == "5964a10570c85b51ccbaf497")
        #expect(DeviceTypeID("5964a10570c85b51ccbaf49") == nil)
        #expect(DeviceTypeID("5964a10570c85b51ccbaf49z") == nil)
        // Equal whatever the case they were written in; one digit apart, in either half, is another type.
        let upper = DeviceTypeID("5964A10570C85B51CCBAF497")
        #expect(upper == DeviceTypeID("5964a10570c85b51ccbaf497"))
        #expect(Set([upper, DeviceTypeID("5964a10570c85b51ccbaf497")]).count == 1)
        #expect(upper != DeviceTypeID("5964a10570c85b51ccbaf496"))
        #expect(upper != DeviceTypeID("6964a10570c85b51ccbaf497"))
    }

    @Test("hex payloads")
    func hex() throws {
        #expect(try Hex.bytes(from: "FF3842") == [0xFF, 0x38, 0x42])
        #expect(try Hex.bytes(from: "") == [])
        #expect(Hex.lowercase([0xAB, 0x01]) == "ab01")
        #expect(throws: Hex.ParseError.oddLength(3)) { try Hex.bytes(from: "abc") }
        #expect(throws: Hex.ParseError.invalidCharacter(" ", offset: 2)) { try Hex.bytes(from: "41 42") }
    }
}

@Suite("Link quality (SIGFOX.md section 1)")
struct LinkQualityTests {
    @Test(
        "RC1 table at every boundary",
        arguments: [
            (-121.99, 3, LinkQuality.excellent), (-122.0, 3, .good), (-134.99, 3, .good), (-135.0, 3, .limit),
            (-121.99, 1, .good), (-122.0, 2, .average), (-134.99, 2, .average), (-135.0, 1, .limit),
            (-75, 5, .excellent), (-140, 5, .limit),
        ]
    )
    func rc1(_ rssi: Double, _ stations: Int, _ expected: LinkQuality) {
        #expect(LinkQuality(bestRSSI: rssi, stationCount: stations, zone: .rc1) == expected)
    }

    @Test(
        "RC2 and RC4 use -114 and -127",
        arguments: [RadioConfiguration.rc2, .rc4]
    )
    func rc2(_ zone: RadioConfiguration) {
        #expect(LinkQuality(bestRSSI: -113.9, stationCount: 3, zone: zone) == .excellent)
        #expect(LinkQuality(bestRSSI: -114, stationCount: 3, zone: zone) == .good)
        #expect(LinkQuality(bestRSSI: -126.9, stationCount: 1, zone: zone) == .average)
        #expect(LinkQuality(bestRSSI: -127, stationCount: 1, zone: zone) == .limit)
    }

    @Test("words: title case by default, upper case on request")
    func words() {
        #expect(LinkQuality.allCases.map { $0.word() } == ["Limit", "Average", "Good", "Excellent", "NA"])
        #expect(LinkQuality.allCases.map { $0.word(.upperCase) } == ["LIMIT", "AVERAGE", "GOOD", "EXCELLENT", "NA"])
        // The API v2's lqi: 0 LIMIT, 1 AVERAGE, 2 GOOD, 3 EXCELLENT, 4 NA.
        #expect(LinkQuality.allCases.map(\.rawValue) == [0, 1, 2, 3, 4])
    }
}

@Suite("UTC dates")
struct UTCDateTimeTests {
    @Test(
        "epoch milliseconds to calendar and back",
        arguments: [
            (Int64(0), "1970-01-01 00:00:00", "1970-01-01T00:00:00.000Z"),
            (1_763_805_600_123, "2025-11-22 10:00:00", "2025-11-22T10:00:00.123Z"),
            (951_782_400_000, "2000-02-29 00:00:00", "2000-02-29T00:00:00.000Z"),
            (-1, "1969-12-31 23:59:59", "1969-12-31T23:59:59.999Z"),
        ]
    )
    func roundTrip(_ milliseconds: Int64, _ sigfox: String, _ iso: String) {
        let date = UTCDateTime(epochMilliseconds: milliseconds)
        #expect(date.sigfoxText == sigfox)
        #expect(date.iso8601Milliseconds == iso)
        #expect(
            UTCDateTime.epochMilliseconds(
                year: date.year,
                month: date.month,
                day: date.day,
                hour: date.hour,
                minute: date.minute,
                second: date.second,
                millisecond: date.millisecond
            ) == milliseconds
        )
    }

    @Test("impossible dates are refused")
    func refused() {
        #expect(UTCDateTime.epochMilliseconds(year: 2026, month: 4, day: 31) == nil)
        #expect(UTCDateTime.epochMilliseconds(year: 2026, month: 2, day: 29) == nil)
        #expect(UTCDateTime.epochMilliseconds(year: 2026, month: 13, day: 1) == nil)
        #expect(UTCDateTime.epochMilliseconds(year: 2028, month: 2, day: 29) != nil)
    }
}
