import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel

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
        "single": [
            "at", "device", "deviceType", "payload", "ack", "frames", "status", "repeater", "sequence", "disengage",
            "contractEnd", "renewal", "seqNumber", "receptions", "computedLocation", "lqi", "operator", "country",
        ],
        "periodic": ["every", "devices", "count", "jitter", "from", "payload", "ack", "status"],
        "outage": ["station", "down", "up"],
        "silence": ["silence", "from", "to"],
        "receiver": ["receiver", "from", "to"],
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
    ) throws(ConfigError) -> TrafficPlan {
        // Positions count every event written, in order, so that equal times keep the order of writing.
        var explicit = [(position: Int, event: ScheduledEvent)]()
        var periodicItems = [TrafficPlan.Periodic]()
        var planned = 0
        func add(_ events: [ScheduledEvent]) {
            for event in events {
                explicit.append((planned, event))
                planned += 1
            }
        }
        var silences = [TrafficPlan.Silence]()
        let context = TrafficContext(devices: devices, types: types, stations: stations, start: start)
        for (item, path) in try items(node, path: "traffic") {
            var object = try ConfigObject(item, path: path)
            if object.has("every") {
                let periodic = try periodic(&object, context, random: &random, planned: planned)
                periodicItems.append(periodic)
                planned += periodic.count * periodic.devices.count
                try object.rejectUnknownFields(allowed: trafficFields["periodic"]!)
            } else if object.has("station") {
                add(try outage(&object, context))
                try object.rejectUnknownFields(allowed: trafficFields["outage"]!)
            } else if object.has("receiver") {
                add(try receiverChange(&object, context))
                try object.rejectUnknownFields(allowed: trafficFields["receiver"]!)
            } else if object.has("silence") {
                let selected = try context.selection(object.node("silence"), object, "silence")
                let from = try context.time(object.string("from"), object, "from") ?? start
                let to = try context.time(object.string("to"), object, "to")
                if let to, to <= from { throw object.error("to", "must be after from") }
                silences.append(TrafficPlan.Silence(devices: Set(selected), from: from, to: to))
                try object.rejectUnknownFields(allowed: trafficFields["silence"]!)
            } else {
                add([try single(&object, context, random: &random)])
                try object.rejectUnknownFields(allowed: trafficFields["single"]!)
            }
        }
        return TrafficPlan(explicit: explicit, periodic: periodicItems, silences: silences)
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
        if let lifecycle = try lifecycle(&object, context, time: time) { return lifecycle }
        let deviceText = try required(object.string("device"), object, "device", "the id of a listed device")
        let device = try deviceID(deviceText, devices: context.devices, object, "device")
        if let node = object.node("repeater") {
            for field in ["payload", "ack", "status"] where object.has(field) {
                throw object.error("repeater", "a repeater's status frame has no \(field); write it in another item")
            }
            let status = try repeaterStatus(node, path: object.fieldPath("repeater"))
            return ScheduledEvent(time: time, kind: .repeater(device: device, status: status))
        }
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
        let frames = try object.integer("frames")
        if let frames, !(1...3).contains(frames) { throw object.error("frames", "expected 1, 2 or 3 frames") }
        let generator = try PayloadGenerator(object.node("payload"), path: object.fieldPath("payload"))
        let payload = try generator.payload(for: device, index: 0, context: context, random: &random)
        guard object.has("receptions") else {
            for field in Self.recordedOnlyFields where object.has(field) {
                throw object.error(field, "\(field) belongs to a recorded uplink: give its receptions too")
            }
            if frames == 2 { throw object.error("frames", "an uplink sends 1 or 3 frames (2 only in a recording)") }
            return ScheduledEvent(
                time: time,
                kind: .uplink(Uplink(device: device, payload: payload, ack: ack, frames: frames))
            )
        }
        return ScheduledEvent(
            time: time,
            kind: .recorded(try recorded(&object, context, device: device, payload: payload, ack: ack, frames: frames))
        )
    }

    private static func outage(
        _ object: inout ConfigObject,
        _ context: TrafficContext
    ) throws(ConfigError)
        -> [ScheduledEvent]
    {
        let text = try required(object.string("station"), object, "station", "a base station id")
        guard let station = BaseStationID(hex: text) else {
            throw object.error("station", "expected a base station id of 1 to 8 hex digits, found '\(text)'")
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

    /// `receiver: 503` (or `reset`, `hang`, `{status: 503, delay: 2s}`) with `from` and an optional `to`:
    /// the embedded receiver answers every request so in that span, whatever its rules say; they apply
    /// again at `to` (an outage: `receiver: 503, from: +3h, to: +4h`).
    private static func receiverChange(
        _ object: inout ConfigObject,
        _ context: TrafficContext
    ) throws(ConfigError) -> [ScheduledEvent] {
        let expected = "expected a status (503), reset, hang, or {status, delay, reset, hang}"
        var options = ReceiverRuleOptions()
        let node = object.node("receiver")!
        if let text = node.scalarText {
            switch text {
            case "reset": options.reset = true
            case "hang": options.hang = true
            default:
                guard let status = Int(text) else { throw object.error("receiver", "\(expected), found '\(text)'") }
                options.status = status
            }
        } else {
            var answer = try ConfigObject(node, path: object.fieldPath("receiver"))
            options.status = try answer.integer("status")
            options.delay = try answer.string("delay")
            options.reset = try answer.bool("reset") ?? false
            options.hang = try answer.bool("hang") ?? false
            try answer.rejectUnknownFields(allowed: ["status", "delay", "reset", "hang"])
        }
        let response: ReceiverResponse
        do {
            response = try ReceiverRules(options: options).defaultResponse
        } catch {
            throw object.error("receiver", error.description)
        }
        let from = try required(context.time(object.string("from"), object, "from"), object, "from", "when it starts")
        var events = [ScheduledEvent(time: from, kind: .receiver(response))]
        if let to = try context.time(object.string("to"), object, "to") {
            guard to > from else { throw object.error("to", "must be after from") }
            events.append(ScheduledEvent(time: to, kind: .receiver(nil)))
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
    ) throws(ConfigError) -> TrafficPlan.Periodic {
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
        // Generated as they fall due (``TrafficStream``); here every event is made once and dropped, so a
        // payload that cannot be made is an error now, and each device's random state is kept.
        var plan = TrafficPlan.Periodic(
            base: planned,
            first: first,
            every: every,
            count: count,
            jitter: jitter,
            devices: selected,
            starts: [],
            content: status.map { .status($0) } ?? .uplink(payload, ack: ack),
            context: context
        )
        plan.starts.reserveCapacity(selected.count)
        for device in selected.indices {
            plan.starts.append(random)
            for index in 0..<count {
                _ = try plan.event(device: device, index: index, random: &random)
            }
        }
        return plan
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
