import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel

extension Scenario {
    /// The top-level fields of a scenario file. `identity` is `serve`'s API v2 groups and users (kept in
    /// the configuration it exports); a run ignores it.
    static let fields = [
        "name", "seed", "start", "time", "network", "baseStations", "deviceTypes", "devices", "traffic", "receiver",
        "mail", "tls", "expect", "identity",
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
        // `serve`'s API v2 identity state (groups, API users, users): read by serve, not by a run.
        _ = object.node("identity")
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
