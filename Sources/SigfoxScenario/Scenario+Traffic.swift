import SigfoxEngine
import SigfoxModel

extension Scenario {
    /// How a periodic traffic item makes its payloads.
    enum PayloadGenerator {
        case fixed([UInt8])
        case random(Int)
        /// A big-endian counter of N bytes per device, starting at 0.
        case counter(Int)

        init(_ text: String, _ object: ConfigObject) throws(ConfigError) {
            let syntax = "a hex payload, random:N (N random bytes), counter or counter:N (an N-byte counter)"
            if text.hasPrefix("random:") {
                guard let count = Int(text.dropFirst(7)), (0...12).contains(count) else {
                    throw object.error("payload", "random:N needs N in 0...12, found '\(text)'")
                }
                self = .random(count)
            } else if text == "counter" || text.hasPrefix("counter:") {
                let count = text == "counter" ? 2 : Int(text.dropFirst(8)) ?? -1
                guard (1...12).contains(count) else {
                    throw object.error("payload", "counter:N needs N in 1...12, found '\(text)'")
                }
                self = .counter(count)
            } else {
                self = .fixed(try Scenario.hex(text, object, "payload", syntax: syntax))
            }
        }

        func payload(index: Int, random: inout SeededGenerator) -> [UInt8] {
            switch self {
            case .fixed(let bytes): return bytes
            case .random(let count): return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case .counter(let count):
                return (0..<count).map { UInt8(truncatingIfNeeded: UInt64(index) >> (8 * UInt64(count - 1 - $0))) }
            }
        }
    }

    static func hex(
        _ text: String,
        _ object: ConfigObject,
        _ key: String,
        syntax: String
    ) throws(ConfigError)
        -> [UInt8]
    {
        guard let bytes = try? Hex.bytes(from: text), bytes.count <= Uplink.maximumPayload else {
            throw object.error(key, "expected \(syntax) (at most 12 bytes), found '\(text)'")
        }
        return bytes
    }

    static func traffic(
        _ node: ConfigNode?,
        devices: [Device],
        start: SimulationTime,
        random: inout SeededGenerator
    ) throws(ConfigError) -> [ScheduledUplink] {
        var result = [ScheduledUplink]()
        for (item, path) in try items(node, path: "traffic") {
            var object = try ConfigObject(item, path: path)
            let ack = try object.bool("ack") ?? false
            if object.has("every") {
                result += try periodic(&object, devices: devices, start: start, ack: ack, random: &random)
                try object.rejectUnknownFields(allowed: [
                    "every", "devices", "count", "jitter", "from", "payload", "ack",
                ])
            } else {
                let at = try required(object.string("at"), object, "at", "+10s, an ISO-8601 time or epoch seconds")
                guard let time = ScenarioTime.time(at, start: start) else {
                    throw object.error(
                        "at",
                        "expected +DURATION (+10s, +2m), ISO-8601 UTC or epoch seconds, found '\(at)'"
                    )
                }
                let deviceText = try required(object.string("device"), object, "device", "the id of a listed device")
                let device = try deviceID(deviceText, devices: devices, object, "device")
                let payload = try hex(try object.string("payload") ?? "", object, "payload", syntax: "a hex payload")
                result.append(ScheduledUplink(time: time, uplink: Uplink(device: device, payload: payload, ack: ack)))
                try object.rejectUnknownFields(allowed: ["at", "device", "payload", "ack", "every"])
            }
        }
        // Stable: uplinks at the same time keep the order they were written in.
        return result.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    static func deviceID(
        _ text: String,
        devices: [Device],
        _ object: ConfigObject,
        _ key: String
    ) throws(ConfigError)
        -> DeviceID
    {
        guard let id = DeviceID(hex: text), devices.contains(where: { $0.id == id }) else {
            throw object.error(key, "no device '\(text)' in devices")
        }
        return id
    }

    private static func periodic(
        _ object: inout ConfigObject,
        devices: [Device],
        start: SimulationTime,
        ack: Bool,
        random: inout SeededGenerator
    ) throws(ConfigError) -> [ScheduledUplink] {
        guard let everyNode = object.node("every"), let everyText = everyNode.scalarText else {
            throw object.error("every", "expected a period such as 10m, or a number of minutes")
        }
        let every = Int(everyText).map { SimulationDuration.minutes(Int64($0)) } ?? ScenarioTime.duration(everyText)
        guard let every, every.milliseconds > 0 else {
            throw object.error(
                "every",
                "expected a period such as 10m or 30s, or a number of minutes, found '\(everyText)'"
            )
        }
        let count = try object.integer("count") ?? 1
        guard count >= 0 else { throw object.error("count", "must not be negative") }
        var jitter = SimulationDuration(milliseconds: 0)
        if let text = try object.string("jitter") {
            guard let parsed = Int(text).map({ SimulationDuration.seconds(Int64($0)) }) ?? ScenarioTime.duration(text)
            else { throw object.error("jitter", "expected a duration such as 30s, found '\(text)'") }
            jitter = parsed
        }
        var first = start
        if let text = try object.string("from") {
            guard let parsed = ScenarioTime.time(text, start: start) else {
                throw object.error("from", "expected +DURATION, ISO-8601 UTC or epoch seconds, found '\(text)'")
            }
            first = parsed
        }
        let generator = try PayloadGenerator(try object.string("payload") ?? "counter", object)
        var selected = devices.map(\.id)
        if let node = object.node("devices"), node.scalarText != "all" {
            guard case .array(let items) = node.value else {
                throw object.error("devices", "expected all or a list of device ids")
            }
            selected = []
            for item in items {
                guard let text = item.scalarText, let id = DeviceID(hex: text), devices.contains(where: { $0.id == id })
                else {
                    throw ConfigError(
                        location: item.location,
                        path: object.fieldPath("devices"),
                        message: "no device '\(item.scalarText ?? item.kindName)' in devices"
                    )
                }
                selected.append(id)
            }
        }
        var result = [ScheduledUplink]()
        for device in selected {
            for index in 0..<count {
                let offset = jitter.milliseconds > 0 ? random.nextInt64(in: 0...jitter.milliseconds) : 0
                let time = first + SimulationDuration(milliseconds: every.milliseconds * Int64(index) + offset)
                let payload = generator.payload(index: index, random: &random)
                result.append(ScheduledUplink(time: time, uplink: Uplink(device: device, payload: payload, ack: ack)))
            }
        }
        return result
    }

    static func expectations(_ node: ConfigNode?) throws(ConfigError) -> [Expectation] {
        var result = [Expectation]()
        for (item, path) in try items(node, path: "expect") {
            var object = try ConfigObject(item, path: path)
            let location = "\(item.location)"
            if let flag = try object.bool("ledgerBalances") {
                if flag { result.append(Expectation(.ledgerBalances, location: location)) }
                try object.rejectUnknownFields(allowed: ["ledgerBalances"])
            } else if let flag = try object.bool("noPending") {
                if flag { result.append(Expectation(.noPending, location: location)) }
                try object.rejectUnknownFields(allowed: ["noPending"])
            } else if let node = object.node("downlink") {
                var fields = try ConfigObject(node, path: object.fieldPath("downlink"))
                let text = try required(fields.string("device"), fields, "device", "a device id")
                guard let device = DeviceID(hex: text) else { throw fields.error("device", "expected a hex device id") }
                let data = try fields.string("data").map { (text) throws(ConfigError) in
                    try hex(text, fields, "data", syntax: "8 bytes of hex")
                }
                try fields.rejectUnknownFields(allowed: ["device", "data"])
                try object.rejectUnknownFields(allowed: ["downlink"])
                result.append(Expectation(.downlink(device: device, data: data), location: location))
            } else if let node = object.node("acknowledge") {
                var fields = try ConfigObject(node, path: object.fieldPath("acknowledge"))
                let info = try required(fields.string("infoMessage"), fields, "infoMessage", "ACKED, NO_ANSWER, ...")
                var device: DeviceID?
                if let text = try fields.string("device") {
                    guard let id = DeviceID(hex: text) else { throw fields.error("device", "expected a hex device id") }
                    device = id
                }
                let count = try fields.integer("count")
                try fields.rejectUnknownFields(allowed: ["infoMessage", "device", "count"])
                try object.rejectUnknownFields(allowed: ["acknowledge"])
                result.append(
                    Expectation(.acknowledge(device: device, infoMessage: info, count: count), location: location)
                )
            } else {
                var service: CallbackService?
                if let text = try object.string("service") {
                    guard let parsed = CallbackService(name: text) else {
                        throw object.error(
                            "service",
                            "unknown service '\(text)'; expected DATA/UPLINK, DATA/BIDIR, "
                                + "SERVICE/STATUS, SERVICE/ACKNOWLEDGE, SERVICE/DATA_ADVANCED, ERROR, ..."
                        )
                    }
                    service = parsed
                }
                let callback = try object.string("callback")
                let urlPath = try object.string("path")
                var counts = [Expectation.Count: Int]()
                for count in Expectation.Count.allCases {
                    if let value = try object.integer(count.rawValue) { counts[count] = value }
                }
                let kinds = ["ledgerBalances", "noPending", "downlink", "acknowledge"]
                try object.rejectUnknownFields(
                    allowed: ["service", "callback", "path"] + Expectation.Count.allCases.map(\.rawValue) + kinds
                )
                guard !counts.isEmpty else {
                    throw ConfigError(
                        location: item.location,
                        path: path,
                        message: "an expectation needs one of: delivered, failed, retries, tries, cancelled (with "
                            + "service, callback or path), or ledgerBalances, noPending, downlink, acknowledge"
                    )
                }
                result.append(
                    Expectation(
                        .callbacks(service: service, callback: callback, path: urlPath, counts: counts),
                        location: location
                    )
                )
            }
        }
        return result
    }
}
