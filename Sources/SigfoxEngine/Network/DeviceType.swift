import SigfoxModel

/// A Sigfox device type as the network sees it: its radio zone, limits, keep-alive and downlink setup.
///
/// Callbacks themselves belong to the callback engine; the network only needs to know whether an enabled
/// DATA/BIDIR callback exists (for INVALID_CONFIGURATION, SIGFOX.md section 5) and whether any callback
/// uses legacy `sendDuplicate` (SIGFOX.md section 2).
public struct DeviceType: Sendable, Equatable {
    public var id: DeviceTypeID
    /// `{deviceTypeName}` (`SIGFOX_DevKit_1`).
    public var name: String
    /// The custom payload configuration text, kept for the callback engine (SIGFOX.md section 6).
    public var payloadConfig: String?
    /// Seconds without a message before an ERROR fires; 0 is off, otherwise at least 1800 (SIGFOX.md
    /// section 2).
    public var keepAlive: Int64
    /// Where a downlink comes from (SIGFOX.md section 5).
    public var downlinkMode: DownlinkMode
    /// The fixed downlink of ``DownlinkMode/direct``: 16 hex characters once `{time}` (8), `{tapId}` (4)
    /// and `{rssi}` (4) are replaced.
    public var downlinkDataString: String?
    /// Whether the type has an enabled DATA/BIDIR callback; CALLBACK mode without one is
    /// INVALID_CONFIGURATION (SIGFOX.md section 5).
    public var hasBidirCallback: Bool
    /// Whether any of its DATA callbacks uses legacy `sendDuplicate` (SIGFOX.md section 2).
    public var usesSendDuplicate: Bool
    /// The radio zone, which sets the LQI thresholds (SIGFOX.md section 1).
    public var zone: RadioConfiguration
    /// Uplinks a day on the contract: 140 on a classic contract (SIGFOX.md section 1).
    public var dailyUplinkLimit: Int
    /// Downlinks a day on the contract: 4 on a classic contract (SIGFOX.md section 1).
    public var dailyDownlinkLimit: Int
    /// Whether the network keeps each message 25 s for its DATA_ADVANCED trigger. A load test turns it off
    /// for device types without a DATA_ADVANCED callback, so the network holds no message it will not use.
    public var firesDataAdvanced = true
    /// Whether the network writes `{reception}` and `{duplicates}` (JSON lists of every reception) for its
    /// messages. A load test turns it off for device types whose callbacks use neither.
    public var writesReceptionLists = true
    /// `{groupId}` of its event callbacks (SIGFOX.md section 8): 24 hex digits.
    public var groupID = NetworkCore.defaultGroupID

    /// A device type, validated: keep-alive 0 or at least 1800 s, non-negative limits, and a valid
    /// `downlinkDataString` when the mode is DIRECT.
    public init(
        id: DeviceTypeID,
        name: String,
        payloadConfig: String? = nil,
        keepAlive: Int64 = 0,
        downlinkMode: DownlinkMode = .callback,
        downlinkDataString: String? = nil,
        hasBidirCallback: Bool = true,
        usesSendDuplicate: Bool = false,
        zone: RadioConfiguration = .rc1,
        dailyUplinkLimit: Int = 140,
        dailyDownlinkLimit: Int = 4
    ) throws(NetworkSetupError) {
        let context = "device type \(id) (\(name))"
        guard keepAlive == 0 || (1800...Self.maximumKeepAlive).contains(keepAlive) else {
            throw NetworkSetupError(
                "\(context): keepAlive is \(keepAlive) s; it must be 0 (off) or 1800 s to \(Self.maximumKeepAlive) s (10 years)"
            )
        }
        guard dailyUplinkLimit >= 0, dailyDownlinkLimit >= 0 else {
            throw NetworkSetupError("\(context): daily limits must not be negative")
        }
        if downlinkMode == .direct {
            guard let text = downlinkDataString else {
                throw NetworkSetupError("\(context): downlink mode DIRECT needs a downlinkDataString")
            }
            guard DirectDownlink.isValid(text) else {
                throw NetworkSetupError(
                    "\(context): downlinkDataString '\(text)' must be 16 hex characters once {time} (8), "
                        + "{tapId} (4) and {rssi} (4) are replaced"
                )
            }
        }
        self.id = id
        self.name = name
        self.payloadConfig = payloadConfig
        self.keepAlive = keepAlive
        self.downlinkMode = downlinkMode
        self.downlinkDataString = downlinkDataString
        self.hasBidirCallback = hasBidirCallback
        self.usesSendDuplicate = usesSendDuplicate
        self.zone = zone
        self.dailyUplinkLimit = dailyUplinkLimit
        self.dailyDownlinkLimit = dailyDownlinkLimit
    }
}

extension DeviceType {
    /// The longest keep-alive the emulator takes: 10 years, so its milliseconds never overflow.
    public static let maximumKeepAlive: Int64 = 315_360_000
}

/// The downlink modes of a device type (SIGFOX.md section 5).
public enum DownlinkMode: String, Sendable, CaseIterable {
    /// A fixed `downlinkDataString`, emitted without asking anyone.
    case direct = "DIRECT"
    /// The answer of the device type's BIDIR callback.
    case callback = "CALLBACK"
    /// No downlink.
    case none = "NONE"
    /// Managed by the operator. **Emulator rule:** the emulator has nothing to send, as with NONE.
    case managed = "MANAGED"
}

/// The `downlinkDataString` of DIRECT mode and its three placeholders (SIGFOX.md section 5).
///
/// **Emulator rule:** `{time}` is the first reception in epoch seconds as 8 hex digits, `{tapId}` the
/// best station's id as 4 hex digits (its low 16 bits), `{rssi}` the best RSSI rounded to a whole dBm as a 16-bit two's
/// complement in 4 hex digits; the result is lower-case and must be exactly 8 bytes.
enum DirectDownlink {
    static func isValid(_ text: String) -> Bool {
        let bare = strip(text)
        return bare.utf8.count + placeholderLength(text) == 16 && bare.utf8.allSatisfy { Hex.nibble($0) != nil }
    }

    /// The 8 bytes for a message first received at `time` whose best station is `station` at `rssi`.
    static func bytes(_ text: String, time: SimulationTime, station: BaseStationID, rssi: Double) -> [UInt8] {
        let timeHex = hex(UInt64(UInt32(truncatingIfNeeded: time.epochSeconds)), digits: 8)
        let rssiHex = hex(UInt64(UInt16(bitPattern: Int16(clamping: Int(rssi.rounded())))), digits: 4)
        let stationHex = hex(UInt64(station.rawValue & 0xFFFF), digits: 4)
        let filled = text.replacing("{time}", with: timeHex).replacing("{tapId}", with: stationHex)
            .replacing("{rssi}", with: rssiHex)
        return (try? Hex.bytes(from: filled)) ?? []
    }

    private static func strip(_ text: String) -> String {
        text.replacing("{time}", with: "").replacing("{tapId}", with: "").replacing("{rssi}", with: "")
    }

    private static func placeholderLength(_ text: String) -> Int {
        8 * text.ranges(of: "{time}").count + 4 * text.ranges(of: "{tapId}").count
            + 4 * text.ranges(of: "{rssi}").count
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

/// A fleet or network configuration that cannot be simulated, with what to fix.
public struct NetworkSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
