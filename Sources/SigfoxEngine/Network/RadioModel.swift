import SigfoxModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the frames of one uplink into what each base station heard (SIGFOX.md section 1), with values fitted
/// to receptions recorded from the real cloud (see ``NetworkCore/Configuration`` and the README).
///
/// - **RSSI.** The mean RSSI of a link is a log-distance path loss over the haversine distance,
///   `transmitPower - referencePathLoss - 10·n·log10(d / 1 km)`, plus a shadowing term fixed for each pair of
///   station and device (obstacles between them), drawn from the seed, the station and the device
///   (``shadowing(device:station:)``). Each frame adds seeded noise (``SeededGenerator/nextGaussianish()``,
///   bounded to ±3.46 σ) and may be lost with a fixed probability; a frame below the sensitivity is not heard,
///   nor one whose SNR is below ``NetworkCore/Configuration/minimumSNR``, and none is heard above
///   ``NetworkCore/Configuration/maximumRSSI``.
/// - **SNR.** Each station has its own noise floor, drawn from the seed and the station
///   (``noiseFloor(of:)``); a frame's SNR is its RSSI over that floor, limited by the receiver's ceiling
///   (``snr(rssi:noiseFloor:)``), plus a little seeded noise per frame. Two stations hearing the same RSSI
///   report different SNRs, as in the recordings: SNR is not a function of RSSI alone.
///
/// Shadowing and noise floors come from their own hashes of the seed, not from the network's generator, so
/// they do not depend on the order devices were added in, and a device added to a running `serve` gets the
/// links it would have had from the start.
///
/// Because the frame noise is bounded, a station whose mean RSSI plus the bound is below the sensitivity can
/// never hear the device: ``reach(from:device:stations:)`` leaves it out once, when the fleet is loaded, and
/// the per-uplink work only visits stations in reach, with no change to any result.
struct RadioModel: Sendable {
    let configuration: NetworkCore.Configuration
    /// The scenario's seed, from which shadowing and noise floors are hashed.
    let seed: UInt64

    /// One station a device can reach, with the mean RSSI there (shadowing included) and the station's
    /// noise floor.
    struct Link: Sendable {
        var station: Int32
        var meanRSSI: Double
        var noiseFloor: Double
    }

    /// The mean RSSI (dBm) at `metres` from the device, before shadowing.
    func meanRSSI(atDistance metres: Double) -> Double {
        let kilometres = max(metres, 1) / 1000
        let loss = configuration.referencePathLoss + 10 * configuration.pathLossExponent * log10(kilometres)
        return configuration.transmitPower - loss
    }

    /// The shadowing (dB) between `device` and `station`: the same for every frame and every run with this
    /// seed, Gaussian-like with standard deviation ``NetworkCore/Configuration/shadowing``.
    func shadowing(device: DeviceID, station: BaseStationID) -> Double {
        guard configuration.shadowing > 0 else { return 0 }
        let key = UInt64(device.rawValue) << 32 | UInt64(station.rawValue)
        return configuration.shadowing * Self.gaussian(seed ^ 0x5A4D_0000_0000_0001, key)
    }

    /// The noise floor (dBm) of `station`: ``NetworkCore/Configuration/noiseFloor`` moved by a Gaussian-like
    /// term of standard deviation ``NetworkCore/Configuration/noiseFloorSpread``, fixed by the seed.
    func noiseFloor(of station: BaseStationID) -> Double {
        guard configuration.noiseFloorSpread > 0 else { return configuration.noiseFloor }
        let spread = Self.gaussian(seed ^ 0x7F10_0000_0000_0002, UInt64(station.rawValue))
        return configuration.noiseFloor + configuration.noiseFloorSpread * spread
    }

    /// The SNR (dB) a station whose noise floor is `noiseFloor` measures for a frame of `rssi` dBm, before the
    /// per-frame noise: `rssi - noiseFloor`, bent toward the receiver's ceiling
    /// ``NetworkCore/Configuration/snrCeiling`` (the two noise powers add:
    /// `-10·log10(10^(-(rssi - floor)/10) + 10^(-ceiling/10))`), never below 0.
    func snr(rssi: Double, noiseFloor: Double) -> Double {
        let raw = rssi - noiseFloor
        let ceiling = configuration.snrCeiling
        let combined = -10 * log10(pow(10, -raw / 10) + pow(10, -ceiling / 10))
        return max(0, combined)
    }

    /// The distance (metres) at which the mean RSSI is `rssi`: the path-loss model read backwards; nil
    /// when the model does not depend on distance.
    func distance(forRSSI rssi: Double) -> Double? {
        guard configuration.pathLossExponent > 0 else { return nil }
        let loss = configuration.transmitPower - rssi - configuration.referencePathLoss
        return 1000 * pow(10, loss / (10 * configuration.pathLossExponent))
    }

    /// A Gaussian-like value (mean 0, σ 1, bounded) fixed by `seed` and `key`.
    static func gaussian(_ seed: UInt64, _ key: UInt64) -> Double {
        var mixer = SplitMix64(state: seed &+ key &* 0x9E37_79B9_7F4A_7C15)
        var generator = SeededGenerator(seed: mixer.next())
        return generator.nextGaussianish()
    }

    /// The stations (indices into `stations`, in order) that some frame of `device` at `position` could reach.
    func reach(from position: GeoPosition, device: DeviceID, stations: [BaseStation]) -> [Link] {
        let margin = configuration.rssiNoise * SeededGenerator.gaussianishBound
        var links: [Link] = []
        for (index, station) in stations.enumerated() {
            let mean =
                meanRSSI(atDistance: position.distance(to: station.position))
                + shadowing(device: device, station: station.id)
            if mean + margin >= configuration.sensitivity {
                links.append(Link(station: Int32(index), meanRSSI: mean, noiseFloor: noiseFloor(of: station.id)))
            }
        }
        return links
    }

    /// The receptions of one uplink, best RSSI first, and the time of the earliest frame heard.
    ///
    /// Draws from `generator` in a fixed order: the frame gaps, then for each station in reach (in station
    /// order) and each frame, the noise and, when the frame is strong enough to be heard, the loss and then
    /// the SNR's noise.
    func receive(
        frames: Int,
        sentAt: SimulationTime,
        links: ArraySlice<Link>,
        stationUp: [Bool],
        stationIDs: [BaseStationID],
        generator: inout SeededGenerator
    ) -> (receptions: [Reception], earliest: SimulationTime) {
        var frameTimes = (sentAt.milliseconds, sentAt.milliseconds, sentAt.milliseconds)
        if frames == 3 {
            frameTimes.1 = frameTimes.0 + generator.nextInt64(in: configuration.frameGap)
            frameTimes.2 = frameTimes.1 + generator.nextInt64(in: configuration.frameGap)
        }
        let sigma = configuration.rssiNoise
        let snrSigma = configuration.snrNoise
        let lossProbability = configuration.frameLossProbability
        let sensitivity = configuration.sensitivity
        var receptions: [Reception] = []
        var earliest = Int64.max
        for (offset, link) in zip(links.indices, links) where stationUp[Int(link.station)] {
            var best = -Double.infinity
            var bestSNR = 0.0
            var heard = 0
            var firstHeard = Int64.max
            for frame in 0..<frames {
                let rssi = sigma > 0 ? link.meanRSSI + sigma * generator.nextGaussianish() : link.meanRSSI
                guard rssi >= sensitivity else { continue }
                if lossProbability > 0, generator.nextUnit() < lossProbability { continue }
                let measured = min(rssi, configuration.maximumRSSI)
                let jitter = snrSigma > 0 ? snrSigma * generator.nextGaussianish() : 0
                let frameSNR = snr(rssi: measured, noiseFloor: link.noiseFloor) + jitter
                // A frame that does not rise far enough above the station's noise is not demodulated.
                guard frameSNR >= configuration.minimumSNR else { continue }
                heard += 1
                if measured > best {
                    best = measured
                    bestSNR = frameSNR
                }
                if heard == 1 { firstHeard = frame == 0 ? frameTimes.0 : frame == 1 ? frameTimes.1 : frameTimes.2 }
            }
            guard heard > 0 else { continue }
            let rssi = Self.hundredths(best)
            receptions.append(
                Reception(
                    station: stationIDs[Int(link.station)],
                    rssi: rssi,
                    snr: Self.hundredths(bestSNR),
                    nbRep: heard,
                    firstHeard: SimulationTime(milliseconds: firstHeard),
                    stationIndex: link.station,
                    reachIndex: Int32(offset - links.startIndex)
                )
            )
            earliest = min(earliest, firstHeard)
        }
        if receptions.count > 1 {
            receptions.sort { $0.rssi != $1.rssi ? $0.rssi > $1.rssi : $0.stationIndex < $1.stationIndex }
        }
        return (receptions, SimulationTime(milliseconds: earliest))
    }

    /// `value` rounded to hundredths, as Sigfox reports RSSI and SNR.
    static func hundredths(_ value: Double) -> Double {
        (value * 100).rounded(.toNearestOrAwayFromZero) / 100
    }
}
