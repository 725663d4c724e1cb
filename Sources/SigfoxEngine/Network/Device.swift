import SigfoxModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A virtual Sigfox device: where it is, how it transmits and what its contract allows.
public struct Device: Sendable, Equatable {
    public var id: DeviceID
    public var deviceType: DeviceTypeID
    /// Where the device transmits from; the radio model measures distances to stations from here.
    public var position: GeoPosition
    /// The sequence number of the next message, 0...4095; it wraps to 0 after 4095 (SIGFOX.md section 1).
    public var sequenceNumber: Int
    /// Frames (repetitions) per message: 1 or 3 (SIGFOX.md section 1).
    public var framesPerMessage: Int
    public var contract: DeviceContract
    /// `{fixedLat}` / `{fixedLng}` of DATA_ADVANCED; both render `0.0` when unset (SIGFOX.md section 3).
    public var fixedLocation: GeoPosition?

    /// A device, validated: sequence number 0...4095 and 1 or 3 frames.
    public init(
        id: DeviceID,
        deviceType: DeviceTypeID,
        position: GeoPosition,
        sequenceNumber: Int = 0,
        framesPerMessage: Int = 3,
        contract: DeviceContract = DeviceContract(),
        fixedLocation: GeoPosition? = nil
    ) throws(NetworkSetupError) {
        guard (0...4095).contains(sequenceNumber) else {
            throw NetworkSetupError("device \(id): sequence number \(sequenceNumber) is not in 0...4095")
        }
        guard framesPerMessage == 1 || framesPerMessage == 3 else {
            throw NetworkSetupError("device \(id): framesPerMessage is \(framesPerMessage); it must be 1 or 3")
        }
        self.id = id
        self.deviceType = deviceType
        self.position = position
        self.sequenceNumber = sequenceNumber
        self.framesPerMessage = framesPerMessage
        self.contract = contract
        self.fixedLocation = fixedLocation
    }
}

/// What a device's contract includes (SIGFOX.md sections 3 and 5).
public struct DeviceContract: Sendable, Equatable {
    /// Downlinks allowed; without it a request is acknowledged with NO_DOWNLINK_CONTRACT.
    public var downlink: Bool
    /// Network metadata: `{station}`, `{rssi}`, `{snr}` of DATA callbacks have values (else `null`).
    public var networkMetadata: Bool
    /// Geolocation: DATA_ADVANCED's `{computedLocation}` carries a position (else `{"status":0}`).
    public var geolocation: Bool
    /// When the device's token ends: OFF_CONTRACT fires then, and its messages are rejected until a renewal
    /// (SIGFOX.md section 8); nil: it does not end.
    public var tokenEnd: SimulationTime?
    /// Suspended through the API v2 (`POST /v2/devices/bulk/suspend`) until resumed: the cloud takes none of
    /// its uplinks (``UplinkRefusal/suspended(_:)``).
    public var suspended: Bool
    /// When the device's subscription ends (`PUT /v2/devices/{id}/unsubscribe`): from then on the cloud
    /// takes none of its uplinks (``UplinkRefusal/unsubscribed(device:since:)``); nil: never.
    public var unsubscriptionTime: SimulationTime?

    /// **Emulator rule:** downlink and network metadata on, geolocation off, a token without end, neither
    /// suspended nor unsubscribed, unless told otherwise.
    public init(
        downlink: Bool = true,
        networkMetadata: Bool = true,
        geolocation: Bool = false,
        tokenEnd: SimulationTime? = nil,
        suspended: Bool = false,
        unsubscriptionTime: SimulationTime? = nil
    ) {
        self.downlink = downlink
        self.networkMetadata = networkMetadata
        self.geolocation = geolocation
        self.tokenEnd = tokenEnd
        self.suspended = suspended
        self.unsubscriptionTime = unsubscriptionTime
    }

    /// Why the cloud takes no uplink of the device at `time`, if it does not: suspended, or unsubscribed
    /// since its unsubscription time.
    public func refusal(of device: DeviceID, at time: SimulationTime) -> UplinkRefusal? {
        if suspended { return .suspended(device) }
        if let end = unsubscriptionTime, time >= end { return .unsubscribed(device: device, since: end) }
        return nil
    }
}

/// A Sigfox base station: its position, whether it is up, and who operates it (SIGFOX.md sections 1, 3).
public struct BaseStation: Sendable, Equatable {
    public var id: BaseStationID
    public var position: GeoPosition
    /// A station that is down hears nothing and transmits nothing.
    public var isUp: Bool
    /// `{operatorName}` of DATA_ADVANCED (`SIGFOX_France`).
    public var operatorName: String
    /// `{countryCode}` of DATA_ADVANCED: ISO 3166 numeric, as text (`250`).
    public var countryCode: String
    /// The hex id of the operator owning the station: `{networkOperatorId}` of the contract events a message
    /// it heard first raises (SIGFOX.md section 8); nil: none known (`null`).
    public var operatorId: String?

    public init(
        id: BaseStationID,
        position: GeoPosition,
        isUp: Bool = true,
        operatorName: String = "SIGFOX_France",
        countryCode: String = "250",
        operatorId: String? = nil
    ) {
        self.id = id
        self.position = position
        self.isUp = isUp
        self.operatorName = operatorName
        self.countryCode = countryCode
        self.operatorId = operatorId
    }
}

/// A point on the Earth in decimal degrees (WGS 84).
public struct GeoPosition: Sendable, Equatable, Hashable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// The mean radius of the Earth used for distances, in metres.
    public static let earthRadius: Double = 6_371_008.8

    /// The great-circle distance to `other` in metres (haversine formula).
    public func distance(to other: GeoPosition) -> Double {
        let radians = Double.pi / 180
        let deltaLatitude = (other.latitude - latitude) * radians
        let deltaLongitude = (other.longitude - longitude) * radians
        let sinLatitude = sin(deltaLatitude / 2)
        let sinLongitude = sin(deltaLongitude / 2)
        let h =
            sinLatitude * sinLatitude
            + cos(latitude * radians) * cos(other.latitude * radians) * sinLongitude * sinLongitude
        return 2 * Self.earthRadius * asin(min(1, h.squareRoot()))
    }
}
