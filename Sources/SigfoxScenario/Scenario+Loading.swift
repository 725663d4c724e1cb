import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxServices

extension Scenario {
    /// The top-level fields of a scenario file.
    static let fields = [
        "name", "seed", "start", "time", "network", "baseStations", "deviceTypes", "devices", "traffic", "receiver",
        "mail", "tls", "expect",
    ]

    /// Loads and checks the scenario file at `path`; errors name the file, line, column and field.
    public static func load(path: String) throws(ConfigError) -> Scenario {
        let root = try ConfigDocument.load(path: path)
        do {
            var scenario = try Scenario(from: root)
            scenario.file = path
            return scenario
        } catch {
            throw error.inFile(path)
        }
    }

    /// Parses YAML or JSON text (`file` only names it in errors).
    public static func parse(_ text: String, file: String = "scenario.yaml") throws(ConfigError) -> Scenario {
        let syntax: ConfigDocument.Syntax = file.hasSuffix(".json") ? .json : .yaml
        let root = try ConfigDocument.parse(text, file: file, syntax: syntax)
        do {
            var scenario = try Scenario(from: root)
            scenario.file = file
            return scenario
        } catch {
            throw error.inFile(file)
        }
    }

    /// Reads a scenario from its parsed document.
    public init(from root: ConfigNode) throws(ConfigError) {
        var object = try ConfigObject(root, path: "")
        // A mistyped top-level field (`devics:`) is named first, before what it leaves missing is.
        try object.rejectFields(outside: Self.fields)
        let name = try object.string("name") ?? "scenario"
        var seed: UInt64 = 1
        if let node = object.node("seed") {
            guard let text = node.scalarText, let value = UInt64(text) else {
                throw ConfigError(location: node.location, path: "seed", message: "expected a whole number 0 or more")
            }
            seed = value
        }
        var start = SimulationTime(seconds: 1_767_225_600)  // 2026-01-01T00:00:00Z
        if let text = try object.string("start") {
            guard let time = ScenarioTime.time(text, start: start), !text.hasPrefix("+") else {
                throw object.error(
                    "start",
                    "expected an ISO-8601 UTC time such as 2026-01-01T00:00:00Z or epoch seconds, found '\(text)'"
                )
            }
            start = time
        }
        var mode = TimeMode.virtual
        if let text = try object.string("time") {
            guard let parsed = ScenarioTime.mode(text) else {
                throw object.error(
                    "time",
                    "expected virtual, real or scaled:N (N from 0.001 to 1000000), found '\(text)'"
                )
            }
            mode = parsed
        }
        var network = NetworkCore.Configuration()
        var downlinkFailure = false
        if let node = object.node("network") {
            (network, downlinkFailure) = try Self.networkSettings(node)
        }
        var random = SeededGenerator(seed: seed ^ 0x5CE4_A210_5EED_0001)
        let stations = try Self.stations(object.node("baseStations"), random: &random)
        let types = try Self.deviceTypes(object.node("deviceTypes"))
        let devices = try Self.devices(object.node("devices"), types: types, start: start, random: &random)
        let traffic = try Self.traffic(
            object.node("traffic"),
            devices: devices,
            types: types,
            stations: stations.map(\.id),
            start: start,
            random: &random
        )
        let (receiver, smtpReject) = try Self.receiver(object.node("receiver"))
        var mail = try Self.mail(object.node("mail"))
        mail.rejectedRecipients = smtpReject
        let expectations = try Self.expectations(object.node("expect"))
        var caFile: String?
        if let node = object.node("tls") {
            var tls = try ConfigObject(node, path: "tls")
            if let file = try tls.string("caFile") {
                // Like golden files, a CA file the scenario names lives under its folder.
                let parts = file.split(separator: "/", omittingEmptySubsequences: false)
                guard !file.isEmpty, !file.hasPrefix("/"), !file.hasPrefix("~"), !parts.contains("..") else {
                    throw tls.error(
                        "caFile",
                        "a CA file the scenario names lives in its folder: give a relative path without '..' "
                            + "(such as certs/test-ca.pem), or use --ca-file; found '\(file)'"
                    )
                }
                caFile = file
            }
            try tls.rejectUnknownFields(allowed: ["caFile"])
        }
        if mail.smtpURL != nil || receiver == nil,
            let index = expectations.firstIndex(where: { if case .mails = $0.kind { true } else { false } })
        {
            throw ConfigError(
                location: object.node("expect")?.location,
                path: "expect[\(index)]",
                message: "a mail expectation counts what the embedded SMTP sink received: it needs "
                    + "'receiver: embedded' and no mail.smtp"
            )
        }
        if receiver == nil, let index = Self.receiverItemIndex(object.node("traffic")) {
            throw ConfigError(
                location: object.node("traffic")?.location,
                path: "traffic[\(index)].receiver",
                message: "changes the embedded receiver's answers: it needs 'receiver: embedded'"
            )
        }
        try object.rejectUnknownFields(allowed: Self.fields)
        do {
            _ = try Fleet(deviceTypes: types.map(\.type), devices: devices, baseStations: stations)
        } catch {
            throw ConfigError(location: root.location, path: "", message: error.description)
        }
        self.init(
            name: name,
            seed: seed,
            start: start,
            time: mode,
            network: network,
            baseStations: stations,
            deviceTypes: types,
            devices: devices,
            traffic: [],
            receiver: receiver,
            mail: mail,
            expectations: expectations
        )
        self.trafficPlan = traffic
        self.downlinkNetworkFailure = downlinkFailure
        self.caFile = caFile
        self.deviceSources = Self.deviceSources(root["devices"])
    }

    /// `3s` (fixed) or `2.5s..4.5s`, in milliseconds.
    static func durationRange(_ text: String) -> ClosedRange<Int64>? {
        let parts = text.components(separatedBy: "..")
        let values = parts.compactMap { ScenarioTime.duration($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == parts.count, (1...2).contains(values.count),
            values[0].milliseconds <= values[values.count - 1].milliseconds
        else { return nil }
        return values[0].milliseconds...values[values.count - 1].milliseconds
    }

    /// The items of a list field, with their paths.
    static func items(_ node: ConfigNode?, path: String) throws(ConfigError) -> [(ConfigNode, String)] {
        guard let node else { return [] }
        guard case .array(let items) = node.value else {
            throw ConfigError(location: node.location, path: path, message: "expected a list, found \(node.kindName)")
        }
        return items.enumerated().map { ($1, "\(path)[\($0)]") }
    }

    static func required<T>(
        _ value: T?,
        _ object: ConfigObject,
        _ key: String,
        _ what: String
    ) throws(ConfigError)
        -> T
    {
        guard let value else {
            throw ConfigError(location: object.node.location, path: object.path, message: "missing '\(key)' (\(what))")
        }
        return value
    }

    /// `lat`/`lng` of an object (both required).
    static func position(_ object: inout ConfigObject) throws(ConfigError) -> GeoPosition {
        let lat = try required(object.double("lat"), object, "lat", "latitude in degrees")
        let lng = try required(object.double("lng"), object, "lng", "longitude in degrees")
        guard (-90...90).contains(lat) else { throw object.error("lat", "latitude must be in -90...90") }
        guard (-180...180).contains(lng) else { throw object.error("lng", "longitude must be in -180...180") }
        return GeoPosition(latitude: lat, longitude: lng)
    }

    /// An `area: {lat, lng, sizeKm}`: a square around a centre.
    struct Area {
        var center: GeoPosition
        var sizeKm: Double

        init(_ node: ConfigNode?, in parent: ConfigObject) throws(ConfigError) {
            guard let node else {
                throw ConfigError(
                    location: parent.node.location,
                    path: parent.path,
                    message: "missing 'area' ({lat, lng, sizeKm}: where to place generated items)"
                )
            }
            var object = try ConfigObject(node, path: parent.fieldPath("area"))
            center = try Scenario.position(&object)
            sizeKm = try object.double("sizeKm") ?? 10
            guard sizeKm >= 0 else { throw object.error("sizeKm", "must not be negative") }
            try object.rejectUnknownFields(allowed: ["lat", "lng", "sizeKm"])
        }

        /// A seeded point in the square.
        func point(_ random: inout SeededGenerator) -> GeoPosition {
            let dLat = (random.nextUnit() - 0.5) * sizeKm / 111.32
            let scale = max(0.01, cos(center.latitude * Double.pi / 180))
            let dLng = (random.nextUnit() - 0.5) * sizeKm / (111.32 * scale)
            return GeoPosition(latitude: center.latitude + dLat, longitude: center.longitude + dLng)
        }
    }

    static func deviceTypes(_ node: ConfigNode?) throws(ConfigError) -> [ScenarioDeviceType] {
        var result = [ScenarioDeviceType]()
        for (index, (item, path)) in try items(node, path: "deviceTypes").enumerated() {
            var object = try ConfigObject(item, path: path)
            var id: DeviceTypeID
            if let text = try object.string("id") {
                guard let parsed = DeviceTypeID(text) else {
                    throw object.error("id", "expected a device type id of 24 hex digits, found '\(text)'")
                }
                id = parsed
            } else {
                // Generated: the type's position in the list, as 24 hex digits.
                let digits = String(index + 1, radix: 16)
                id = DeviceTypeID(String(repeating: "0", count: 24 - digits.count) + digits)!
            }
            let name = try object.string("name") ?? "DeviceType\(index + 1)"
            let payloadConfig = try object.string("payloadConfig")
            let keepAlive = try object.integer("keepAlive") ?? 0
            var mode = DownlinkMode.callback
            if let text = try object.string("downlinkMode") {
                guard let parsed = DownlinkMode(rawValue: text.uppercased()) else {
                    throw object.error("downlinkMode", "expected DIRECT, CALLBACK, NONE or MANAGED, found '\(text)'")
                }
                mode = parsed
            }
            let dataString = try object.string("downlinkDataString")
            _ = try object.string("description")
            var zone = RadioConfiguration.rc1
            if let text = try object.string("zone") {
                guard let parsed = RadioConfiguration(rawValue: text.uppercased()) else {
                    throw object.error("zone", "expected a radio zone RC1 to RC7, found '\(text)'")
                }
                zone = parsed
            }
            var groupID = NetworkCore.defaultGroupID
            if let text = try object.string("groupId") {
                guard DeviceTypeID(text) != nil else {
                    throw object.error("groupId", "expected a group id of 24 hex digits, found '\(text)'")
                }
                groupID = text.lowercased()
            }
            var callbacks = [(node: ConfigNode, path: String)]()
            for (callback, callbackPath) in try items(object.node("callbacks"), path: object.fieldPath("callbacks")) {
                callbacks.append((callback, callbackPath))
            }
            let regularCount = callbacks.count
            // Event callbacks (SIGFOX.md section 8) are configured apart: they follow the device type's
            // callbacks, with `service: EVENT` understood.
            for (event, eventPath) in try items(object.node("events"), path: object.fieldPath("events")) {
                callbacks.append((event.asEventCallback, eventPath))
            }
            try object.rejectUnknownFields(allowed: [
                "id", "name", "description", "payloadConfig", "keepAlive", "downlinkMode", "downlinkDataString",
                "callbacks", "events", "zone", "groupId",
            ])
            // Load once with a stand-in address so mistakes are reported now, with their lines.
            var definitions = [CallbackDefinition]()
            for (position, (callback, callbackPath)) in callbacks.enumerated() {
                let definition = try CallbackDefinition(
                    from: callback.replacingReceiver(with: "http://127.0.0.1:9")
                        .inheritingPayloadConfig(payloadConfig),
                    path: callbackPath
                )
                if position < regularCount && definition.service == .event {
                    throw ConfigError(
                        location: callback.location,
                        path: callbackPath,
                        message: "event callbacks are configured apart: write this one in the device type's "
                            + "events list (with its eventType)"
                    )
                }
                if position >= regularCount && definition.service != .event {
                    throw ConfigError(
                        location: callback["service"]?.location ?? callback.location,
                        path: callbackPath + ".service",
                        message:
                            "the events list holds EVENT callbacks only; \(definition.service) belongs in callbacks"
                    )
                }
                definitions.append(definition)
            }
            let hasBidir = definitions.contains { $0.enabled && $0.service == .dataBidir }
            do {
                var type = try DeviceType(
                    id: id,
                    name: name,
                    payloadConfig: payloadConfig,
                    keepAlive: Int64(keepAlive),
                    downlinkMode: mode,
                    downlinkDataString: dataString,
                    hasBidirCallback: hasBidir,
                    usesSendDuplicate: definitions.contains { $0.sendDuplicate },
                    zone: zone
                )
                type.groupID = groupID
                result.append(ScenarioDeviceType(type: type, callbacks: callbacks))
            } catch {
                throw ConfigError(location: item.location, path: path, message: error.description)
            }
        }
        return result
    }

    /// The device type named by `text`: its id or its name.
    static func type(
        _ text: String,
        in types: [ScenarioDeviceType],
        _ object: ConfigObject
    ) throws(ConfigError)
        -> DeviceTypeID
    {
        if let found = types.first(where: { $0.type.id.description == text.lowercased() || $0.type.name == text }) {
            return found.type.id
        }
        if types.count == 1 && text.isEmpty { return types[0].type.id }
        let known = types.map { "\($0.type.name) (\($0.type.id))" }.joined(separator: ", ")
        throw object.error("deviceType", "no device type '\(text)'; defined: \(known.isEmpty ? "none" : known)")
    }

    static func contract(_ object: inout ConfigObject, start: SimulationTime) throws(ConfigError) -> DeviceContract {
        var tokenEnd: SimulationTime?
        if let text = try object.string("tokenEnd") {
            guard let time = ScenarioTime.time(text, start: start) else {
                throw object.error(
                    "tokenEnd",
                    "expected +DURATION (+30d), ISO-8601 UTC or epoch seconds, found '\(text)'"
                )
            }
            tokenEnd = time
        }
        return DeviceContract(
            downlink: try object.bool("downlink") ?? true,
            networkMetadata: try object.bool("networkMetadata") ?? true,
            geolocation: try object.bool("geolocation") ?? false,
            tokenEnd: tokenEnd
        )
    }

    static func devices(
        _ node: ConfigNode?,
        types: [ScenarioDeviceType],
        start: SimulationTime,
        random: inout SeededGenerator
    ) throws(ConfigError) -> [Device] {
        var result = [Device]()
        for (item, path) in try items(node, path: "devices") {
            var object = try ConfigObject(item, path: path)
            let typeName = try object.string("deviceType") ?? ""
            let type = try type(typeName, in: types, object)
            let contract = try contract(&object, start: start)
            let frames = try object.integer("frames") ?? 3
            do {
                if let count = try object.integer("count") {
                    guard count >= 1 else { throw object.error("count", "must be at least 1") }
                    guard result.count + count <= Scenario.maximumDevices else {
                        throw object.error(
                            "count",
                            "\(count) devices: a scenario holds at most \(Scenario.maximumDevices) devices"
                        )
                    }
                    let first = try object.string("firstId") ?? "1000"
                    guard let firstID = DeviceID(hex: first), UInt64(firstID.rawValue) + UInt64(count) <= 0x1_0000_0000
                    else { throw object.error("firstId", "expected a hex device id with room for \(count) ids") }
                    let area = try Area(object.node("area"), in: object)
                    for index in 0..<count {
                        result.append(
                            try Device(
                                id: DeviceID(firstID.rawValue + UInt32(index)),
                                deviceType: type,
                                position: area.point(&random),
                                framesPerMessage: frames,
                                contract: contract
                            )
                        )
                    }
                    try object.rejectUnknownFields(allowed: [
                        "count", "firstId", "area", "deviceType", "frames", "downlink", "networkMetadata",
                        "geolocation", "tokenEnd",
                    ])
                } else {
                    let text = try required(object.string("id"), object, "id", "hex device id, or count to generate")
                    guard let id = DeviceID(hex: text) else {
                        throw object.error("id", "expected a device id of up to 8 hex digits, found '\(text)'")
                    }
                    let position = try position(&object)
                    let sequence = try object.integer("seqNumber") ?? 0
                    // A device declared at a fixed place ({fixedLat}, {fixedLng} of DATA_ADVANCED).
                    var fixed: GeoPosition?
                    let fixedLat = try object.double("fixedLat")
                    let fixedLng = try object.double("fixedLng")
                    if fixedLat != nil || fixedLng != nil {
                        guard let fixedLat, let fixedLng, (-90...90).contains(fixedLat), (-180...180).contains(fixedLng)
                        else {
                            throw object.error(
                                fixedLat == nil ? "fixedLat" : "fixedLng",
                                "give fixedLat (-90..90) and fixedLng (-180..180) together"
                            )
                        }
                        fixed = GeoPosition(latitude: fixedLat, longitude: fixedLng)
                    }
                    // What the Sigfox API v2 keeps of a device (serve lists them): read to check their types.
                    _ = try object.string("name")
                    _ = try object.string("pac")
                    _ = try object.bool("prototype")
                    result.append(
                        try Device(
                            id: id,
                            deviceType: type,
                            position: position,
                            sequenceNumber: sequence,
                            framesPerMessage: frames,
                            contract: contract,
                            fixedLocation: fixed
                        )
                    )
                    try object.rejectUnknownFields(allowed: [
                        "id", "lat", "lng", "deviceType", "seqNumber", "frames", "downlink", "networkMetadata",
                        "geolocation", "name", "pac", "prototype", "fixedLat", "fixedLng", "tokenEnd",
                    ])
                }
            } catch let error as NetworkSetupError {
                throw ConfigError(location: item.location, path: path, message: error.description)
            } catch let error as ConfigError {
                throw error
            } catch {
                throw ConfigError(location: item.location, path: path, message: "\(error)")
            }
        }
        return result
    }

    /// `mail: {smtp: smtp://host:port, from: sender@example.com}`.
    static func mail(_ node: ConfigNode?) throws(ConfigError) -> MailSettings {
        var settings = MailSettings()
        guard let node else { return settings }
        var object = try ConfigObject(node, path: "mail")
        if let url = try object.string("smtp") {
            let lower = url.lowercased()
            guard lower.hasPrefix("smtp://") || lower.hasPrefix("smtps://"), url.count > 7 else {
                throw object.error("smtp", "expected smtp://host:port (or smtps://), found '\(url)'")
            }
            settings.smtpURL = url
        }
        if let from = try object.string("from") {
            guard from.contains("@"), !from.contains(where: { $0 == "<" || $0 == ">" || $0.isWhitespace }) else {
                throw object.error("from", "expected an address such as sigfox@example.com, found '\(from)'")
            }
            settings.from = from
        }
        try object.rejectUnknownFields(allowed: ["smtp", "from"])
        return settings
    }

    /// The index of the first `receiver` traffic item, or nil.
    static func receiverItemIndex(_ node: ConfigNode?) -> Int? {
        guard case .array(let items)? = node?.value else { return nil }
        return items.firstIndex { $0.entries?.contains { $0.key == "receiver" } ?? false }
    }

    /// The embedded receiver's rules (nil: the user's own server) and the recipients its SMTP sink refuses.
    static func receiver(_ node: ConfigNode?) throws(ConfigError) -> (ReceiverRules?, [String]) {
        guard let node else { return (nil, []) }
        if node.scalarText == "embedded" { return (ReceiverRules(), []) }
        var object = try ConfigObject(node, path: "receiver")
        guard let rulesNode = object.node("embedded") else {
            throw ConfigError(
                location: node.location,
                path: "receiver",
                message: "expected 'embedded' or an object {embedded: {status, delay, reset, hang, bidir, sequences, "
                    + "smtpReject}}"
            )
        }
        try object.rejectUnknownFields(allowed: ["embedded"])
        if rulesNode.scalarText != nil || rulesNode.entries?.isEmpty == true { return (ReceiverRules(), []) }
        var rules = try ConfigObject(rulesNode, path: "receiver.embedded")
        var options = ReceiverRuleOptions()
        options.status = try rules.integer("status")
        options.delay = try rules.string("delay")
        options.reset = try rules.bool("reset") ?? false
        options.hang = try rules.bool("hang") ?? false
        options.bidir = try rules.string("bidir")
        if let sequences = rules.node("sequences") {
            switch sequences.value {
            case .array(let items):
                for item in items {
                    guard let text = item.scalarText else {
                        throw ConfigError(
                            location: item.location,
                            path: "receiver.embedded.sequences",
                            message: "expected PATH=ANSWER,ANSWER,... such as /flaky=500,500,200"
                        )
                    }
                    options.sequences.append(text)
                }
            case .object(let entries):
                for entry in entries {
                    guard let text = entry.node.scalarText else {
                        throw ConfigError(
                            location: entry.node.location,
                            path: "receiver.embedded.sequences." + entry.key,
                            message: "expected answers such as 500,500,200"
                        )
                    }
                    options.sequences.append(entry.key + "=" + text)
                }
            default:
                throw ConfigError(
                    location: sequences.location,
                    path: "receiver.embedded.sequences",
                    message: "expected a list of PATH=ANSWERS or an object PATH: ANSWERS"
                )
            }
        }
        var smtpReject = [String]()
        if let rejectNode = rules.node("smtpReject") {
            let items: [ConfigNode]
            if case .array(let list) = rejectNode.value { items = list } else { items = [rejectNode] }
            for item in items {
                guard let text = item.scalarText, text.contains("@") else {
                    throw ConfigError(
                        location: item.location,
                        path: "receiver.embedded.smtpReject",
                        message: "expected an e-mail address or a list of them"
                    )
                }
                smtpReject.append(text)
            }
        }
        try rules.rejectUnknownFields(allowed: [
            "status", "delay", "reset", "hang", "bidir", "sequences", "smtpReject",
        ])
        do {
            return (try ReceiverRules(options: options), smtpReject)
        } catch {
            let key = String(error.option.dropFirst(2))
            let field = ["status", "delay", "reset", "hang", "bidir"].contains(key) ? key : "sequences"
            throw rules.error(field, error.description)
        }
    }
}
