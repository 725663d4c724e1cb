import SigfoxModel

extension NetworkCore {
    /// Every tunable of the simulated network, with defaults that look like a rural Sigfox deployment.
    ///
    /// Times are simulation durations; radio figures are in dBm and dB. Tests that need certainty set
    /// ``rssiNoise`` and ``frameLossProbability`` to 0.
    public struct Configuration: Sendable, Equatable {
        /// Transmit power of a device (dBm): 14 dBm in RC1.
        public var transmitPower: Double = 14
        /// Path loss at 1 km (dB) of the log-distance model.
        public var referencePathLoss: Double = 110
        /// Exponent of the log-distance model: loss grows by 10·n dB per decade of distance. With 0, every
        /// station gets `transmitPower - referencePathLoss` whatever the distance (handy in tests).
        public var pathLossExponent: Double = 3
        /// Standard deviation (dB) of the seeded noise added to each frame's RSSI.
        public var rssiNoise: Double = 3
        /// A frame received below this RSSI (dBm) is not heard.
        public var sensitivity: Double = -142
        /// No frame is received above this RSSI (dBm): a device next to a station saturates there instead
        /// of reaching the transmit power (real recordings stay below about -60 dBm).
        public var maximumRSSI: Double = -60
        /// The SNR model, fitted to real recordings (13 to 24 dB at -123 to -113 dBm, 46 dB at -102 dBm): up
        /// to ``snrKnee`` SNR is `RSSI + snrOffset` (1 dB per dB: -123 dBm → 13 dB, -113 dBm → 23 dB), above
        /// it it grows ``snrSlopeAboveKnee`` dB per dB (-102 dBm → 46 dB); never below 0 nor above
        /// ``maximumSNR``.
        public var snrOffset: Double = 136
        public var snrKnee: Double = -113
        public var snrSlopeAboveKnee: Double = 2.1
        public var maximumSNR: Double = 60
        /// Probability that a station misses a frame it could hear (interference, collisions).
        public var frameLossProbability: Double = 0.05
        /// Gap between consecutive frames (ms), drawn for each gap; with 3 frames the message spans at
        /// most 2 s (SIGFOX.md section 1).
        public var frameGap: ClosedRange<Int64> = 500...1000
        /// Delay from the first heard frame to the first reception (ms), drawn for each message.
        public var networkDelay: ClosedRange<Int64> = 2500...4500
        /// DATA_ADVANCED comes this long after the first reception: 25 s (SIGFOX.md section 2).
        public var dataAdvancedDelay: SimulationDuration = .seconds(25)
        /// The device starts listening for a downlink this long after its first frame (SIGFOX.md
        /// section 1: about 20 s).
        public var downlinkWindowStart: SimulationDuration = .seconds(20)
        /// The device stops listening this long after its first frame (about 20 s + 25 s).
        public var downlinkWindowEnd: SimulationDuration = .seconds(45)
        /// ACKNOWLEDGE fires no earlier than this long after the message's first frame. **Emulator rule:**
        /// the one real log of an ACKED downlink found (a 2019 tutorial) shows DATA_ADVANCED about 27 s and
        /// ACKNOWLEDGE about 35 s after the first frame, so 35 s; failures come at the window end (45 s).
        public var acknowledgeDelay: SimulationDuration = .seconds(35)
        /// Probability that a station confirms an emitted downlink (`{downlinkAck}` true).
        public var downlinkConfirmationProbability: Double = 1
        /// What happens to uplinks past the device type's daily limit (SIGFOX.md section 1).
        public var overLimitPolicy: OverLimitPolicy = .deliver
        /// How `{lqi}` is written (SIGFOX.md section 1: title case by default).
        public var lqiStyle: LQIStyle = .titleCase
        /// How ACKNOWLEDGE's `{infoMessage}` is written: as the one real body found says (`Acked`), or the
        /// codes' names (`ACKED`).
        public var infoMessageStyle: InfoMessageStyle = .recorded
        /// ERROR/WARN goes to devices whose last this-many messages include one heard by the stopped
        /// station (SIGFOX.md section 2: 5).
        public var stationWarningHistory: Int = 5
        /// `{avgSnr}` averages the SNR of this many last messages (SIGFOX.md section 3: 25).
        public var averageSNRHistory: Int = 25

        public init() {}

        /// Checks the values against each other; the error names the field and what to write.
        public func validate() throws(NetworkSetupError) {
            func check(_ condition: Bool, _ message: String) throws(NetworkSetupError) {
                if !condition { throw NetworkSetupError("network configuration: " + message) }
            }
            try check(rssiNoise >= 0 && rssiNoise.isFinite, "rssiNoise must be a finite number >= 0")
            try check((0...1).contains(frameLossProbability), "frameLossProbability must be in 0...1")
            try check(
                (0...1).contains(downlinkConfirmationProbability),
                "downlinkConfirmationProbability must be in 0...1"
            )
            try check(pathLossExponent >= 0, "pathLossExponent must be >= 0")
            try check(frameGap.lowerBound >= 0, "frameGap must not be negative")
            try check(
                frameGap.upperBound <= 1000,
                "frameGap upper bound \(frameGap.upperBound) ms would spread 3 frames over more than 2 s"
            )
            try check(networkDelay.lowerBound >= 0, "networkDelay must not be negative")
            try check(dataAdvancedDelay.milliseconds >= 0, "dataAdvancedDelay must not be negative")
            try check(
                downlinkWindowStart.milliseconds >= 0 && downlinkWindowStart <= downlinkWindowEnd,
                "the downlink window must start at or after 0 s and end after it starts"
            )
            try check(acknowledgeDelay.milliseconds >= 0, "acknowledgeDelay must not be negative")
            try check(stationWarningHistory >= 1, "stationWarningHistory must be at least 1")
            try check(averageSNRHistory >= 1, "averageSNRHistory must be at least 1")
        }
    }

    /// What the network does with an uplink past the device type's daily limit.
    ///
    /// **Emulator rule** (SIGFOX.md section 1 gives the limit, not the consequence): the real cloud
    /// counts such messages against the contract. By default the message is carried and its callbacks
    /// fire, but it is flagged (``Message/isOverLimit``) and counted (``NetworkCounters/overLimit``);
    /// with ``drop`` the network discards it after counting it, and the outcome says so. Never silent.
    public enum OverLimitPolicy: String, Sendable, CaseIterable {
        case deliver
        case drop
    }
}
