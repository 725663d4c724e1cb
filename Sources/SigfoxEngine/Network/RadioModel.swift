import SigfoxModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the frames of one uplink into what each base station heard (SIGFOX.md section 1).
///
/// The mean RSSI at a station comes from a log-distance path loss over the haversine distance:
/// `transmitPower - referencePathLoss - 10·n·log10(d / 1 km)`. Each frame adds seeded noise
/// (``SeededGenerator/nextGaussianish()``, bounded to ±3.46 σ) and may be lost with a fixed probability;
/// a frame below the sensitivity is not heard, and none is heard above ``NetworkCore/Configuration/maximumRSSI``.
/// SNR follows the piecewise model of ``snr(forRSSI:)``.
///
/// Because the noise is bounded, a station whose mean RSSI plus the bound is below the sensitivity can
/// never hear the device: ``reach(from:stations:)`` leaves it out once, when the fleet is loaded, and
/// the per-uplink work only visits stations in reach, with no change to any result.
struct RadioModel: Sendable {
    let configuration: NetworkCore.Configuration

    /// One station a device can reach, with the mean RSSI there.
    struct Link: Sendable {
        var station: Int32
        var meanRSSI: Double
    }

    /// The mean RSSI (dBm) at `metres` from the device.
    func meanRSSI(atDistance metres: Double) -> Double {
        let kilometres = max(metres, 1) / 1000
        let loss = configuration.referencePathLoss + 10 * configuration.pathLossExponent * log10(kilometres)
        return configuration.transmitPower - loss
    }

    /// The SNR (dB) a station measures for a frame of `rssi` dBm: `rssi + snrOffset` up to the knee, then
    /// `snrSlopeAboveKnee` dB per dB, within 0...maximumSNR.
    func snr(forRSSI rssi: Double) -> Double {
        let knee = configuration.snrKnee
        let atKnee = knee + configuration.snrOffset
        let snr =
            rssi <= knee ? rssi + configuration.snrOffset : atKnee + configuration.snrSlopeAboveKnee * (rssi - knee)
        return min(configuration.maximumSNR, max(0, snr))
    }

    /// The distance (metres) at which the mean RSSI is `rssi`: the path-loss model read backwards; nil
    /// when the model does not depend on distance.
    func distance(forRSSI rssi: Double) -> Double? {
        guard configuration.pathLossExponent > 0 else { return nil }
        let loss = configuration.transmitPower - rssi - configuration.referencePathLoss
        return 1000 * pow(10, loss / (10 * configuration.pathLossExponent))
    }

    /// The stations (indices into `stations`, in order) that some frame from `position` could reach.
    func reach(from position: GeoPosition, stations: [BaseStation]) -> [Link] {
        let margin = configuration.rssiNoise * SeededGenerator.gaussianishBound
        var links: [Link] = []
        for (index, station) in stations.enumerated() {
            let mean = meanRSSI(atDistance: position.distance(to: station.position))
            if mean + margin >= configuration.sensitivity {
                links.append(Link(station: Int32(index), meanRSSI: mean))
            }
        }
        return links
    }

    /// The receptions of one uplink, best RSSI first, and the time of the earliest frame heard.
    ///
    /// Draws from `generator` in a fixed order: the frame gaps, then for each station in reach (in station
    /// order) and each frame, the noise and, when the frame is strong enough to be heard, the loss.
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
        let lossProbability = configuration.frameLossProbability
        let sensitivity = configuration.sensitivity
        var receptions: [Reception] = []
        var earliest = Int64.max
        for (offset, link) in zip(links.indices, links) where stationUp[Int(link.station)] {
            var best = -Double.infinity
            var heard = 0
            var firstHeard = Int64.max
            for frame in 0..<frames {
                let rssi = sigma > 0 ? link.meanRSSI + sigma * generator.nextGaussianish() : link.meanRSSI
                guard rssi >= sensitivity else { continue }
                if lossProbability > 0, generator.nextUnit() < lossProbability { continue }
                heard += 1
                best = max(best, rssi)
                if heard == 1 { firstHeard = frame == 0 ? frameTimes.0 : frame == 1 ? frameTimes.1 : frameTimes.2 }
            }
            guard heard > 0 else { continue }
            let rssi = Self.hundredths(min(best, configuration.maximumRSSI))
            receptions.append(
                Reception(
                    station: stationIDs[Int(link.station)],
                    rssi: rssi,
                    snr: Self.hundredths(snr(forRSSI: rssi)),
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
