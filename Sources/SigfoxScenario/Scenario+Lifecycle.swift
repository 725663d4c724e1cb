import SigfoxEngine
import SigfoxModel

extension Scenario {
    /// A lifecycle change for one device, written as a traffic item without `at` (`{"sequence": "+40"}`,
    /// `{"disengage": true}`, `{"contractEnd": {...}}`, `{"renewal": {"until": "+30d"}}`), read against
    /// `scenario` with relative times counted from `now`: `serve`'s control API plays them.
    public static func lifecycleChange(
        _ node: ConfigNode,
        device: DeviceID,
        in scenario: Scenario,
        at now: SimulationTime
    ) throws(ConfigError) -> ScheduledEvent.Kind {
        let expected = "expected one of sequence (+N, N or reset), disengage (true), contractEnd or renewal"
        guard case .object(let entries) = node.value else {
            throw ConfigError(location: node.location, path: "", message: "\(expected), in an object")
        }
        if let entry = entries.first(where: { $0.key == "device" || $0.key == "at" || $0.key == "deviceType" }) {
            throw ConfigError(
                location: entry.keyLocation,
                path: entry.key,
                message: "the device is the one in the path, the time is now: no '\(entry.key)'"
            )
        }
        let deviceEntry = ConfigEntry(
            key: "device",
            keyLocation: node.location,
            node: ConfigNode(.string(device.description), at: node.location)
        )
        var object = try ConfigObject(ConfigNode(.object(entries + [deviceEntry]), at: node.location), path: "")
        let context = TrafficContext(
            devices: scenario.devices,
            types: scenario.deviceTypes,
            stations: scenario.baseStations.map(\.id),
            start: now
        )
        guard let event = try lifecycle(&object, context, time: now) else {
            throw ConfigError(location: node.location, path: "", message: expected)
        }
        try object.rejectUnknownFields(allowed: ["device", "sequence", "disengage", "contractEnd", "renewal"])
        return event.kind
    }

    /// The lifecycle items of SIGFOX.md section 8: `sequence: +40` (skip 40 numbers), `sequence: 0` (next
    /// number 0; `reset` too), `disengage: true` (for the `device`, or every device of the `deviceType`),
    /// `contractEnd: true` or `{contractId, networkOperatorId, businessOperatorId, shortCause, cause}`, and
    /// `renewal: true` or the same with `until`. Nil when the item is none of them.
    static func lifecycle(
        _ object: inout ConfigObject,
        _ context: TrafficContext,
        time: SimulationTime
    ) throws(ConfigError) -> ScheduledEvent? {
        let kinds = ["sequence", "disengage", "contractEnd", "renewal"].filter { object.has($0) }
        guard let kind = kinds.first else {
            if object.has("deviceType") {
                throw object.error("deviceType", "deviceType names the devices of a disengage item (disengage: true)")
            }
            return nil
        }
        if kinds.count > 1 { throw object.error(kinds[1], "write \(kind) and \(kinds[1]) in separate items") }
        for field in ["payload", "ack", "status", "repeater"] where object.has(field) {
            throw object.error(field, "a \(kind) item sends nothing; write the \(field) in another item")
        }
        if kind == "disengage", object.has("deviceType") {
            if object.has("device") { throw object.error("deviceType", "give device or deviceType, not both") }
            guard try object.bool("disengage") == true else { throw object.error("disengage", "expected true") }
            let text = try object.string("deviceType") ?? ""
            let type = try Scenario.type(text, in: context.types, object)
            return ScheduledEvent(time: time, kind: .disengageType(type))
        }
        let deviceText = try required(object.string("device"), object, "device", "the id of a listed device")
        let device = try deviceID(deviceText, devices: context.devices, object, "device")
        switch kind {
        case "sequence":
            let text = try object.string("sequence") ?? ""
            let expected = "expected +N (skip N numbers, 1 to 4095), a number 0 to 4095 or reset"
            if text == "reset" { return ScheduledEvent(time: time, kind: .sequence(device: device, .set(0))) }
            if text.hasPrefix("+") {
                guard let count = Int(text.dropFirst()), (1...4095).contains(count) else {
                    throw object.error("sequence", "\(expected), found '\(text)'")
                }
                return ScheduledEvent(time: time, kind: .sequence(device: device, .skip(count)))
            }
            guard let number = Int(text), (0...4095).contains(number) else {
                throw object.error("sequence", "\(expected), found '\(text)'")
            }
            return ScheduledEvent(time: time, kind: .sequence(device: device, .set(number)))
        case "disengage":
            guard try object.bool("disengage") == true else { throw object.error("disengage", "expected true") }
            return ScheduledEvent(time: time, kind: .disengage(device: device))
        default:
            var until: SimulationTime?
            var details = ContractDetails()
            if let node = object.node(kind), node.scalarText == nil {
                var fields = try ConfigObject(node, path: object.fieldPath(kind))
                let state = try fields.string("subscriptionState")
                if let state, !ContractDetails.subscriptionStates.contains(state) {
                    throw fields.error(
                        "subscriptionState",
                        "expected one of " + ContractDetails.subscriptionStates.joined(separator: ", ")
                            + ", found '\(state)'"
                    )
                }
                details = ContractDetails(
                    contractId: try fields.string("contractId") ?? ContractDetails.defaultContractID,
                    networkOperatorId: try fields.string("networkOperatorId"),
                    businessOperatorId: try fields.string("businessOperatorId"),
                    shortCause: try fields.string("shortCause"),
                    cause: try fields.string("cause"),
                    subscriptionState: state
                )
                var allowed = [
                    "contractId", "networkOperatorId", "businessOperatorId", "shortCause", "cause", "subscriptionState",
                ]
                if kind == "renewal" {
                    allowed.append("until")
                    until = try context.time(fields.string("until"), fields, "until")
                    if let until, until <= time { throw fields.error("until", "must be after the item's at") }
                }
                try fields.rejectUnknownFields(allowed: allowed)
            } else if try object.bool(kind) != true {
                throw object.error(kind, "expected true or an object (contractId, cause, ...)")
            }
            if kind == "contractEnd" {
                return ScheduledEvent(time: time, kind: .contractEnd(device: device, details))
            }
            return ScheduledEvent(time: time, kind: .renewal(device: device, until: until, details))
        }
    }
}
