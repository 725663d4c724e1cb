import SigfoxEngine
import SigfoxModel

extension Scenario {
    /// The most traffic events a scenario may plan: a day of 10,000 devices every 10 minutes is 1.44 million
    /// (traffic is planned ahead, so a bigger one would only exhaust memory).
    public static let maximumTrafficEvents = 5_000_000
    /// The most devices a scenario may generate.
    public static let maximumDevices = 1_000_000
    /// The longest a traffic item may span.
    public static let longestSpan = SimulationDuration(milliseconds: 100 * 365 * 86_400_000)

    /// What a traffic item may hold, by kind (the first key found decides the kind).
    static let trafficFields: [String: [String]] = [
        "single": ["at", "device", "payload", "ack", "status"],
        "periodic": ["every", "devices", "count", "jitter", "from", "payload", "ack", "status"],
        "outage": ["station", "down", "up"],
        "silence": ["silence", "from", "to"],
    ]

    /// Reads the `traffic` list: single uplinks and status messages, periodic ones, station outages, and
    /// silences (applied last: they remove the uplinks and status messages of their devices in their span).
    static func traffic(
        _ node: ConfigNode?,
        devices: [Device],
        types: [ScenarioDeviceType],
        stations: [BaseStationID],
        start: SimulationTime,
        random: inout SeededGenerator
    ) throws(ConfigError) -> [ScheduledEvent] {
        var result = [ScheduledEvent]()
        var silences = [(devices: Set<DeviceID>, from: SimulationTime, to: SimulationTime?)]()
        let context = TrafficContext(devices: devices, types: types, stations: stations, start: start)
        for (item, path) in try items(node, path: "traffic") {
            var object = try ConfigObject(item, path: path)
            if object.has("every") {
                result += try periodic(&object, context, random: &random, planned: result.count)
                try object.rejectUnknownFields(allowed: trafficFields["periodic"]!)
            } else if object.has("station") {
                result += try outage(&object, context)
                try object.rejectUnknownFields(allowed: trafficFields["outage"]!)
            } else if object.has("silence") {
                let selected = try context.selection(object.node("silence"), object, "silence")
                let from = try context.time(object.string("from"), object, "from") ?? start
                let to = try context.time(object.string("to"), object, "to")
                if let to, to <= from { throw object.error("to", "must be after from") }
                silences.append((Set(selected), from, to))
                try object.rejectUnknownFields(allowed: trafficFields["silence"]!)
            } else {
                result.append(try single(&object, context, random: &random))
                try object.rejectUnknownFields(allowed: trafficFields["single"]!)
            }
        }
        result.removeAll { event in
            guard let device = event.device else { return false }
            return silences.contains { silence in
                silence.devices.contains(device) && event.time >= silence.from
                    && silence.to.map { event.time < $0 } ?? true
            }
        }
        // Stable: events at the same time keep the order they were written in.
        return result.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// What every traffic item is read against.
    struct TrafficContext {
        var devices: [Device]
        var types: [ScenarioDeviceType]
        var stations: [BaseStationID]
        var start: SimulationTime

        /// `+10s`, ISO-8601 or epoch seconds; nil when `text` is nil.
        func time(_ text: String?, _ object: ConfigObject, _ key: String) throws(ConfigError) -> SimulationTime? {
            guard let text else { return nil }
            guard let time = ScenarioTime.time(text, start: start) else {
                throw object.error(
                    key,
                    "expected +DURATION (+10s, +2m), ISO-8601 UTC or epoch seconds, found '\(text)'"
                )
            }
            return time
        }

        /// `all`, one device id, or a list of device ids.
        func selection(_ node: ConfigNode?, _ object: ConfigObject, _ key: String) throws(ConfigError) -> [DeviceID] {
            guard let node, node.scalarText != "all" else { return devices.map(\.id) }
            let items: [ConfigNode]
            if case .array(let list) = node.value { items = list } else { items = [node] }
            var selected = [DeviceID]()
            for item in items {
                guard let text = item.scalarText, let id = DeviceID(hex: text), devices.contains(where: { $0.id == id })
                else {
                    throw ConfigError(
                        location: item.location,
                        path: object.fieldPath(key),
                        message: "no device '\(item.scalarText ?? item.kindName)' in devices; expected all, a device "
                            + "id or a list of ids"
                    )
                }
                selected.append(id)
            }
            return selected
        }

        /// The payloadConfig of the device's type, or nil.
        func payloadConfig(of device: DeviceID) -> (config: String?, typeName: String) {
            let typeID = devices.first { $0.id == device }?.deviceType
            let type = types.first { $0.type.id == typeID }?.type
            return (type?.payloadConfig, type?.name ?? "?")
        }
    }

    private static func single(
        _ object: inout ConfigObject,
        _ context: TrafficContext,
        random: inout SeededGenerator
    ) throws(ConfigError) -> ScheduledEvent {
        let at = try required(object.string("at"), object, "at", "+10s, an ISO-8601 time or epoch seconds")
        let time = try context.time(at, object, "at")!
        let deviceText = try required(object.string("device"), object, "device", "the id of a listed device")
        let device = try deviceID(deviceText, devices: context.devices, object, "device")
        if let statusNode = object.node("status") {
            if object.has("payload") || object.has("ack") {
                throw object.error("status", "a status message has no payload or ack; write an uplink separately")
            }
            let status = try StatusGenerator(statusNode, path: object.fieldPath("status"))
            let reading = status.reading(index: 0, random: &random)
            return ScheduledEvent(
                time: time,
                kind: .status(device: device, temperature: reading.temperature, battery: reading.battery)
            )
        }
        let ack = try object.bool("ack") ?? false
        let generator = try PayloadGenerator(object.node("payload"), path: object.fieldPath("payload"))
        let payload = try generator.payload(for: device, index: 0, context: context, random: &random)
        return ScheduledEvent(time: time, kind: .uplink(Uplink(device: device, payload: payload, ack: ack)))
    }

    private static func outage(
        _ object: inout ConfigObject,
        _ context: TrafficContext
    ) throws(ConfigError)
        -> [ScheduledEvent]
    {
        let text = try required(object.string("station"), object, "station", "a base station id")
        guard let station = BaseStationID(hex: text) else {
            throw object.error("station", "expected a base station id of up to 4 hex digits, found '\(text)'")
        }
        guard context.stations.contains(station) else {
            throw object.error("station", "no base station '\(text)' in baseStations")
        }
        let down = try required(context.time(object.string("down"), object, "down"), object, "down", "when it stops")
        var events = [ScheduledEvent(time: down, kind: .station(station, up: false))]
        if let up = try context.time(object.string("up"), object, "up") {
            guard up > down else { throw object.error("up", "must be after down") }
            events.append(ScheduledEvent(time: up, kind: .station(station, up: true)))
        }
        return events
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
        _ context: TrafficContext,
        random: inout SeededGenerator,
        planned: Int
    ) throws(ConfigError) -> [ScheduledEvent] {
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
        // What cannot fit is refused before anything is built (the traffic is planned ahead).
        let (span, spanOverflow) = every.milliseconds.multipliedReportingOverflow(by: Int64(max(count, 1)))
        guard !spanOverflow, span <= Scenario.longestSpan.milliseconds else {
            throw object.error(
                "count",
                "\(count) periods of \(everyText) span more than 100 years; shorten the period or the count"
            )
        }
        var jitter = SimulationDuration(milliseconds: 0)
        if let text = try object.string("jitter") {
            guard let parsed = Int(text).map({ SimulationDuration.seconds(Int64($0)) }) ?? ScenarioTime.duration(text)
            else { throw object.error("jitter", "expected a duration such as 30s, found '\(text)'") }
            jitter = parsed
        }
        let first = try context.time(object.string("from"), object, "from") ?? context.start
        let selected = try context.selection(object.node("devices"), object, "devices")
        var status: StatusGenerator?
        var payload = PayloadGenerator.counter(2)
        let ack = try object.bool("ack") ?? false
        if let node = object.node("status") {
            if object.has("payload") || object.has("ack") {
                throw object.error("status", "status messages have no payload or ack; write uplinks in another item")
            }
            status = try StatusGenerator(node, path: object.fieldPath("status"))
        } else if let node = object.node("payload") {
            payload = try PayloadGenerator(node, path: object.fieldPath("payload"))
        }
        let (items, itemsOverflow) = selected.count.multipliedReportingOverflow(by: count)
        guard !itemsOverflow, planned + items <= Scenario.maximumTrafficEvents else {
            throw object.error(
                "count",
                "this item plans \(itemsOverflow ? "more than \(Int.max)" : "\(items)") uplinks (\(selected.count) device\(selected.count == 1 ? "" : "s") × "
                    + "count \(count)); a scenario holds at most \(Scenario.maximumTrafficEvents) traffic events"
            )
        }
        var result = [ScheduledEvent]()
        result.reserveCapacity(items)
        for device in selected {
            for index in 0..<count {
                let offset = jitter.milliseconds > 0 ? random.nextInt64(in: 0...jitter.milliseconds) : 0
                let time = first + SimulationDuration(milliseconds: every.milliseconds * Int64(index) + offset)
                if let status {
                    let reading = status.reading(index: index, random: &random)
                    result.append(
                        ScheduledEvent(
                            time: time,
                            kind: .status(device: device, temperature: reading.temperature, battery: reading.battery)
                        )
                    )
                } else {
                    let bytes = try payload.payload(for: device, index: index, context: context, random: &random)
                    result.append(
                        ScheduledEvent(time: time, kind: .uplink(Uplink(device: device, payload: bytes, ack: ack)))
                    )
                }
            }
        }
        return result
    }
}

/// The readings of out-of-band status messages: `status: {temp: 21.5, batt: {from: 3.6, step: -0.01}}`
/// (°C and volts; 20.0 and 3.6 when not given).
struct StatusGenerator {
    var temperature: ValueGenerator
    var battery: ValueGenerator

    init(_ node: ConfigNode, path: String) throws(ConfigError) {
        var object = try ConfigObject(node, path: path)
        temperature = ValueGenerator(constant: .number(20))
        battery = ValueGenerator(constant: .number(3.6))
        if let value = object.node("temp") {
            temperature = try Self.numeric(value, path: object.fieldPath("temp"))
        }
        if let value = object.node("batt") {
            battery = try Self.numeric(value, path: object.fieldPath("batt"))
        }
        try object.rejectUnknownFields(allowed: ["temp", "batt"])
    }

    private static func numeric(_ node: ConfigNode, path: String) throws(ConfigError) -> ValueGenerator {
        let generator = try ValueGenerator(node, path: path)
        let values: [GeneratedValue]
        switch generator.kind {
        case .constant(let value): values = [value]
        case .list(let list): values = list
        default: values = []
        }
        if let bad = values.first(where: { if case .number = $0 { false } else { true } }) {
            throw generator.error("expected a number, found \(bad)")
        }
        return generator
    }

    func reading(index: Int, random: inout SeededGenerator) -> (temperature: Double, battery: Double) {
        func number(_ value: GeneratedValue) -> Double {
            if case .number(let number) = value { return (number * 100).rounded() / 100 }
            return 0
        }
        return (
            number(temperature.value(index: index, integral: false, random: &random)),
            number(battery.value(index: index, integral: false, random: &random))
        )
    }
}
