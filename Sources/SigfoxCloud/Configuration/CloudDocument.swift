import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `serve`'s configuration: base stations, device types with their callbacks, devices, receiver, network,
/// kept as the scenario document that describes them. Every change goes through the scenario loader, so
/// the control API validates exactly as a scenario file does, and `GET /sim/scenario` exports a file that
/// `run` and `serve` load again.
public struct CloudDocument: Sendable, Equatable {
    /// `name`, `seed`, `start`, `network`, `receiver`, `mail`, as written; `identity`, the API v2's groups,
    /// API users and users (``identity``).
    var header: [ConfigEntry]
    var baseStations: [ConfigNode]
    var deviceTypes: [ConfigNode]
    var devices: [ConfigNode]

    static let headerFields: Set<String> = ["name", "seed", "start", "network", "receiver", "mail", "identity"]

    /// The configuration part of a scenario document (its traffic and expectations are left out). Device
    /// types get their resolved id written in, so adding types later never renumbers generated ids.
    public init(scenarioRoot root: ConfigNode) throws(ConfigError) {
        guard case .object(let entries) = root.value else {
            throw ConfigError(location: root.location, path: "", message: "expected a scenario object")
        }
        header = entries.filter { Self.headerFields.contains($0.key) }
        baseStations = root["baseStations"]?.items ?? []
        devices = root["devices"]?.items ?? []
        deviceTypes = root["deviceTypes"]?.items ?? []
        let scenario = try self.scenario()
        for index in deviceTypes.indices where deviceTypes[index]["id"] == nil {
            deviceTypes[index] = deviceTypes[index].setting(
                "id",
                to: .string(scenario.deviceTypes[index].type.id.description)
            )
        }
        identifyCallbacks()
        devices = devices.map(namingTypeByID)
    }

    /// A device node whose `deviceType` names its type by id, so renaming the type keeps it attached.
    func namingTypeByID(_ device: ConfigNode) -> ConfigNode {
        guard let text = device["deviceType"]?.scalarText, let index = deviceTypeIndex(text),
            let id = deviceTypes[index]["id"]
        else { return device }
        return device.setting("deviceType", to: id)
    }

    /// The document as a scenario root node.
    public var root: ConfigNode {
        var entries = header
        let location = SourceLocation(line: 1, column: 1)
        entries.append(ConfigEntry(key: "baseStations", keyLocation: location, node: ConfigNode(.array(baseStations))))
        entries.append(ConfigEntry(key: "deviceTypes", keyLocation: location, node: ConfigNode(.array(deviceTypes))))
        entries.append(ConfigEntry(key: "devices", keyLocation: location, node: ConfigNode(.array(devices))))
        return ConfigNode(.object(entries))
    }

    /// The configuration as JSON, a scenario `run` and `serve` accept.
    public var jsonText: String { root.jsonText }

    /// The configuration loaded and checked as a scenario (without traffic).
    public func scenario() throws(ConfigError) -> Scenario {
        try Scenario(from: root)
    }

    // MARK: Changes. Each returns the changed document, checked; errors name the field in the body.

    /// Adds a device type (scenario form: `id`, `name`, `payloadConfig`, `keepAlive`, `downlinkMode`,
    /// `downlinkDataString`, `callbacks`).
    public func addingDeviceType(_ node: ConfigNode) throws(ConfigError) -> (CloudDocument, DeviceTypeID) {
        var copy = self
        // A type without an id gets a new one, 24 hex digits like the real cloud's, not its list position.
        copy.deviceTypes.append(node["id"] == nil ? node.setting("id", to: .string(Self.newDeviceTypeID())) : node)
        let index = copy.deviceTypes.count - 1
        let scenario = try copy.checked(prefix: "deviceTypes[\(index)]")
        let id = scenario.deviceTypes[index].type.id
        if scenario.deviceTypes.dropLast().contains(where: { $0.type.id == id }) {
            throw ConfigError(location: node.location, path: "id", message: "device type \(id) exists already")
        }
        copy.deviceTypes[index] = node.setting("id", to: .string(id.description))
        copy.identifyCallbacks()
        return (copy, id)
    }

    /// Adds a callback (scenario or API v2 form) to the device type `type` (its id or name): to its
    /// `callbacks`, or with `list: "events"` to its event callbacks (SIGFOX.md section 8).
    public func addingCallback(
        _ node: ConfigNode,
        to type: String,
        list: String = "callbacks"
    ) throws(ConfigError) -> (CloudDocument, Int) {
        guard let typeIndex = deviceTypeIndex(type) else {
            throw ConfigError(location: nil, path: "deviceType", message: "no device type '\(type)'")
        }
        var copy = self
        var callbacks = copy.deviceTypes[typeIndex][list]?.items ?? []
        callbacks.append(node["id"] == nil ? node.setting("id", to: .string(Self.newDeviceTypeID())) : node)
        copy.deviceTypes[typeIndex] = copy.deviceTypes[typeIndex].setting(list, to: ConfigNode(.array(callbacks)))
        _ = try copy.checked(prefix: "deviceTypes[\(typeIndex)].\(list)[\(callbacks.count - 1)]")
        return (copy, callbacks.count - 1)
    }

    /// Adds a device (scenario form: `id`, `deviceType`, `lat`, `lng`, `seqNumber`, `frames`, contract flags).
    public func addingDevice(_ node: ConfigNode) throws(ConfigError) -> (CloudDocument, DeviceID) {
        var copy = self
        copy.devices.append(namingTypeByID(node))
        let before = try scenario().devices.count
        let scenario = try copy.checked(prefix: "devices[\(copy.devices.count - 1)]")
        guard scenario.devices.count == before + 1, let device = scenario.devices.last else {
            throw ConfigError(
                location: node.location,
                path: "",
                message: "give one device (id, deviceType, lat, lng); generated fleets (count) belong in the scenario"
            )
        }
        return (copy, device.id)
    }

    /// Removes a device written on its own (not one of a generated `count`).
    public func removingDevice(_ id: DeviceID) throws(ConfigError) -> CloudDocument {
        var copy = self
        guard
            let index = devices.firstIndex(where: { node in
                node["id"]?.scalarText.flatMap { DeviceID(hex: $0) } == id
            })
        else {
            throw ConfigError(
                location: nil,
                path: "id",
                message: "no device \(id) written on its own in the configuration"
            )
        }
        copy.devices.remove(at: index)
        _ = try copy.checked(prefix: "")
        return copy
    }

    /// The station written as up or down (generated stations keep their state only in the running network).
    public func settingStation(_ id: BaseStationID, up: Bool) -> CloudDocument {
        var copy = self
        for index in baseStations.indices
        where baseStations[index]["id"]?.scalarText.flatMap({ BaseStationID(hex: $0) }) == id {
            copy.baseStations[index] = baseStations[index].setting("up", to: ConfigNode(.bool(up)))
        }
        return copy
    }

    static func newDeviceTypeID() -> String {
        (0..<3).map { _ in
            let text = String(UInt32.random(in: 0...UInt32.max), radix: 16)
            return String(repeating: "0", count: 8 - text.count) + text
        }.joined()
    }

    func deviceTypeIndex(_ text: String) -> Int? {
        deviceTypes.firstIndex { node in
            node["id"]?.scalarText?.lowercased() == text.lowercased() || node["name"]?.scalarText == text
        }
    }

    /// Loads the document; an error inside the changed node is told relative to it (`callbacks[0].url`).
    func checked(prefix: String) throws(ConfigError) -> Scenario {
        do {
            return try scenario()
        } catch {
            var relative = error
            if !prefix.isEmpty, relative.path.hasPrefix(prefix) {
                relative.path = String(relative.path.dropFirst(prefix.count))
                if relative.path.hasPrefix(".") { relative.path.removeFirst() }
            }
            throw relative
        }
    }
}
