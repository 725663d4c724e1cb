import SigfoxEngine
import SigfoxModel

/// Fleets and configurations for the network core tests, placed so reception is certain.
enum NetworkFixtures {
    /// 2023-11-14 22:13:20 UTC.
    static let start = SimulationTime(seconds: 1_700_000_000)
    static let device = GeoPosition(latitude: 45, longitude: 5)
    static let typeID = DeviceTypeID("5964a10570c85b51ccbaf497")!

    /// No noise, no shadowing, one noise floor for every station, no frame loss, 500 ms between frames and
    /// exactly 3 s of network delay; the log-distance path loss these tests were written against (110 dB at
    /// 1 km, exponent 3), so distances give round RSSIs.
    static var certain: NetworkCore.Configuration {
        var configuration = NetworkCore.Configuration()
        configuration.referencePathLoss = 110
        configuration.pathLossExponent = 3
        configuration.shadowing = 0
        configuration.noiseFloorSpread = 0
        configuration.snrNoise = 0
        configuration.rssiNoise = 0
        configuration.frameLossProbability = 0
        configuration.frameGap = 500...500
        configuration.networkDelay = 3000...3000
        return configuration
    }

    /// A configuration where every station hears exactly `rssi` dBm, whatever the distance.
    static func flat(rssi: Double) -> NetworkCore.Configuration {
        var configuration = certain
        configuration.pathLossExponent = 0
        configuration.referencePathLoss = configuration.transmitPower - rssi
        return configuration
    }

    /// The point `metres` due north of `position` (along a meridian, where haversine is exact).
    static func north(of position: GeoPosition, by metres: Double) -> GeoPosition {
        GeoPosition(
            latitude: position.latitude + metres / GeoPosition.earthRadius * 180 / Double.pi,
            longitude: position.longitude
        )
    }

    /// Stations 0001, 0002, 0003 at 1 km, 10 km and 20 km north of ``device``: with the path loss of
    /// ``certain`` and no noise they hear -96.00, -126.00 and -135.03 dBm.
    static var threeStations: [BaseStation] {
        [
            BaseStation(id: BaseStationID(1), position: north(of: device, by: 1000)),
            BaseStation(id: BaseStationID(2), position: north(of: device, by: 10_000), operatorName: "SIGFOX_Other"),
            BaseStation(id: BaseStationID(3), position: north(of: device, by: 20_000)),
        ]
    }

    static func deviceType(
        id: DeviceTypeID = typeID,
        keepAlive: Int64 = 0,
        mode: DownlinkMode = .callback,
        dataString: String? = nil,
        hasBidir: Bool = true,
        sendDuplicate: Bool = false,
        zone: RadioConfiguration = .rc1,
        dailyUplinkLimit: Int = 140
    ) throws -> DeviceType {
        try DeviceType(
            id: id,
            name: "SIGFOX_DevKit_1",
            keepAlive: keepAlive,
            downlinkMode: mode,
            downlinkDataString: dataString,
            hasBidirCallback: hasBidir,
            usesSendDuplicate: sendDuplicate,
            zone: zone,
            dailyUplinkLimit: dailyUplinkLimit
        )
    }

    /// A network of one device type, the given devices (default: one, `2C30EA`, at ``device``) and stations.
    static func network(
        type: DeviceType? = nil,
        devices: [Device]? = nil,
        stations: [BaseStation] = threeStations,
        configuration: NetworkCore.Configuration = certain,
        seed: UInt64 = 1
    ) throws -> NetworkCore {
        let type = try type ?? deviceType()
        let devices = try devices ?? [Device(id: DeviceID(0x2C30EA), deviceType: type.id, position: device)]
        let fleet = try Fleet(deviceTypes: [type], devices: devices, baseStations: stations)
        return try NetworkCore(configuration: configuration, fleet: fleet, seed: seed)
    }

    /// Every trigger until nothing is due.
    static func drain(_ network: inout NetworkCore) -> [CallbackTrigger] {
        var triggers: [CallbackTrigger] = []
        while let due = network.nextDue { triggers += network.advance(to: due) }
        return triggers
    }
}

extension CallbackTrigger {
    /// The rendered text of `variable`, `null` when unset (SIGFOX.md section 3).
    func rendered(_ variable: StandardVariable) -> String {
        bindings[variable]?.renderedText ?? "null"
    }

    /// The trigger as one line of text: service, due time and every bound variable.
    var networkTranscript: String {
        "\(service) \(due.milliseconds) "
            + bindings.boundVariables.map { "\($0.0.rawValue)=\($0.1.renderedText)" }.joined(separator: " ")
    }
}
