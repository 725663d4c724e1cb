import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// The changes the Sigfox API v2 makes (`/v2/...`), on the same document as the control API: each is
/// checked by the scenario loader and takes effect for the next message.
extension CloudDocument {
    /// Gives every callback an `id` (24 hex digits, from its type id and position) so the API can name it.
    mutating func identifyCallbacks() {
        for typeIndex in deviceTypes.indices {
            let typeID = deviceTypes[typeIndex]["id"]?.scalarText ?? "000000000000000000000000"
            var callbacks = deviceTypes[typeIndex]["callbacks"]?.items ?? []
            guard callbacks.contains(where: { $0["id"] == nil }) else { continue }
            for index in callbacks.indices where callbacks[index]["id"] == nil {
                // The name `run` gives it too (``CallbackReference/description``).
                let id = DeviceTypeID(typeID).map { CallbackReference.defaultID(deviceType: $0, index: index) }
                callbacks[index] = callbacks[index].setting("id", to: .string(id ?? String(typeID.prefix(24))))
            }
            deviceTypes[typeIndex] = deviceTypes[typeIndex].setting("callbacks", to: ConfigNode(.array(callbacks)))
        }
    }

    func deviceTypeNode(_ id: String) -> ConfigNode? { deviceTypeIndex(id).map { deviceTypes[$0] } }

    func deviceNodeIndex(_ id: DeviceID) -> Int? {
        devices.firstIndex { $0["id"]?.scalarText.flatMap { DeviceID(hex: $0) } == id }
    }

    /// The type node changed by `transform`, checked.
    func changingDeviceType(
        _ id: String,
        _ transform: (ConfigNode) throws(ConfigError) -> ConfigNode
    )
        throws(ConfigError) -> (CloudDocument, Int)
    {
        guard let index = deviceTypes.firstIndex(where: { $0["id"]?.scalarText == id }) else {
            throw ConfigError(location: nil, path: "id", message: "no device type \(id)")
        }
        var copy = self
        copy.deviceTypes[index] = try transform(deviceTypes[index])
        _ = try copy.checked(prefix: "deviceTypes[\(index)]")
        return (copy, index)
    }

    /// Removes a device type that no device uses.
    func removingDeviceType(_ id: String) throws(ConfigError) -> (CloudDocument, Int) {
        guard let index = deviceTypes.firstIndex(where: { $0["id"]?.scalarText == id }) else {
            throw ConfigError(location: nil, path: "id", message: "no device type \(id)")
        }
        let name = deviceTypes[index]["name"]?.scalarText
        let used = try scenario().devices.contains { $0.deviceType.description == id }
        if used || devices.contains(where: { $0["deviceType"]?.scalarText == name && name != nil }) {
            throw ConfigError(
                location: nil,
                path: "id",
                message: "device type \(id) still has devices; delete them first"
            )
        }
        var copy = self
        copy.deviceTypes.remove(at: index)
        _ = try copy.checked(prefix: "")
        return (copy, index)
    }

    /// The callback `callbackID` of type `typeID` changed by `transform` (nil removes it), checked.
    func changingCallback(
        _ typeID: String,
        _ callbackID: String,
        _ transform: (ConfigNode) throws(ConfigError) -> ConfigNode?
    ) throws(ConfigError) -> (CloudDocument, Int) {
        guard let typeIndex = deviceTypes.firstIndex(where: { $0["id"]?.scalarText == typeID }) else {
            throw ConfigError(location: nil, path: "id", message: "no device type \(typeID)")
        }
        var callbacks = deviceTypes[typeIndex]["callbacks"]?.items ?? []
        guard let index = callbacks.firstIndex(where: { $0["id"]?.scalarText == callbackID }) else {
            throw ConfigError(
                location: nil,
                path: "callbackId",
                message: "no callback \(callbackID) in device type \(typeID)"
            )
        }
        if let changed = try transform(callbacks[index]) {
            callbacks[index] = changed
        } else {
            callbacks.remove(at: index)
        }
        var copy = self
        copy.deviceTypes[typeIndex] = deviceTypes[typeIndex].setting("callbacks", to: ConfigNode(.array(callbacks)))
        _ = try copy.checked(prefix: "deviceTypes[\(typeIndex)].callbacks[\(index)]")
        return (copy, index)
    }

    /// Makes `callbackID` the type's downlink callback (it must be DATA/BIDIR); the others are deselected.
    func selectingDownlinkCallback(_ typeID: String, _ callbackID: String) throws(ConfigError) -> (CloudDocument, Int) {
        let scenario = try self.scenario()
        guard let typeIndex = deviceTypes.firstIndex(where: { $0["id"]?.scalarText == typeID }) else {
            throw ConfigError(location: nil, path: "id", message: "no device type \(typeID)")
        }
        let definitions = try scenario.deviceTypes[typeIndex].definitions(receiverURL: "http://127.0.0.1:9")
        guard let chosen = definitions.firstIndex(where: { $0.id == callbackID }) else {
            throw ConfigError(
                location: nil,
                path: "callbackId",
                message: "no callback \(callbackID) in device type \(typeID)"
            )
        }
        guard definitions[chosen].service == .dataBidir else {
            throw ConfigError(
                location: nil,
                path: "callbackId",
                message:
                    "callback \(callbackID) is \(definitions[chosen].service); only a DATA/BIDIR callback can be the downlink callback"
            )
        }
        var callbacks = deviceTypes[typeIndex]["callbacks"]?.items ?? []
        for index in callbacks.indices where definitions[index].service == .dataBidir {
            callbacks[index] = callbacks[index].setting("downlinkHook", to: ConfigNode(.bool(index == chosen)))
        }
        var copy = self
        copy.deviceTypes[typeIndex] = deviceTypes[typeIndex].setting("callbacks", to: ConfigNode(.array(callbacks)))
        _ = try copy.checked(prefix: "")
        return (copy, chosen)
    }

    /// The device node changed by `transform` (nil removes it), checked.
    func changingDevice(
        _ id: DeviceID,
        _ transform: (ConfigNode) throws(ConfigError) -> ConfigNode?
    )
        throws(ConfigError) -> (CloudDocument, Int)
    {
        guard let index = deviceNodeIndex(id) else {
            throw ConfigError(location: nil, path: "id", message: "no device \(id)")
        }
        var copy = self
        if let changed = try transform(devices[index]) {
            copy.devices[index] = changed
        } else {
            copy.devices.remove(at: index)
        }
        _ = try copy.checked(prefix: "devices[\(index)]")
        return (copy, index)
    }
}

extension ConfigNode {
    /// This object with `updates` merged in (each key replaced or added).
    func merging(_ updates: [(String, ConfigNode)]) -> ConfigNode {
        updates.reduce(self) { $0.setting($1.0, to: $1.1) }
    }

    /// An API v2 update of a callback merged into this callback node, whichever form it was written in:
    /// in the readable form `callbackType`/`callbackSubtype` become `service`, and `httpMethod` and
    /// `bodyTemplate` replace `method` and `body`.
    func mergingCallbackUpdate(_ updates: [(String, ConfigNode)]) throws(ConfigError) -> ConfigNode {
        var node = self
        let readable = self["service"] != nil
        var type: Int?
        var subtype: Int?
        for (key, value) in updates {
            switch key {
            case "callbackType" where readable: type = value.scalarText.flatMap(Int.init)
            case "callbackSubtype" where readable: subtype = value.scalarText.flatMap(Int.init)
            case "httpMethod": node = node.removing("method").setting(key, to: value)
            case "bodyTemplate": node = node.removing("body").setting(key, to: value)
            default: node = node.setting(key, to: value)
            }
        }
        if type != nil || subtype != nil {
            let current = CallbackService(rawValue: node["service"]?.scalarText ?? "")
            guard
                let service = CallbackService(
                    callbackType: type ?? current?.callbackType ?? -1,
                    callbackSubtype: subtype ?? current?.callbackSubtype
                )
            else {
                throw ConfigError(location: nil, path: "callbackType", message: "no callback service has these numbers")
            }
            node = node.setting("service", to: .string(service.rawValue))
        }
        return node
    }
}
