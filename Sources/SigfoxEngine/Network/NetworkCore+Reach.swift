import SigfoxModel

/// Why no station heard an uplink. A message no station heard never reaches the cloud (SIGFOX.md section
/// 1), so it fires no callback; the reason is kept so that a loss is never silent (the run's report,
/// `serve`'s answer and event stream say it).
public enum LossReason: String, Sendable, Hashable, CaseIterable {
    /// The network has no base station at all.
    case noStation = "no base station"
    /// No station stands close enough for any frame to be heard, whatever the noise.
    case outOfReach = "out of reach"
    /// Every station in the device's reach was down when it sent.
    case stationsDown = "stations down"
    /// Stations in reach were up, but every frame was too weak (with the noise of the moment) or lost.
    case framesMissed = "frames missed"
    /// A recorded message none of whose stations is in the network.
    case recordedStationsAbsent = "recorded stations absent"
}

/// The uplinks of one device lost for one reason, with the words that explain it.
public struct LostUplinks: Sendable, Equatable {
    public var device: DeviceID
    public var reason: LossReason
    public var count: Int
    /// `out of every base station's reach: the nearest, 1D44, is 312.4 km away; a frame carries about 76 km`.
    public var explanation: String
}

/// Where a device stands against the base stations: which can hear it at all, and the nearest one.
public struct DeviceReach: Sendable, Equatable {
    public var device: DeviceID
    /// The stations some frame of the device could reach (the radio model's bounded noise included).
    public var stations: [BaseStationID]
    /// The nearest station and its distance, nil without stations.
    public var nearest: (station: BaseStationID, kilometres: Double)?
    /// How far a frame carries at best (mean RSSI plus the noise's bound at the sensitivity), nil when the
    /// path loss does not depend on distance.
    public var rangeKilometres: Double?

    public var isOutOfReach: Bool { stations.isEmpty }

    /// Why the device is heard by no station: `no base station in the network`, or `out of every base
    /// station's reach: the nearest, 1D44, is 312.4 km away; a frame carries about 76 km`.
    public var explanation: String {
        guard let nearest else { return "the network has no base station" }
        var text =
            "out of every base station's reach: the nearest, \(nearest.station), is "
            + Self.kilometres(nearest.kilometres) + " away"
        if let rangeKilometres { text += "; a frame carries about " + Self.kilometres(rangeKilometres) }
        return text
    }

    static func kilometres(_ value: Double) -> String {
        value >= 10 ? "\(Int(value.rounded())) km" : oneDecimal(value) + " km"
    }

    /// `4.5`, `-139.8`: one decimal, without Foundation.
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    public static func == (lhs: DeviceReach, rhs: DeviceReach) -> Bool {
        lhs.device == rhs.device && lhs.stations == rhs.stations && lhs.nearest?.station == rhs.nearest?.station
            && lhs.nearest?.kilometres == rhs.nearest?.kilometres && lhs.rangeKilometres == rhs.rangeKilometres
    }
}

extension NetworkCore {
    /// One device's place in the lost-uplink tally.
    struct LossKey: Hashable, Sendable {
        var device: Int32
        var reason: LossReason
    }

    /// Which stations can hear `device` from where it stands, with the radio model of `configuration` and
    /// the shadowing `seed` gives: the same reach the network computes when it loads (so a scenario can say
    /// at load which device no station will ever hear).
    public static func reach(
        of device: Device,
        stations: [BaseStation],
        configuration: Configuration = Configuration(),
        seed: UInt64
    ) -> DeviceReach {
        let radio = RadioModel(configuration: configuration, seed: seed)
        let links = radio.reach(from: device.position, device: device.id, stations: stations)
        let nearest = stations.map { ($0.id, device.position.distance(to: $0.position) / 1000) }.min { $0.1 < $1.1 }
        let margin = configuration.rssiNoise * SeededGenerator.gaussianishBound
        return DeviceReach(
            device: device.id,
            stations: links.map { stations[Int($0.station)].id },
            nearest: nearest.map { (station: $0.0, kilometres: $0.1) },
            rangeKilometres: radio.distance(forRSSI: configuration.sensitivity - margin).map { $0 / 1000 }
        )
    }

    /// Counts a lost uplink of `device` for `reason`, and keeps the reason as ``lastLoss``.
    mutating func noteLoss(device: Int, reason: LossReason) {
        lastLoss = reason
        losses[LossKey(device: Int32(device), reason: reason), default: 0] += 1
    }

    /// Why no station heard the uplink `device` just sent through the radio model.
    func lossReason(device: Int) -> LossReason {
        guard !stationIDs.isEmpty else { return .noStation }
        let range = devices[device].links
        guard !range.isEmpty else { return .outOfReach }
        return links[range].allSatisfy { !stationUp[Int($0.station)] } ? .stationsDown : .framesMissed
    }

    /// Every lost uplink, per device (in fleet order) and reason, with what explains it.
    public func lostUplinks() -> [LostUplinks] {
        losses.sorted { ($0.key.device, $0.key.reason.rawValue) < ($1.key.device, $1.key.reason.rawValue) }.map {
            key,
            count in
            LostUplinks(
                device: devices[Int(key.device)].device.id,
                reason: key.reason,
                count: count,
                explanation: lossExplanation(device: Int(key.device), reason: key.reason)
            )
        }
    }

    /// The words for a loss of `device` for `reason` (nil for a device not in the network).
    public func lossExplanation(of device: DeviceID, reason: LossReason) -> String? {
        deviceIndexByID[device].map { lossExplanation(device: Int($0), reason: reason) }
    }

    /// The words for one device's loss: which stations, how far, how weak.
    func lossExplanation(device: Int, reason: LossReason) -> String {
        let state = devices[device]
        switch reason {
        case .noStation:
            return "the network has no base station"
        case .outOfReach:
            return Self.reach(of: state.device, stations: fleetStations, configuration: configuration, seed: radio.seed)
                .explanation
        case .stationsDown:
            let names = links[state.links].map { stationIDs[Int($0.station)].description }
            return "every station in its reach was down (\(names.joined(separator: ", ")))"
        case .framesMissed:
            let best = links[state.links].max { $0.meanRSSI < $1.meanRSSI }
            let station = best.map { stationIDs[Int($0.station)].description } ?? "?"
            let rssi = best.map { DeviceReach.oneDecimal($0.meanRSSI) } ?? "?"
            return "no station heard any of its frames: the best, \(station), receives it at \(rssi) dBm on "
                + "average, near the \(DeviceReach.oneDecimal(configuration.sensitivity)) dBm a frame needs "
                + "(with the noise of the moment), or its frames were lost"
        case .recordedStationsAbsent:
            return "none of the stations that recorded it is in the network"
        }
    }
}
