import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel

/// Reading a scenario's fleet: device types with their callbacks and events, devices (one by one or
/// spread over an area) and their contracts.
extension Scenario {
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
        // What the Sigfox API v2 sets (suspend, resume, unsubscribe; serve keeps it in its document).
        var unsubscriptionTime: SimulationTime?
        if let text = try object.string("unsubscriptionTime") {
            guard let time = ScenarioTime.time(text, start: start) else {
                throw object.error(
                    "unsubscriptionTime",
                    "expected +DURATION (+30d), ISO-8601 UTC or epoch seconds, found '\(text)'"
                )
            }
            unsubscriptionTime = time
        }
        return DeviceContract(
            downlink: try object.bool("downlink") ?? true,
            networkMetadata: try object.bool("networkMetadata") ?? true,
            geolocation: try object.bool("geolocation") ?? false,
            tokenEnd: tokenEnd,
            suspended: try object.bool("suspended") ?? false,
            unsubscriptionTime: unsubscriptionTime
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
                        "geolocation", "tokenEnd", "suspended", "unsubscriptionTime",
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
                        "geolocation", "name", "pac", "prototype", "fixedLat", "fixedLng", "tokenEnd", "suspended",
                        "unsubscriptionTime",
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
}
