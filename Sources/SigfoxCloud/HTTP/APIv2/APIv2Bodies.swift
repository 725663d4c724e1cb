/// The API v2 bodies the emulator answers with, one type per shape of the reference description (the
/// Swagger in SIGFOX.md section 2, `Resources/openapi.json`). Encoded with ``OrderedJSONEncoder``: keys in
/// the order declared here, which is the order the bodies always had; optional fields left out when `nil`.

/// A reference to another resource by `id` and `name` (`deviceType` of a device, `device` of a message).
struct V2Reference: Encodable {
    var id: String
    var name: String
}

/// The reference's `minGroup`: every resource of the emulator is in its one group.
struct V2Group: Encodable {
    var id = "000000000000000000000001"
    var name = "sigfox-sim"
    var type = 2
    var level = 0
}

/// A position as the bodies have always written it: `lat` and `lng` as Swift prints a `Double` (`43.0`).
struct V2Location: Encodable {
    var lat: SwiftDouble
    var lng: SwiftDouble

    init(latitude: Double, longitude: Double) {
        lat = SwiftDouble(latitude)
        lng = SwiftDouble(longitude)
    }
}

/// The reference's `token` of a device: always valid (state 0).
struct V2Token: Encodable {
    var state = 0
    var detailMessage = "Valid"
}

/// The reference's `device` (`GET /v2/devices`, `GET /v2/devices/{id}`) with every field the live API sends
/// (WIRE.md): what the scenario says, and the state the network saw (`sequenceNumber`, `lastCom` and `lqi`
/// of its last message, `comState` 1 when it has sent, 5 "not seen" otherwise, with `lqi` 4); its contract
/// (``ContractInfo``), the emulator's certificates (``DeviceCertificates``), who created and last changed it
/// and when (``DeviceEdition``), `automaticRenewalStatus` 0 (allowed: tokens renew); `state` 6 (SUSPENDED)
/// for a suspended device, 2 (OFF_CONTRACT) from its `unsubscriptionTime` on (APIv2+DeviceActions.swift).
struct V2Device: Encodable {
    var id: String
    var name: String
    var deviceType: V2Reference
    var pac: String
    var prototype: Bool
    var location: V2Location
    var group = V2Group()
    var satelliteCapable = false
    var repeater = false
    var messageModulo = 4096
    var automaticRenewal = true
    var activable = true
    var state = 0
    var creationTime: Int64
    var token = V2Token()
    var sequenceNumber: Int?
    var lastCom: Int64?
    var lqi: Int
    var comState: Int
    var contract: V2Reference
    var modemCertificate = V2CertificateReference.modem
    var productCertificate = V2CertificateReference.product
    var unsubscriptionTime: Int64?
    var createdBy: String
    var lastEditionTime: Int64
    var lastEditedBy: String
    var automaticRenewalStatus = 0

    init(
        id: String,
        name: String,
        deviceType: V2Reference,
        pac: String,
        prototype: Bool,
        location: V2Location,
        state: Int = 0,
        sequenceNumber: Int? = nil,
        lastCom: Int64? = nil,
        lqi: Int,
        comState: Int,
        unsubscriptionTime: Int64? = nil,
        edition: DeviceEdition? = nil,
        start: Int64 = 0,
        contract: ContractInfo.Terms = .defaults
    ) {
        self.id = id
        self.name = name
        self.deviceType = deviceType
        self.pac = pac
        self.prototype = prototype
        self.location = location
        self.state = state
        self.sequenceNumber = sequenceNumber
        self.lastCom = lastCom
        self.lqi = lqi
        self.comState = comState
        self.unsubscriptionTime = unsubscriptionTime
        self.contract = V2Reference(id: contract.id, name: contract.name)
        creationTime = edition?.creationTime ?? start
        createdBy = edition?.createdBy ?? ContractInfo.userID
        lastEditionTime = edition?.lastEditionTime ?? start
        lastEditedBy = edition?.lastEditedBy ?? ContractInfo.userID
    }
}

/// The reference's `deviceType` (`GET /v2/device-types`, `GET /v2/device-types/{id}`): `downlinkMode` 0..3
/// (DIRECT, CALLBACK, NONE, MANAGED), `payloadType` 3 (custom grammar, with `payloadConfig`) or 2 (regular).
struct V2DeviceType: Encodable {
    var id: String
    var name: String
    var description: String?
    var keepAlive: Int64
    var downlinkMode: Int
    var downlinkDataString: String?
    var payloadType: Int
    var payloadConfig: String?
    var group = V2Group()
    var automaticRenewal = true
}

/// A base station as the reference names one in a message: `id`, `name` (the id again) and `resourceType` 0.
struct V2BaseStation: Encodable {
    var id: String
    var name: String
    var resourceType = 0

    init(_ id: String) {
        self.id = id
        name = id
    }
}

/// One reception of a message (`rinfos` item) as the live API sends it (WIRE.md): the station, its RSSI as a
/// string with two decimals (`"-121.00"`), its position as strings (`"43.0"`, Swift's shortest form) when the
/// scenario knows the station, the SNR and repetitions as the store wrote them, and `freq` the frequency the
/// message was received on, in Hz.
struct V2ReceptionInfo: Encodable {
    var baseStation: V2BaseStation
    var rssi: String
    var lat: String?
    var lng: String?
    var snr: EncodedJSON
    var freq: SwiftDouble
    var rep: EncodedJSON
}

/// `downlinkAnswerStatus` of a message that had a downlink: the station that sent it and its data.
struct V2DownlinkAnswerStatus: Encodable {
    var baseStation: V2BaseStation
    var data: String
}

/// `device` of a message: `{"id": ...}` as the live API sends it (WIRE.md), `name` too when the query asks
/// for it (`fields=device(name)`).
struct V2DeviceReference: Encodable {
    var id: String
    var name: String?
}

/// A `computedLocation` item: the network's estimate of where the device was (`source` 2, the network), with
/// its radius in metres.
struct V2ComputedLocation: Encodable {
    var lat: SwiftDouble
    var lng: SwiftDouble
    var radius: Int
    var source = 2
}

/// The reference's `deviceMessage` (`GET /v2/devices/{id}/messages`, `GET /v2/device-types/{id}/messages`) as
/// the live API sends it (WIRE.md): `time` in ms, `lqi` as a number, `rolloverCounter`, `operator` and
/// `country` (ISO 3166 alpha-3) of the station that heard it first, `computedLocation` under the geolocation
/// contract option (else `[]`), `rinfos` under the network metadata option (else `[]`), `satInfos` `[]`.
struct V2DeviceMessage: Encodable {
    var device: V2DeviceReference
    var time: Int64
    var data: String
    var rolloverCounter: Int
    var ackRequired: Bool
    var lqi: Int
    var seqNumber: Int
    var nbFrames: Int
    var `operator`: String
    var country: String
    var computedLocation: [V2ComputedLocation]
    var rinfos: [V2ReceptionInfo]
    var satInfos: [String] = []
    var downlinkAnswerStatus: V2DownlinkAnswerStatus?
}

/// The reference's `errorMessages` item (callbacks not delivered, SIGFOX.md section 4), from the entry the
/// store keeps (``AttemptRecord/notDeliveredEntries``, whose order this keeps): `time` in ms for a device,
/// in seconds for a device type (the reference's example), `status` as text, `data` `""` when the message
/// had none, `callback` (the request or mail that failed) without its null fields. A field the entry lacks
/// is left out.
struct V2ErrorMessage: Encodable {
    var deviceId: String?
    var deviceTypeId: String?
    var time: Int64?
    var data: String?
    var status: String?
    var message: String?
    /// The request or mail as the journal wrote it, null fields taken out.
    var callback: EncodedJSON?
    /// Every variable the callback used, by name, in the order the journal wrote them.
    var parameters: OrderedStrings?
}
