import Foundation
import SigfoxEngine
import SigfoxModel

extension ScenarioImport {
    /// Where imported devices and base stations stand (see the emulator rules on ``ScenarioImport``).
    struct Layout {
        struct Station {
            var id: BaseStationID
            var position: GeoPosition
            /// The median recorded RSSI (dBm) the position was estimated from.
            var rssi: Double
            /// The API did not give the position.
            var estimated: Bool
        }

        struct Device {
            var id: DeviceID
            var position: GeoPosition
            var seqNumber: Int
            var frames: Int
            /// Made up for a scenario of callbacks only.
            var isExample: Bool
        }

        static let exampleDevice = "C0FFEE"
        /// ASCII digits: readable in any payloadConfig field, and safe in a JSON body even as `char`.
        static let examplePayload = "313233343536"
        /// RSSI kept between these when a station's distance is estimated.
        static let rssiRange = -135.0 ... -80.0

        var stations: [Station] = []
        var devices: [Device] = []

        init(messages: [MessageImport.Message]) {
            guard !messages.isEmpty else {
                stations = [
                    Station(
                        id: BaseStationID(0x1D44),
                        position: ScenarioImport.defaultCenter,
                        rssi: -100,
                        estimated: false
                    )
                ]
                devices = [
                    Device(
                        id: DeviceID(hex: Self.exampleDevice)!,
                        position: ScenarioImport.defaultCenter,
                        seqNumber: 0,
                        frames: 3,
                        isExample: true
                    )
                ]
                return
            }
            // Stations: recorded positions and the median RSSI of each.
            var stationOrder = [BaseStationID]()
            var known = [BaseStationID: GeoPosition]()
            var rssis = [BaseStationID: [Double]]()
            var heardBy = [BaseStationID: [DeviceID]]()
            for message in messages {
                for reception in message.receptions {
                    if rssis[reception.station] == nil {
                        stationOrder.append(reception.station)
                        rssis[reception.station] = []
                    }
                    if let rssi = reception.rssi { rssis[reception.station]!.append(rssi) }
                    if known[reception.station] == nil, let position = reception.position {
                        known[reception.station] = position
                    }
                    if heardBy[reception.station]?.contains(message.device) != true {
                        heardBy[reception.station, default: []].append(message.device)
                    }
                }
            }
            // Devices: computedLocation, else amid the known stations that heard them, else the centre.
            let everyKnown = Array(known.values) + messages.compactMap(\.location)
            let center = everyKnown.isEmpty ? ScenarioImport.defaultCenter : Self.centroid(everyKnown)
            var deviceOrder = [DeviceID]()
            var first = [DeviceID: MessageImport.Message]()
            var located = [DeviceID: GeoPosition]()
            var stationsOf = [DeviceID: Set<BaseStationID>]()
            for message in messages {
                if first[message.device] == nil {
                    deviceOrder.append(message.device)
                    first[message.device] = message
                }
                if located[message.device] == nil, let location = message.location {
                    located[message.device] = location
                }
                stationsOf[message.device, default: []].formUnion(message.receptions.map(\.station))
            }
            for id in deviceOrder {
                let message = first[id]!
                let heard = stationsOf[id, default: []].compactMap { known[$0] }
                let position = located[id] ?? (heard.isEmpty ? center : Self.centroid(heard))
                devices.append(
                    Device(
                        id: id,
                        position: position,
                        seqNumber: message.seqNumber ?? 0,
                        frames: message.frames == 1 ? 1 : 3,
                        isExample: false
                    )
                )
            }
            // Stations without a position: at the distance of their median RSSI around their devices, spread
            // by the golden angle so they do not sit on one line.
            var unplaced = 0
            let configuration = NetworkCore.Configuration()
            for id in stationOrder {
                let median = Self.median(rssis[id] ?? []) ?? -120
                if let position = known[id] {
                    stations.append(Station(id: id, position: position, rssi: median, estimated: false))
                    continue
                }
                let around = devices.filter { heardBy[id]?.contains($0.id) == true }.map(\.position)
                let origin = around.isEmpty ? center : Self.centroid(around)
                let rssi = min(max(median, Self.rssiRange.lowerBound), Self.rssiRange.upperBound)
                let exponent = configuration.pathLossExponent > 0 ? configuration.pathLossExponent : 3
                let kilometres = pow(
                    10,
                    (configuration.transmitPower - configuration.referencePathLoss - rssi) / (10 * exponent)
                )
                let bearing = Double(unplaced) * 137.508 * Double.pi / 180
                unplaced += 1
                let latitude = origin.latitude + kilometres * cos(bearing) / 111.32
                let scale = max(0.01, cos(origin.latitude * Double.pi / 180))
                let longitude = origin.longitude + kilometres * sin(bearing) / (111.32 * scale)
                stations.append(
                    Station(
                        id: id,
                        position: GeoPosition(latitude: latitude, longitude: longitude),
                        rssi: median,
                        estimated: true
                    )
                )
            }
            if stations.isEmpty {
                // Nothing recorded who heard the messages: one station near the devices (a downlink goes out through it).
                stations = [Station(id: BaseStationID(0x1D44), position: center, rssi: -100, estimated: false)]
            }
        }

        static func centroid(_ positions: [GeoPosition]) -> GeoPosition {
            let count = Double(positions.count)
            return GeoPosition(
                latitude: positions.map(\.latitude).reduce(0, +) / count,
                longitude: positions.map(\.longitude).reduce(0, +) / count
            )
        }

        static func median(_ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }
}
