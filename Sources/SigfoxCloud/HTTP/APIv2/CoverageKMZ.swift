import Foundation
import SigfoxEngine
import SigfoxModel

/// A KMZ of the simulated coverage, as the API v2's tile operations give it: a zip holding one `doc.kml`.
///
/// Simplified (docs/serve.md): the live API's layer is a raster of predicted margins; this one draws, for each
/// base station that is up, a circle of the distance at which the radio model's mean margin falls to the
/// layer's margin (path loss only: no shadowing, no terrain), and the station itself, for the stations whose
/// circle meets the tiles asked for. The zip is stored, not compressed.
struct CoverageKMZ {
    var prediction: CoveragePrediction
    /// The margin (dB) the layer shows: 0 outdoor, 20 indoor, 5 dB more per device class.
    var margin: Double
    var bounds: TileBounds

    /// The KML document.
    var kml: String {
        var placemarks = [String]()
        let radius = prediction.range(margin: margin) ?? 0
        for station in prediction.upStations where bounds.meets(station.position, radius: radius) {
            let ring = (0...36).map { step -> String in
                let angle = Double(step) * .pi / 18
                let degrees = radius / 111_320
                let lat = station.position.latitude + degrees * sin(angle)
                let lng =
                    station.position.longitude + degrees * cos(angle)
                    / max(cos(station.position.latitude * .pi / 180), 0.01)
                return "\(lng),\(lat),0"
            }
            placemarks.append(
                "<Placemark><name>\(station.id)</name><styleUrl>#coverage</styleUrl><MultiGeometry>"
                    + "<Point><coordinates>\(station.position.longitude),\(station.position.latitude),0</coordinates>"
                    + "</Point><Polygon><outerBoundaryIs><LinearRing><coordinates>" + ring.joined(separator: " ")
                    + "</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark>"
            )
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>sigfox-sim coverage, margin "
            + "\(Int(margin)) dB</name><Style id=\"coverage\"><LineStyle><color>ff7f3f00</color></LineStyle>"
            + "<PolyStyle><color>557f3f00</color></PolyStyle></Style>" + placemarks.joined() + "</Document></kml>\n"
    }

    /// The KMZ: `doc.kml` in a zip (stored).
    var data: [UInt8] { Self.zip(name: "doc.kml", contents: Array(kml.utf8)) }

    /// A zip archive of one stored file (PKWARE APPNOTE 4.3: local header, data, central directory, end).
    static func zip(name: String, contents: [UInt8]) -> [UInt8] {
        let nameBytes = Array(name.utf8)
        let crc = crc32(contents)
        var out = [UInt8]()
        func le16(_ value: Int) { out += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func le32(_ value: UInt32) { out += (0..<4).map { UInt8(value >> (8 * $0) & 0xFF) } }
        func common() {
            le16(20)  // version needed
            le16(0)  // flags
            le16(0)  // stored
            le16(0)  // time
            le16(0x21)  // date: 1980-01-01
            le32(crc)
            le32(UInt32(contents.count))
            le32(UInt32(contents.count))
            le16(nameBytes.count)
            le16(0)  // extra
        }
        le32(0x0403_4B50)
        common()
        out += nameBytes + contents
        let directory = out.count
        le32(0x0201_4B50)
        le16(20)  // made by
        common()
        le16(0)  // comment
        le16(0)  // disk
        le16(0)  // internal attributes
        le32(0)  // external attributes
        le32(0)  // offset of the local header
        out += nameBytes
        let directorySize = out.count - directory
        le32(0x0605_4B50)
        le16(0)
        le16(0)
        le16(1)
        le16(1)
        le32(UInt32(directorySize))
        le32(UInt32(directory))
        le16(0)
        return out
    }

    /// CRC-32 (IEEE 802.3), as zip uses it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// The area of a range of map tiles (`zoom`, `north`..`south` rows, `west`..`east` columns, the usual web-map
/// tiling).
struct TileBounds: Sendable {
    var north: Double
    var south: Double
    var west: Double
    var east: Double

    init(zoom: Int, north: Int, south: Int, west: Int, east: Int) {
        let count = Double(1 << zoom)
        func latitude(_ row: Int) -> Double { atan(sinh(.pi * (1 - 2 * Double(row) / count))) * 180 / .pi }
        self.north = latitude(north)
        self.south = latitude(south + 1)
        self.west = Double(west) / count * 360 - 180
        self.east = Double(east + 1) / count * 360 - 180
    }

    /// Whether a circle of `radius` metres around `position` meets the area (by its enclosing box).
    func meets(_ position: GeoPosition, radius: Double) -> Bool {
        let degrees = radius / 111_320
        let wide = degrees / max(cos(position.latitude * .pi / 180), 0.01)
        return position.latitude - degrees <= north && position.latitude + degrees >= south
            && position.longitude - wide <= east && position.longitude + wide >= west
    }
}
