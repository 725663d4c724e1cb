import SigfoxModel

/// Everything the network simulates: device types, devices and base stations, checked to fit together.
public struct Fleet: Sendable, Equatable {
    public private(set) var deviceTypes: [DeviceType]
    public private(set) var devices: [Device]
    /// The stations, sorted by id so every walk over them is deterministic.
    public private(set) var baseStations: [BaseStation]

    /// A fleet, validated: ids unique within their kind, and every device's type defined.
    public init(deviceTypes: [DeviceType], devices: [Device], baseStations: [BaseStation]) throws(NetworkSetupError) {
        var typeIDs = Set<DeviceTypeID>()
        for type in deviceTypes where !typeIDs.insert(type.id).inserted {
            throw NetworkSetupError("device type \(type.id) is defined twice")
        }
        var deviceIDs = Set<DeviceID>()
        for device in devices {
            guard deviceIDs.insert(device.id).inserted else {
                throw NetworkSetupError("device \(device.id) is defined twice")
            }
            guard typeIDs.contains(device.deviceType) else {
                throw NetworkSetupError("device \(device.id): device type \(device.deviceType) is not defined")
            }
        }
        var stationIDs = Set<BaseStationID>()
        for station in baseStations where !stationIDs.insert(station.id).inserted {
            throw NetworkSetupError("base station \(station.id) is defined twice")
        }
        self.deviceTypes = deviceTypes
        self.devices = devices
        self.baseStations = baseStations.sorted { $0.id < $1.id }
    }
}
