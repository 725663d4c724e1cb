import SigfoxModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension NetworkCore {
    /// `{reception}` of DATA and `{duplicates}` of DATA_ADVANCED, one entry per station, best first
    /// (SIGFOX.md section 3): `[{"id":"A9DC","RSSI":-113.0,"SNR":17.28}]` and
    /// `[{"bsId":"1D44","rssi":-120.0,"snr":12.5,"nbRep":3}]`. Each number is written once and copied.
    static func receptionJSON(_ receptions: [Reception]) -> (reception: String, duplicates: String) {
        var reception = JSONBytes(capacity: 40 * receptions.count + 2)
        var duplicates = JSONBytes(capacity: 52 * receptions.count + 2)
        reception.append("[")
        duplicates.append("[")
        for (index, entry) in receptions.enumerated() {
            reception.append(index == 0 ? #"{"id":""# : #",{"id":""#)
            duplicates.append(index == 0 ? #"{"bsId":""# : #",{"bsId":""#)
            reception.appendStation(entry.station)
            duplicates.appendStation(entry.station)
            reception.append(#"","RSSI":"#)
            duplicates.append(#"","rssi":"#)
            var start = reception.bytes.count
            reception.appendDecimal(entry.rssi, scale: 100)
            duplicates.append(reception.bytes[start...])
            reception.append(#","SNR":"#)
            duplicates.append(#","snr":"#)
            start = reception.bytes.count
            reception.appendDecimal(entry.snr, scale: 100)
            duplicates.append(reception.bytes[start...])
            reception.append("}")
            duplicates.append(#","nbRep":"#)
            duplicates.appendInteger(Int64(entry.nbRep))
            duplicates.append("}")
        }
        reception.append("]")
        duplicates.append("]")
        return (reception.text, duplicates.text)
    }

    /// `{computedLocation}` of DATA_ADVANCED with the geolocation contract (SIGFOX.md section 3):
    /// `{"lat":..,"lng":..,"radius":metres,"source":2,"status":1}`.
    ///
    /// **Emulator rule:** the network's estimate starts from the centroid of the stations that heard the
    /// message, each weighted by its received power (RSSI in milliwatts, relative to the best), and moves
    /// from it toward where the device is by n/(n+1) of the way for n stations (half way with one station,
    /// three quarters with three), so it is never a station's coordinates unless the device stands there,
    /// and better with more stations. The radius is the power-weighted mean of the distances the path-loss
    /// model gives for each station's RSSI, divided by √(stations), at least 100 m, rounded to metres.
    /// Latitude and longitude are written in full (`35.50534111741823`), as real bodies show them. `source`
    /// 2 is the network.
    func computedLocationJSON(_ receptions: [Reception], device: GeoPosition) -> String {
        // Lazily: DATA_ADVANCED renders this once a message, and the estimate reads each station once.
        let heard = receptions.lazy.map { (position: stations[Int($0.stationIndex)].station.position, rssi: $0.rssi) }
        let (estimate, radius) = Self.estimatedLocation(heard, device: device, radio: radio)
        return Self.locationJSON(estimate, radius: radius, source: 2)
    }

    /// The network's estimate of where `device` is from the stations that heard a message (their positions
    /// and RSSI, the best first), and its radius in metres: the rule of ``computedLocationJSON(_:device:)``.
    static func estimatedLocation(
        _ heard: some Collection<(position: GeoPosition, rssi: Double)>,
        device: GeoPosition,
        radio: RadioModel
    ) -> (position: GeoPosition, radius: Int) {
        // Never empty (its callers list what was heard); were it so, the device's own place.
        guard let bestRSSI = heard.first?.rssi else { return (device, 100) }
        var weightSum = 0.0
        var latitude = 0.0
        var longitude = 0.0
        var distance = 0.0
        for reception in heard {
            let weight = pow(10, (reception.rssi - bestRSSI) / 10)
            weightSum += weight
            latitude += weight * reception.position.latitude
            longitude += weight * reception.position.longitude
            distance += weight * (radio.distance(forRSSI: reception.rssi) ?? 1000)
        }
        let radius = max(100, (distance / weightSum / Double(heard.count).squareRoot()).rounded())
        let pull = Double(heard.count) / Double(heard.count + 1)
        let estimate = GeoPosition(
            latitude: latitude / weightSum + (device.latitude - latitude / weightSum) * pull,
            longitude: longitude / weightSum + (device.longitude - longitude / weightSum) * pull
        )
        return (estimate, Int(radius))
    }

    /// `{"lat":..,"lng":..,"radius":..,"source":..,"status":1}` with the coordinates in their shortest exact
    /// form.
    static func locationJSON(_ position: GeoPosition, radius: Int, source: Int) -> String {
        "{\"lat\":\(position.latitude),\"lng\":\(position.longitude),\"radius\":\(radius),"
            + "\"source\":\(source),\"status\":1}"
    }
}

extension NetworkCore {
    /// A recorded `computedLocation` as DATA_ADVANCED writes it: latitude and longitude as recorded (their
    /// shortest form), the recorded radius (or 0) and source code (or 2, the network), status 1.
    static func recordedLocationJSON(_ location: RecordedUplink.Location) -> String {
        locationJSON(location.position, radius: location.radius ?? 0, source: location.source ?? 2)
    }
}

/// A small byte buffer for the JSON variables, faster than growing a `String` piece by piece.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ slice: ArraySlice<UInt8>) {
        bytes.append(contentsOf: slice)
    }

    /// The upper-case hex digits of a station id, at least 4 (SIGFOX.md section 1; longer ids as the API
    /// writes them, ``BaseStationID/description``).
    mutating func appendStation(_ station: BaseStationID) {
        let id = station.rawValue
        var digits = 4
        while digits < 8, id >> (4 * UInt32(digits)) != 0 { digits += 1 }
        for index in (0..<digits).reversed() { appendHexDigit(UInt8((id >> (4 * UInt32(index))) & 0xF)) }
    }

    private mutating func appendHexDigit(_ nibble: UInt8) {
        bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10)
    }

    mutating func appendInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        if magnitude < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        if magnitude < 1000 {
            let small = UInt32(magnitude)
            if small >= 100 { bytes.append(UInt8(ascii: "0") + UInt8(small / 100)) }
            bytes.append(UInt8(ascii: "0") + UInt8(small / 10 % 10))
            bytes.append(UInt8(ascii: "0") + UInt8(small % 10))
            return
        }
        var divisor: UInt64 = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }

    /// `value` rounded to 1/`scale` (100 or 1,000,000), written as Swift's shortest form writes such a
    /// number: `-113.0`, `17.28`, `12.5`, `45.009112`. Values that form would write with an exponent are
    /// handed to it.
    mutating func appendDecimal(_ value: Double, scale: Int64) {
        let scaled = (value * Double(scale)).rounded(.toNearestOrAwayFromZero)
        let rounded = scaled / Double(scale)
        guard scaled.isFinite, scaled.magnitude < 1e12, rounded.magnitude >= 1e-4 || scaled == 0 else {
            bytes.append(contentsOf: VariableValue.shortest(rounded).utf8)
            return
        }
        let units = Int64(scaled)
        if units < 0 || (units == 0 && value.sign == .minus) { bytes.append(UInt8(ascii: "-")) }
        appendInteger(Int64(units.magnitude) / scale)
        bytes.append(UInt8(ascii: "."))
        var fraction = Int64(units.magnitude) % scale
        guard fraction != 0 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var divisor = scale / 10
        while fraction > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
}
