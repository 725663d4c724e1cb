import SigfoxModel

/// What one base station would receive from a device at a point: the margin over the sensitivity.
public struct StationMargin: Sendable, Equatable {
    public var station: BaseStationID
    /// The mean RSSI (dBm) a device at the point would be received with (path loss only, no shadowing).
    public var meanRSSI: Double
    /// `meanRSSI` minus ``NetworkCore/Configuration/sensitivity`` (dB): positive when the station hears a frame
    /// of mean strength.
    public var margin: Double
}

/// The coverage of the simulated network at a point, as the Sigfox API v2's coverage operations give it
/// (`/coverages/global/predictions`, `/coverages/operators/redundancy`, the coverage tiles): computed with the
/// same radio model the network uses for every uplink (``RadioModel``), not a second one.
///
/// A prediction is for a point, not for a device, so it has no device-and-station shadowing (which the radio
/// model draws per device): it is the median the shadowing spreads around. Stations that are down are left
/// out.
public struct CoveragePrediction: Sendable {
    let radio: RadioModel
    let stations: [BaseStation]

    public init(stations: [BaseStation], configuration: NetworkCore.Configuration, seed: UInt64) {
        radio = RadioModel(configuration: configuration, seed: seed)
        self.stations = stations.filter(\.isUp)
    }

    /// The margins of every station that is up at `position`, best first (ties in station order).
    public func margins(at position: GeoPosition) -> [StationMargin] {
        let sensitivity = radio.configuration.sensitivity
        let margins = stations.map { station in
            let rssi = radio.meanRSSI(atDistance: position.distance(to: station.position))
            return StationMargin(station: station.id, meanRSSI: rssi, margin: rssi - sensitivity)
        }
        return margins.enumerated().sorted { ($1.element.margin, $0.offset) < ($0.element.margin, $1.offset) }
            .map(\.element)
    }

    /// The distance (metres) within which a station's mean margin is at least `margin` dB; nil when the path
    /// loss does not depend on distance.
    public func range(margin: Double) -> Double? {
        radio.distance(forRSSI: radio.configuration.sensitivity + margin)
    }

    /// The network's estimate of a device's position from the stations that heard one of its messages (their
    /// positions and RSSI, the best first), and its radius in metres: what DATA_ADVANCED's
    /// `{computedLocation}` carries under the geolocation contract option (SIGFOX.md section 3), for the API v2
    /// to list the same place; nil when no station heard it.
    public func estimatedLocation(
        heard: [(position: GeoPosition, rssi: Double)],
        device: GeoPosition
    ) -> (position: GeoPosition, radius: Int)? {
        heard.isEmpty ? nil : NetworkCore.estimatedLocation(heard, device: device, radio: radio)
    }

    /// The stations that are up, with their positions.
    public var upStations: [BaseStation] { stations }
}
