/// A Sigfox radio configuration zone; it sets the RSSI thresholds of the link quality.
public enum RadioConfiguration: String, CaseIterable, Sendable {
    case rc1 = "RC1"
    case rc2 = "RC2"
    case rc3 = "RC3"
    case rc4 = "RC4"
    case rc5 = "RC5"
    case rc6 = "RC6"
    case rc7 = "RC7"

    /// The RSSI (dBm) at or below which quality drops from the top band: -122 dBm, or -114 dBm in
    /// RC2 and RC4 (SIGFOX.md section 1).
    public var upperThreshold: Double { self == .rc2 || self == .rc4 ? -114 : -122 }

    /// The RSSI (dBm) at or below which quality is LIMIT: -135 dBm, or -127 dBm in RC2 and RC4.
    public var lowerThreshold: Double { self == .rc2 || self == .rc4 ? -127 : -135 }
}

/// Link quality of a message (LQI), from its best RSSI and the number of stations that heard it.
///
/// SIGFOX.md section 1: with 3 or more stations, above the upper threshold is EXCELLENT, between the
/// thresholds GOOD, at or below the lower one LIMIT; with 1 or 2 stations the same bands give GOOD,
/// AVERAGE and LIMIT.
public enum LinkQuality: Int, CaseIterable, Sendable, Comparable {
    case limit = 0
    case average = 1
    case good = 2
    case excellent = 3
    /// `NA` (4): no quality known. The API v2 and DATA_ADVANCED's `{lqi}` both list it; the emulator gives it
    /// to a recorded message that says so, or that came with no reception and no `lqi`.
    case notAvailable = 4

    public init(bestRSSI: Double, stationCount: Int, zone: RadioConfiguration = .rc1) {
        let many = stationCount >= 3
        if bestRSSI > zone.upperThreshold {
            self = many ? .excellent : .good
        } else if bestRSSI > zone.lowerThreshold {
            self = many ? .good : .average
        } else {
            self = .limit
        }
    }

    /// The word of `{lqi}`. **Emulator rule** (SIGFOX.md section 1): title case by default, as bodies
    /// recorded from the real cloud show; upper case (as the docs write it) on request.
    public func word(_ style: LQIStyle = .titleCase) -> String {
        switch (self, style) {
        case (.limit, .titleCase): return "Limit"
        case (.average, .titleCase): return "Average"
        case (.good, .titleCase): return "Good"
        case (.excellent, .titleCase): return "Excellent"
        case (.notAvailable, _): return "NA"
        case (.limit, .upperCase): return "LIMIT"
        case (.average, .upperCase): return "AVERAGE"
        case (.good, .upperCase): return "GOOD"
        case (.excellent, .upperCase): return "EXCELLENT"
        }
    }

    /// Parses the word in any case.
    public init?(word: String) {
        switch word.lowercased() {
        case "limit": self = .limit
        case "average": self = .average
        case "good": self = .good
        case "excellent": self = .excellent
        case "na", "n/a": self = .notAvailable
        default: return nil
        }
    }

    public static func < (lhs: LinkQuality, rhs: LinkQuality) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How `{lqi}` is written: the emulator's title case (default) or the documentation's upper case.
public enum LQIStyle: String, Sendable, CaseIterable {
    case titleCase = "title"
    case upperCase = "upper"
}
