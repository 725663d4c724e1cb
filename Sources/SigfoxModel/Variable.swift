/// A variable a template may name: `{device}`, `{customData#temp}`, `{batch}` (SIGFOX.md section 3).
public enum Variable: Hashable, Sendable, CustomStringConvertible {
    case standard(StandardVariable)
    /// A field decoded by the callback's payload configuration (SIGFOX.md section 6).
    case customData(String)
    /// The joined lines of a BATCH_URL request, in its URL (emulator rule, SIGFOX.md section 4).
    case batch

    /// Reads the text between the braces; nil when it names no variable the emulator knows.
    public init?(name: String) {
        if name.hasPrefix("customData#") {
            let field = name.dropFirst("customData#".count)
            guard !field.isEmpty else { return nil }
            self = .customData(String(field))
        } else if name == "batch" {
            self = .batch
        } else if name == "avgSignal" {
            // The old name of {avgSnr}, still in real configurations.
            self = .standard(.avgSnr)
        } else if let standard = StandardVariable(rawValue: name) {
            self = .standard(standard)
        } else {
            return nil
        }
    }

    /// The variable as written in a template, without braces.
    public var name: String {
        switch self {
        case .standard(let variable): return variable.rawValue
        case .customData(let field): return "customData#" + field
        case .batch: return "batch"
        }
    }

    public var description: String { "{" + name + "}" }
}

/// The named variables of SIGFOX.md section 3, legacy ones included, so that configurations copied
/// from real deployments load.
public enum StandardVariable: String, CaseIterable, Hashable, Sendable {
    case device, time, deviceTypeId, deviceTypeName
    case data, seqNumber, ack, longPolling
    case station, rssi, snr, reception
    case duplicate, avgSnr, lat, lng, signal
    case radius, geolocSource
    case lqi, linkQuality, operatorName, countryCode, fixedLat, fixedLng, duplicates, computedLocation
    case temp, batt
    case infoCode, infoMessage, downlinkAck, downlinkOverusage
    case info, severity
    case whitelistDevices, repeatedMsg, unwantedDevices, unwantedMsg, wrongMsg, overRegulMsg
    // EVENT (SIGFOX.md section 8).
    case sourceId, sourceType, eventType, groupId
    case deviceMessageSeqnumber, deviceMessageTime, deviceExpectedSeqnumber, deviceLastSeqnumber, deviceInfo
    case contractId, contractIds, subscriptionState, networkOperatorId, businessOperatorId
    case deviceShortCause, deviceCause, expectedSubscriptionDurationEndTime, expectedTokenEndTime

    /// Position in `allCases`, for array-backed bindings. A switch, not a lookup: it runs for every
    /// variable of every trigger.
    public var ordinal: Int {
        switch self {
        case .device: return 0
        case .time: return 1
        case .deviceTypeId: return 2
        case .deviceTypeName: return 3
        case .data: return 4
        case .seqNumber: return 5
        case .ack: return 6
        case .longPolling: return 7
        case .station: return 8
        case .rssi: return 9
        case .snr: return 10
        case .reception: return 11
        case .duplicate: return 12
        case .avgSnr: return 13
        case .lat: return 14
        case .lng: return 15
        case .signal: return 16
        case .radius: return 17
        case .geolocSource: return 18
        case .lqi: return 19
        case .linkQuality: return 20
        case .operatorName: return 21
        case .countryCode: return 22
        case .fixedLat: return 23
        case .fixedLng: return 24
        case .duplicates: return 25
        case .computedLocation: return 26
        case .temp: return 27
        case .batt: return 28
        case .infoCode: return 29
        case .infoMessage: return 30
        case .downlinkAck: return 31
        case .downlinkOverusage: return 32
        case .info: return 33
        case .severity: return 34
        case .whitelistDevices: return 35
        case .repeatedMsg: return 36
        case .unwantedDevices: return 37
        case .unwantedMsg: return 38
        case .wrongMsg: return 39
        case .overRegulMsg: return 40
        case .sourceId: return 41
        case .sourceType: return 42
        case .eventType: return 43
        case .groupId: return 44
        case .deviceMessageSeqnumber: return 45
        case .deviceMessageTime: return 46
        case .deviceExpectedSeqnumber: return 47
        case .deviceLastSeqnumber: return 48
        case .deviceInfo: return 49
        case .contractId: return 50
        case .contractIds: return 51
        case .subscriptionState: return 52
        case .networkOperatorId: return 53
        case .businessOperatorId: return 54
        case .deviceShortCause: return 55
        case .deviceCause: return 56
        case .expectedSubscriptionDurationEndTime: return 57
        case .expectedTokenEndTime: return 58
        }
    }
}

/// What a variable's value is, which fixes how it is written (SIGFOX.md section 3).
public enum VariableKind: Hashable, Sendable {
    /// Upper-case hex without leading zeros.
    case deviceID
    /// 24 lower-case hex characters.
    case deviceTypeID
    /// 4 upper-case hex characters.
    case stationID
    /// Lower-case hex bytes.
    case hexData
    case integer
    /// A float written with 2 decimals (`-123.00`).
    case decimal2
    /// A float in its shortest form (`43.6`, `0.0`).
    case float
    case bool
    case text
    /// JSON written unquoted (`{duplicates}`, `{computedLocation}`, `{reception}`).
    case json
    /// `Limit`, `Average`, `Good`, `Excellent`.
    case lqiWord
    /// `{avgSnr}`: 2 decimals, or the text `N/A`.
    case decimal2OrText
}
