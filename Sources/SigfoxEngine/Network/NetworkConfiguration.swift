import SigfoxModel

extension NetworkCore {
    /// Every tunable of the simulated network, with radio defaults fitted to receptions recorded from the real
    /// cloud (RSSI about -111 to -135 dBm, SNR about 11 to 23 dB; see docs/network.md's "Radio model").
    ///
    /// Times are simulation durations; radio figures are in dBm and dB. Tests that need certainty set
    /// ``rssiNoise``, ``shadowing``, ``noiseFloorSpread``, ``snrNoise`` and ``frameLossProbability`` to 0.
    public struct Configuration: Sendable, Equatable {
        /// Transmit power of a device (dBm): 14 dBm in RC1.
        public var transmitPower: Double = 14
        /// Path loss at 1 km (dB) of the log-distance model. **Emulator rule**, fitted to recorded receptions
        /// (README, "Radio model"): Okumura-Hata for a city (a 30 m mast, a device at 1.5 m, 868 MHz) gives
        /// 126 dB at 1 km and 35.2 dB per decade; 10 dB more for a device indoors or in its enclosure, as the
        /// recorded devices were, brings the example scenarios' median RSSI to the recordings' (-124 dBm).
        public var referencePathLoss: Double = 136
        /// Exponent of the log-distance model: loss grows by 10·n dB per decade of distance (Hata: 3.52). With
        /// 0, every station gets `transmitPower - referencePathLoss` whatever the distance (handy in tests).
        public var pathLossExponent: Double = 3.5
        /// Standard deviation (dB) of the shadowing of each station-device pair: fixed for the pair (what stands
        /// between them), drawn from the seed. Urban measurements give 6 to 8 dB.
        public var shadowing: Double = 6
        /// Standard deviation (dB) of the seeded noise added to each frame's RSSI.
        public var rssiNoise: Double = 3
        /// A frame received below this RSSI (dBm) is not heard.
        public var sensitivity: Double = -142
        /// No frame is received above this RSSI (dBm): a device next to a station saturates there instead
        /// of reaching the transmit power (real recordings stay below about -60 dBm).
        public var maximumRSSI: Double = -60
        /// The mean noise floor of a station (dBm): a frame's SNR is its RSSI above its station's floor, bent
        /// toward ``snrCeiling``. Fitted to the recorded pairs with ``snrCeiling`` (README, "Radio model").
        public var noiseFloor: Double = -145
        /// Standard deviation (dB) of the stations' noise floors around ``noiseFloor`` (each station's is fixed
        /// by the seed): the same RSSI gives different SNRs at different stations.
        public var noiseFloorSpread: Double = 3
        /// The receiver's own limit (dB): however strong the frame, its SNR approaches this and stays below
        /// (the recordings stop near 23 dB).
        public var snrCeiling: Double = 22
        /// Standard deviation (dB) of the seeded noise added to each frame's SNR.
        public var snrNoise: Double = 1.5
        /// A frame whose SNR at a station is below this (dB) is not demodulated there: with the noise floors
        /// above, the weakest receptions land near -138 dBm and 5 to 7 dB, as the weakest recorded ones.
        public var minimumSNR: Double = 5
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
            try check(referencePathLoss.isFinite, "referencePathLoss must be a finite number")
            try check(shadowing >= 0 && shadowing <= 20, "shadowing must be in 0...20 dB")
            try check(noiseFloor.isFinite, "noiseFloor must be a finite number")
            try check(noiseFloorSpread >= 0 && noiseFloorSpread <= 20, "noiseFloorSpread must be in 0...20 dB")
            try check(snrCeiling > 0 && snrCeiling <= 100, "snrCeiling must be in 0...100 dB")
            try check(snrNoise >= 0 && snrNoise <= 20, "snrNoise must be in 0...20 dB")
            try check(minimumSNR >= 0 && minimumSNR < snrCeiling, "minimumSNR must be in 0 dB up to snrCeiling")
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
