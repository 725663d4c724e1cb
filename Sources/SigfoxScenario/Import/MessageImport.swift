import SigfoxEngine
import SigfoxModel

/// The messages of devices as the Sigfox API v2 lists them (`GET /v2/devices/{id}/messages`, SIGFOX.md
/// section 7), read for `sigfox-sim import messages`.
///
/// Fields read: `device` {`id`}, `time` (ms), `data`, `seqNumber`, `nbFrames`, `ackRequired`, `lqi` (0 to 4,
/// 4 being NA), `operator`, `country` (ISO 3166 alpha-3 on the wire, WIRE.md), `rinfos` [{`baseStation`
/// {`id`}, `rssi`, `snr`, `rep`, `lat`, `lng`}] (`[]` without the network-metadata option, the common real
/// case) and `computedLocation` (an object or a list of them, with `lat`, `lng`, `radius` and `sourceCode`;
/// `[]` when the cloud computed none). The real API sends more (`rolloverCounter`, `satInfos`, ...): they
/// are checked where they matter and otherwise ignored.
public struct MessageImport: Sendable {
    /// One station that heard a message.
    public struct Reception: Sendable, Equatable {
        public var station: BaseStationID
        public var rssi: Double?
        public var snr: Double?
        /// Frames the station heard (`rep`).
        public var repetitions: Int?
        /// The station's position, when the API gave it.
        public var position: GeoPosition?
    }

    /// One message, as listed.
    public struct Message: Sendable, Equatable {
        public var device: DeviceID
        /// Epoch milliseconds.
        public var time: Int64
        public var data: [UInt8]
        public var seqNumber: Int?
        public var frames: Int?
        public var ack: Bool
        public var receptions: [Reception]
        /// `computedLocation`, when the API computed one, with its radius (metres) and source code.
        public var location: GeoPosition?
        public var locationRadius: Int?
        public var locationSource: Int?
        /// The recorded `lqi`, 0 to 4 (4: NA).
        public var lqi: Int?
        /// The recorded `operator` (`SIGFOX_France`).
        public var operatorName: String?
        /// The recorded `country` as `{countryCode}` writes it: ISO 3166 numeric (`250` for `FRA`).
        public var countryCode: String?
    }

    /// In time order (the API lists the newest first).
    public var messages: [Message]
    public var file: String

    /// Reads the file at `path`: the paged answer (`{"data": [...], "paging": {...}}`), a bare list, or
    /// one message. Errors name the file, line, column and field.
    public static func load(path: String) throws(ConfigError) -> MessageImport {
        let root = try ConfigDocument.load(path: path)
        do {
            return try MessageImport(root: root, file: path)
        } catch {
            throw error.inFile(path)
        }
    }

    /// Reads a parsed document (see ``load(path:)``).
    public init(root: ConfigNode, file: String) throws(ConfigError) {
        let items = try ImportListing.items(root, what: "message", isItem: { $0["device"] != nil })
        guard !items.isEmpty else {
            throw ConfigError(location: root.location, path: "", message: "the listing holds no message")
        }
        var messages = [Message]()
        for (item, path) in items {
            messages.append(try Self.message(item, path: path))
        }
        self.messages = messages.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
        self.file = file
    }

    private static func message(_ node: ConfigNode, path: String) throws(ConfigError) -> Message {
        var reader = try ConfigObject(node, path: path)
        let (idNode, idPath) = try idField(
            &reader,
            "device",
            missing: "missing 'device' ({\"id\": \"2C30EA\"})",
            missingID: "missing 'id' (the device id in hex)"
        )
        guard let idText = idNode.scalarText, let device = DeviceID(hex: idText) else {
            throw ConfigError(
                location: idNode.location,
                path: idPath,
                message:
                    "expected a device id of up to 8 hex digits, found \(idNode.scalarText.map { "'\($0)'" } ?? idNode.kindName)"
            )
        }
        guard let timeValue = try number(&reader, "time"), timeValue >= 0, timeValue == timeValue.rounded() else {
            throw reader.error("time", "expected 'time', the message's time in epoch milliseconds")
        }
        let dataText = try reader.string("data") ?? ""
        guard let data = try? Hex.bytes(from: dataText), data.count <= Uplink.maximumPayload else {
            throw reader.error("data", "expected the payload as hex, at most 12 bytes, found '\(dataText)'")
        }
        let sequence = try reader.integer("seqNumber")
        if let sequence, !(0...4095).contains(sequence) {
            throw reader.error("seqNumber", "expected a sequence number in 0...4095, found \(sequence)")
        }
        let frames = try reader.integer("nbFrames")
        if let frames, !(1...3).contains(frames) {
            throw reader.error("nbFrames", "expected 1, 2 or 3 frames, found \(frames)")
        }
        let ack = try reader.bool("ackRequired") ?? false
        let lqi = try number(&reader, "lqi").map { Int($0) }.flatMap { (0...4).contains($0) ? $0 : nil }
        let operatorName = try reader.string("operator").flatMap { $0.isEmpty ? nil : $0 }
        var countryCode: String?
        if let country = try reader.string("country"), !country.isEmpty {
            guard let numeric = CountryCode.numeric(country) else {
                throw reader.error("country", "expected an ISO 3166 country code (FRA, FR or 250), found '\(country)'")
            }
            countryCode = numeric
        }
        var receptions = [Reception]()
        if let rinfos = reader.node("rinfos") {
            for (item, itemPath) in try Scenario.items(rinfos, path: reader.fieldPath("rinfos")) {
                receptions.append(try reception(item, path: itemPath))
            }
        }
        var location: GeoPosition?
        var radius: Int?
        var source: Int?
        if let computed = reader.node("computedLocation") {
            let candidates: [(ConfigNode, String)]
            if case .array = computed.value {
                candidates = try Scenario.items(computed, path: reader.fieldPath("computedLocation"))
            } else {
                candidates = [(computed, reader.fieldPath("computedLocation"))]
            }
            for (candidate, candidatePath) in candidates where location == nil {
                var fields = try ConfigObject(candidate, path: candidatePath)
                location = try position(&fields)
                guard location != nil else { continue }
                radius = try number(&fields, "radius").map { Int($0.rounded()) }
                source = try fields.integer("sourceCode")
                if source == nil { source = try fields.integer("source") }
            }
        }
        return Message(
            device: device,
            time: Int64(timeValue),
            data: data,
            seqNumber: sequence,
            frames: frames,
            ack: ack,
            receptions: receptions,
            location: location,
            locationRadius: radius,
            locationSource: source,
            lqi: lqi,
            operatorName: operatorName,
            countryCode: countryCode
        )
    }

    /// The node and path of an id the API writes either as a string or as an object with `id`
    /// (`"device": {"id": "2C30EA"}`, `"baseStation": {"id": "1D44"}`).
    private static func idField(
        _ reader: inout ConfigObject,
        _ key: String,
        missing: String,
        missingID: String
    ) throws(ConfigError) -> (ConfigNode, String) {
        guard let node = reader.node(key) else { throw reader.error(key, missing) }
        let path = reader.fieldPath(key)
        guard node.entries != nil else { return (node, path) }
        var object = try ConfigObject(node, path: path)
        guard let id = object.node("id") else { throw object.error("id", missingID) }
        return (id, object.fieldPath("id"))
    }

    private static func reception(_ node: ConfigNode, path: String) throws(ConfigError) -> Reception {
        var object = try ConfigObject(node, path: path)
        let (idNode, idPath) = try idField(
            &object,
            "baseStation",
            missing: "missing 'baseStation' ({\"id\": \"1D44\"})",
            missingID: "missing 'id' (the station id in hex)"
        )
        guard let idText = idNode.scalarText, let station = BaseStationID(hex: idText) else {
            throw ConfigError(
                location: idNode.location,
                path: idPath,
                message:
                    "expected a base station id of 1 to 8 hex digits, found \(idNode.scalarText.map { "'\($0)'" } ?? idNode.kindName)"
            )
        }
        let rssi = try number(&object, "rssi")
        let snr = try number(&object, "snr")
        let repetitions = try number(&object, "rep").map { Int($0) }
        if let repetitions, !(1...3).contains(repetitions) {
            throw object.error("rep", "expected 1, 2 or 3 repetitions, found \(repetitions)")
        }
        return Reception(
            station: station,
            rssi: rssi,
            snr: snr,
            repetitions: repetitions,
            position: try position(&object)
        )
    }

    /// `lat` and `lng` when both are there (numbers or numeric strings), checked.
    private static func position(_ object: inout ConfigObject) throws(ConfigError) -> GeoPosition? {
        guard let lat = try number(&object, "lat"), let lng = try number(&object, "lng") else { return nil }
        guard (-90...90).contains(lat) else { throw object.error("lat", "latitude must be in -90...90") }
        guard (-180...180).contains(lng) else { throw object.error("lng", "longitude must be in -180...180") }
        return GeoPosition(latitude: lat, longitude: lng)
    }

    /// A number, also when the API writes it as text (`"rssi": "-121.00"`).
    private static func number(_ object: inout ConfigObject, _ key: String) throws(ConfigError) -> Double? {
        guard let node = object.node(key) else { return nil }
        if let text = node.scalarText, case .bool = node.value {
            throw object.error(key, "expected a number, found \(text)")
        }
        guard let text = node.scalarText, let value = Double(text), value.isFinite else {
            throw object.error(key, "expected a number, found \(node.scalarText.map { "'\($0)'" } ?? node.kindName)")
        }
        return value
    }
}
