/// Which variables each callback service offers, and of what kind (SIGFOX.md section 3).
///
/// Every variable of the table is accepted for the services listed there, legacy ones included.
/// **Emulator rule:** the legacy per-station variables (`station`, `rssi`, `snr`) and `seqNumber` are
/// also accepted in STATUS and ACKNOWLEDGE callbacks, and in GEOLOC ones every legacy variable
/// (`duplicate`, `avgSnr`, `signal`, `station`, `rssi`, `snr`, `seqNumber`; GEOLOC never fires), as the
/// older Sigfox documentation listed them there and real configurations still carry them. `{avgSignal}`
/// is read as `{avgSnr}`, its old name.
public enum VariableCatalogue {
    /// The kind of `variable` in callbacks of `service`, or nil when the service does not offer it.
    public static func kind(of variable: StandardVariable, for service: CallbackService) -> VariableKind? {
        table[service]?[variable]
    }

    /// Whether `{customData#NAME}` may be used by `service`'s callbacks.
    public static func offersCustomData(_ service: CallbackService) -> Bool {
        service.isData || service == .dataAdvanced
    }

    /// The variables `service` offers, in catalogue order.
    public static func variables(for service: CallbackService) -> [StandardVariable] {
        StandardVariable.allCases.filter { table[service]?[$0] != nil }
    }

    private static let common: [StandardVariable: VariableKind] = [
        .device: .deviceID, .time: .integer, .deviceTypeName: .text,
    ]

    private static let legacyRadio: [StandardVariable: VariableKind] = [
        .duplicate: .bool, .avgSnr: .decimal2OrText, .lat: .integer, .lng: .integer, .signal: .decimal2,
    ]

    private static let stationMetadata: [StandardVariable: VariableKind] = [
        .station: .stationID, .rssi: .decimal2, .snr: .decimal2,
    ]

    private static let data: [StandardVariable: VariableKind] =
        common
        .merging(legacyRadio) { $1 }
        .merging(stationMetadata) { $1 }
        .merging([
            .deviceTypeId: .deviceTypeID, .data: .hexData, .seqNumber: .integer, .ack: .bool,
            .reception: .json,
        ]) { $1 }

    private static let table: [CallbackService: [StandardVariable: VariableKind]] = [
        .dataUplink: data,
        .dataBidir: data.merging([.longPolling: .bool]) { $1 },
        .dataAdvanced: common.merging([
            .deviceTypeId: .deviceTypeID, .data: .hexData, .seqNumber: .integer,
            .lqi: .lqiWord, .linkQuality: .integer, .operatorName: .text, .countryCode: .text,
            .fixedLat: .float, .fixedLng: .float, .duplicates: .json, .computedLocation: .json,
        ]) { $1 },
        .status: common.merging(legacyRadio) { $1 }.merging(stationMetadata) { $1 }.merging([
            .seqNumber: .integer, .temp: .decimal2, .batt: .decimal2,
        ]) { $1 },
        .acknowledge: common.merging(legacyRadio) { $1 }.merging(stationMetadata) { $1 }.merging([
            .seqNumber: .integer, .infoCode: .integer, .infoMessage: .text, .downlinkAck: .bool,
            .downlinkOverusage: .bool,
        ]) { $1 },
        // GEOLOC never fires: every legacy variable real configurations carry in it is accepted.
        .geoloc: common.merging(legacyRadio) { $1 }.merging(stationMetadata) { $1 }.merging([
            .lat: .float, .lng: .float, .radius: .integer, .geolocSource: .text, .seqNumber: .integer,
        ]) { $1 },
        .repeater: common.merging([
            .whitelistDevices: .integer, .repeatedMsg: .integer, .unwantedDevices: .integer,
            .unwantedMsg: .integer, .wrongMsg: .integer, .overRegulMsg: .integer, .batt: .decimal2,
        ]) { $1 },
        .error: common.merging([.info: .text, .severity: .text]) { $1 },
        // Every event callback offers every event variable; those an event has no value for render null
        // (the contract ones for sequence events, the message ones for contract events).
        .event: common.merging([
            .deviceTypeId: .deviceTypeID, .severity: .text, .sourceId: .deviceID, .sourceType: .text,
            .eventType: .text, .groupId: .text, .deviceMessageSeqnumber: .integer, .deviceMessageTime: .text,
            .deviceExpectedSeqnumber: .integer, .deviceLastSeqnumber: .integer, .deviceInfo: .json,
            .contractId: .text, .contractIds: .text, .subscriptionState: .text, .networkOperatorId: .text,
            .businessOperatorId: .text, .deviceShortCause: .text, .deviceCause: .text,
            .expectedSubscriptionDurationEndTime: .integer, .expectedTokenEndTime: .integer,
        ]) { $1 },
    ]
}
