import Foundation
import HTTPTypes
import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `/v2/tiles`: the simulated coverage as a map layer (``CoverageKMZ``).
///
/// **Emulator rules** (docs/serve.md): the emulator serves no PNG tiles; `tmsTemplateUrl` names the KMZ of one
/// tile (`.../kmz/tiles.kmz?zoom={z}&west={x}&east={x}&north={y}&south={y}`) and `bounds` is the box of the
/// stations' outdoor coverage. Monarch (the roaming beacons) is the same simulated network: its layer is the
/// public one. A KMZ job is done when it is created.
extension APIv2 {
    var tileRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("tiles/public-coverage") { request, _ in tiles(request, "tiles/public-coverage/kmz/tiles.kmz") }
        routes.get("tiles/public-coverage/kmz/tiles.kmz") { request, _ in
            try kmzFile(request, margin: 0)
        }
        routes.get("tiles/monarch") { request, _ in tiles(request, "tiles/public-coverage/kmz/tiles.kmz") }
        routes.post("tiles/monarch/kmz") { request, context in
            var object = try await bodyObject(request, context)
            let margin: Double
            do throws(ConfigError) {
                try object.rejectingUnknown(["coverageMode"])
                margin = try Self.coverageMargin(try object.string("coverageMode") ?? "OVERLAP_OUTDOOR", object)
            } catch {
                throw APIError(error)
            }
            let id = jobs.add(.kmz(time: now, margin: margin))
            return Self.created(request, StartedJob(jobId: id), id: id)
        }
        routes.get("tiles/monarch/kmz/:jobId") { _, context in
            let (time, _) = try kmzJob(context)
            return JSONAnswer(KMZStatus(jobDone: true, time: time))
        }
        routes.get("tiles/monarch/kmz/:jobId/tiles.kmz") { request, context in
            try kmzFile(request, margin: try kmzJob(context).margin)
        }
        return routes
    }

    /// The margin of a `coverageMode`: outdoor 0 dB, indoor 20 dB, 5 dB more per device class (`_U1`..`_U3`).
    static func coverageMargin(_ mode: String, _ object: ConfigObject) throws(ConfigError) -> Double {
        let parts = mode.split(separator: "_")
        guard parts.count >= 2, parts[0] == "OVERLAP", parts[1] == "INDOOR" || parts[1] == "OUTDOOR",
            parts.count == 2 || (parts.count == 3 && ["U1", "U2", "U3"].contains(parts[2]))
        else {
            throw object.error("coverageMode", "expected OVERLAP_INDOOR or OVERLAP_OUTDOOR, with _U1, _U2 or _U3")
        }
        let deviceClass = parts.count == 3 ? Double(parts[2].dropFirst()) ?? 0 : 0
        return (parts[1] == "INDOOR" ? 20 : 0) + 5 * deviceClass
    }

    func kmzJob(_ context: BasicRequestContext) throws(APIError) -> (time: Int64, margin: Double) {
        guard case .kmz(let time, let margin) = jobs.job(context.parameters.get("jobId") ?? "") else {
            throw APIError(status: 404, message: "The requested resource was not found: no such job")
        }
        return (time, margin)
    }

    /// `tilesResponse`.
    func tiles(_ request: Request, _ kmzPath: String) -> JSONAnswer {
        let model = prediction
        let radius = model.range(margin: 0) ?? 0
        let degrees = radius / 111_320
        var sw = LatLng(lat: 90, lng: 180)
        var ne = LatLng(lat: -90, lng: -180)
        for station in model.upStations {
            let wide = degrees / max(cos(station.position.latitude * .pi / 180), 0.01)
            sw = LatLng(
                lat: max(-90, min(sw.lat, station.position.latitude - degrees)),
                lng: max(-180, min(sw.lng, station.position.longitude - wide))
            )
            ne = LatLng(
                lat: min(90, max(ne.lat, station.position.latitude + degrees)),
                lng: min(180, max(ne.lng, station.position.longitude + wide))
            )
        }
        if model.upStations.isEmpty {
            sw = LatLng(lat: 0, lng: 0)
            ne = LatLng(lat: 0, lng: 0)
        }
        let base = request.absoluteURL("/v2/" + kmzPath)
        return JSONAnswer(
            TilesAnswer(
                baseImgUrl: base,
                tmsTemplateUrl: base + "?zoom={z}&west={x}&east={x}&north={y}&south={y}",
                bounds: TilesAnswer.Bounds(sw: sw, ne: ne)
            )
        )
    }

    /// The KMZ of the tiles the query names.
    func kmzFile(_ request: Request, margin: Double) throws(APIError) -> Response {
        let query = try V2Query(request, allowed: ["zoom", "north", "south", "west", "east"])
        var values = [String: Int]()
        for name in ["zoom", "north", "south", "west", "east"] {
            guard let text = query.values[name] else { throw V2Error.invalid("query", name, "'\(name)' is required") }
            guard let value = Int(text), value >= 0 else {
                throw V2Error.invalid("query", name, "expected a whole number 0 or more, found '\(text)'")
            }
            values[name] = value
        }
        let zoom = values["zoom"]!
        guard zoom <= 20 else { throw V2Error.invalid("query", "zoom", "expected a zoom level in 0...20") }
        for name in ["north", "south", "west", "east"] where values[name]! >= 1 << zoom {
            throw V2Error.invalid("query", name, "expected a tile index below \(1 << zoom) at zoom \(zoom)")
        }
        guard values["north"]! <= values["south"]!, values["west"]! <= values["east"]! else {
            throw V2Error.invalid("query", "south", "expected north <= south and west <= east (tile indexes)")
        }
        let kmz = CoverageKMZ(
            prediction: prediction,
            margin: margin,
            bounds: TileBounds(
                zoom: zoom,
                north: values["north"]!,
                south: values["south"]!,
                west: values["west"]!,
                east: values["east"]!
            )
        )
        return Response(
            status: .ok,
            headers: [.contentType: "application/vnd.google-earth.kmz"],
            body: .init(byteBuffer: ByteBuffer(bytes: kmz.data))
        )
    }
}

/// A position in `tilesResponse`'s bounds.
struct LatLng: Encodable, Sendable {
    var lat: Double
    var lng: Double
}

/// `tilesResponse`.
struct TilesAnswer: Encodable, Sendable {
    var baseImgUrl: String
    var tmsTemplateUrl: String
    var bounds: Bounds

    struct Bounds: Encodable, Sendable {
        var sw: LatLng
        var ne: LatLng
    }
}

/// `kmzStatusResponse`.
struct KMZStatus: Encodable, Sendable {
    var jobDone: Bool
    var time: Int64
}
