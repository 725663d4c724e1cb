import SigfoxEngine
import SigfoxModel

extension Scenario {
    /// The fields only a recorded uplink has: an uplink item with any of them must give its `receptions`.
    static let recordedOnlyFields = ["seqNumber", "computedLocation", "lqi", "operator", "country"]

    /// A recorded uplink (what `import messages` writes): `receptions: [{station, rssi, snr?, rep?}]`, or `[]`
    /// for a message listed without per-station data (`"rinfos": []`, no network-metadata option), with
    /// optional `seqNumber`, `lqi` (the API v2's 0 LIMIT to 3 EXCELLENT, 4 NA), `operator`, `country` and
    /// `computedLocation` (`{lat, lng, radius?, source?}`, or `[]` when the cloud computed none). SIGFOX.md
    /// section 7; see ``RecordedUplink``.
    static func recorded(
        _ object: inout ConfigObject,
        _ context: TrafficContext,
        device: DeviceID,
        payload: [UInt8],
        ack: Bool,
        frames: Int?
    ) throws(ConfigError) -> RecordedUplink {
        let seqNumber = try object.integer("seqNumber")
        if let seqNumber, !(0...4095).contains(seqNumber) {
            throw object.error("seqNumber", "expected a sequence number in 0...4095")
        }
        var receptions = [RecordedUplink.Reception]()
        for (item, path) in try items(object.node("receptions"), path: object.fieldPath("receptions")) {
            receptions.append(try recordedReception(item, path: path, context))
        }
        var quality: LinkQuality?
        if let value = try object.integer("lqi") {
            guard let parsed = LinkQuality(rawValue: value) else {
                throw object.error("lqi", "expected the API v2 lqi: 0 LIMIT, 1 AVERAGE, 2 GOOD, 3 EXCELLENT or 4 NA")
            }
            quality = parsed
        }
        let operatorName = try object.string("operator")
        var countryCode: String?
        if let text = try object.string("country") {
            guard let numeric = CountryCode.numeric(text) else {
                throw object.error("country", "expected an ISO 3166 country code (250, FRA or FR), found '\(text)'")
            }
            countryCode = numeric
        }
        return RecordedUplink(
            device: device,
            payload: payload,
            ack: ack,
            seqNumber: seqNumber,
            frames: frames,
            receptions: receptions,
            location: try recordedLocation(&object),
            linkQuality: quality,
            operatorName: operatorName,
            countryCode: countryCode
        )
    }

    private static func recordedReception(
        _ item: ConfigNode,
        path: String,
        _ context: TrafficContext
    ) throws(ConfigError) -> RecordedUplink.Reception {
        var fields = try ConfigObject(item, path: path)
        let text = try required(fields.string("station"), fields, "station", "a base station id")
        guard let station = BaseStationID(hex: text), context.stations.contains(station) else {
            throw fields.error("station", "no base station '\(text)' in baseStations")
        }
        let rssi = try required(fields.double("rssi"), fields, "rssi", "the recorded RSSI in dBm")
        guard (-200...0).contains(rssi) else { throw fields.error("rssi", "expected an RSSI in dBm (-200 to 0)") }
        let snr = try fields.double("snr")
        if let snr, !(0...100).contains(snr) { throw fields.error("snr", "expected an SNR in dB (0 to 100)") }
        let repetitions = try fields.integer("rep")
        if let repetitions, !(1...3).contains(repetitions) { throw fields.error("rep", "expected 1, 2 or 3") }
        try fields.rejectUnknownFields(allowed: ["station", "rssi", "snr", "rep"])
        return .init(station: station, rssi: rssi, snr: snr, repetitions: repetitions)
    }

    /// `computedLocation`: `{lat, lng, radius?, source?}`, `[]` (the cloud computed none), or left out (the
    /// network's own estimate).
    private static func recordedLocation(
        _ object: inout ConfigObject
    ) throws(ConfigError) -> RecordedUplink.RecordedLocation? {
        guard let node = object.node("computedLocation") else { return nil }
        if case .array(let items) = node.value {
            guard items.isEmpty else {
                throw object.error("computedLocation", "expected {lat, lng, radius, source}, or [] for none")
            }
            return RecordedUplink.RecordedLocation.none
        }
        var fields = try ConfigObject(node, path: object.fieldPath("computedLocation"))
        let latitude = try required(fields.double("lat"), fields, "lat", "the latitude")
        let longitude = try required(fields.double("lng"), fields, "lng", "the longitude")
        guard (-90...90).contains(latitude) else { throw fields.error("lat", "latitude must be in -90...90") }
        guard (-180...180).contains(longitude) else { throw fields.error("lng", "longitude must be in -180...180") }
        let location = RecordedUplink.Location(
            position: GeoPosition(latitude: latitude, longitude: longitude),
            radius: try fields.integer("radius"),
            source: try fields.integer("source")
        )
        try fields.rejectUnknownFields(allowed: ["lat", "lng", "radius", "source"])
        return .located(location)
    }
}
