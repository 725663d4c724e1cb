import Foundation
import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `/v2/coverages`: the coverage of the simulated network at a point, computed from the scenario's base
/// stations and the radio model the network uses for every uplink (``CoveragePrediction``).
///
/// **Emulator rules:** a point's `margins` are the mean margins over the sensitivity (dB, whole numbers, 0 at
/// the least) of the best, second and third station: what a device there would get before shadowing and
/// frame noise; a point is covered when the best margin is above 0. `radius` averages the margins over the
/// point and eight points on a circle of that radius. The redundancy is the number of stations with a margin
/// above 0 (3 at most), less the margin `deviceClassId` (0..3, 5 dB each) and `deviceSituation` (`INDOOR`
/// 20 dB, `UNDERGROUND` 30 dB) take away; `groupId` and `operatorId` are accepted and do not change it.
extension APIv2 {
    var coverageRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("coverages/global/predictions") { request, _ in
            let query = try V2Query(request, allowed: ["lat", "lng", "radius", "groupId"])
            let point = try Self.point(query, radius: try Self.number(query, "radius", in: 0...100_000))
            return JSONAnswer(CoverageMargins(coveragePoint(point.position, radius: point.radius)))
        }
        routes.post("coverages/global/predictions") { request, context in
            let points = try await coverageRequest(request, context)
            return JSONAnswer(CoverageAnswer(data: points))
        }
        routes.post("coverages/global/predictions/bulk") { request, context in
            let points = try await coverageRequest(request, context)
            let id = jobs.add(.predictions(time: now, results: points))
            return Self.created(request, StartedJob(jobId: id), id: id)
        }
        routes.get("coverages/global/predictions/bulk/:jobId") { _, context in
            guard case .predictions(let time, let results) = jobs.job(context.parameters.get("jobId") ?? "") else {
                throw APIError(status: 404, message: "The requested resource was not found: no such job")
            }
            return JSONAnswer(CoverageBulkAnswer(jobDone: true, time: time, results: results))
        }
        routes.get("coverages/operators/redundancy") { request, _ in
            let query = try V2Query(
                request,
                allowed: ["lat", "lng", "operatorId", "deviceSituation", "deviceClassId"]
            )
            let point = try Self.point(query, radius: nil)
            let penalty = try Self.redundancyPenalty(query)
            let heard = prediction.margins(at: point.position).prefix { $0.margin - penalty > 0 }.count
            return JSONAnswer(Redundancy(redundancy: min(heard, 3)))
        }
        return routes
    }

    var prediction: CoveragePrediction {
        let scenario = configuration.scenario
        return CoveragePrediction(stations: scenario.baseStations, configuration: scenario.network, seed: scenario.seed)
    }

    var now: Int64 { engine.metrics.simulationNow.load(ordering: .relaxed) }

    /// The answer for one point: its margins for redundancy 1, 2 and 3.
    func coveragePoint(_ position: GeoPosition, radius: Double?) -> CoveragePoint {
        let model = prediction
        var positions = [position]
        if let radius, radius > 0 {
            // Eight points on the circle, by the equirectangular approximation (good to a few metres at a km).
            let degrees = radius / 111_320
            for step in 0..<8 {
                let angle = Double(step) * .pi / 4
                positions.append(
                    GeoPosition(
                        latitude: position.latitude + degrees * sin(angle),
                        longitude: position.longitude + degrees * cos(angle)
                            / max(cos(position.latitude * .pi / 180), 0.01)
                    )
                )
            }
        }
        var sums = [0.0, 0.0, 0.0]
        for point in positions {
            let margins = model.margins(at: point)
            for level in 0..<3 where level < margins.count { sums[level] += max(0, margins[level].margin) }
        }
        let margins = sums.map { Int(($0 / Double(positions.count)).rounded()) }
        return CoveragePoint(
            lat: position.latitude,
            lng: position.longitude,
            locationCovered: margins[0] > 0,
            margins: margins
        )
    }

    /// The points of a `globalCoverageRequest` body, answered.
    func coverageRequest(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> [CoveragePoint] {
        var object = try await bodyObject(request, context)
        do throws(ConfigError) {
            try object.rejectingUnknown(["locations", "radius", "groupId"])
            let radius = try object.double("radius")
            if let radius, !(0...100_000).contains(radius) {
                throw object.error("radius", "expected a radius in metres, 0 to 100000")
            }
            _ = try object.string("groupId")
            guard let locations = object.node["locations"]?.items, object.node["locations"]?.items != nil else {
                throw ConfigError(location: nil, path: "locations", message: "'locations' is required")
            }
            var points = [CoveragePoint]()
            for (index, item) in locations.enumerated() {
                var location = try ConfigObject(item, path: "locations[\(index)]")
                guard let lat = try location.double("lat"), (-90...90).contains(lat) else {
                    throw location.error("lat", "expected a latitude in -90...90")
                }
                guard let lng = try location.double("lng"), (-180...180).contains(lng) else {
                    throw location.error("lng", "expected a longitude in -180...180")
                }
                try location.rejectingUnknown(["lat", "lng"])
                points.append(coveragePoint(GeoPosition(latitude: lat, longitude: lng), radius: radius))
            }
            return points
        } catch {
            throw APIError(error)
        }
    }

    /// `lat` and `lng` of the query (required), and the radius.
    static func point(_ query: V2Query, radius: Double?) throws(APIError) -> (position: GeoPosition, radius: Double?) {
        guard let lat = try number(query, "lat", in: -90...90) else {
            throw V2Error.invalid("query", "lat", "'lat' is required")
        }
        guard let lng = try number(query, "lng", in: -180...180) else {
            throw V2Error.invalid("query", "lng", "'lng' is required")
        }
        return (GeoPosition(latitude: lat, longitude: lng), radius)
    }

    static func number(_ query: V2Query, _ name: String, in range: ClosedRange<Double>) throws(APIError) -> Double? {
        guard let text = query.values[name] else { return nil }
        guard let value = Double(text), range.contains(value) else {
            throw V2Error.invalid(
                "query",
                name,
                "expected a number in \(range.lowerBound)...\(range.upperBound), found '\(text)'"
            )
        }
        return value
    }

    /// The margin (dB) a device's class and situation take from what the stations receive.
    static func redundancyPenalty(_ query: V2Query) throws(APIError) -> Double {
        var penalty = 5 * (try number(query, "deviceClassId", in: 0...3) ?? 0)
        switch query.values["deviceSituation"]?.uppercased() {
        case nil, "OUTDOOR": break
        case "INDOOR": penalty += 20
        case "UNDERGROUND": penalty += 30
        case let other?:
            throw V2Error.invalid(
                "query",
                "deviceSituation",
                "expected OUTDOOR, INDOOR or UNDERGROUND, found '\(other)'"
            )
        }
        return penalty
    }
}

/// One point of `globalCoverageResponse`.
struct CoveragePoint: Encodable, Sendable {
    var lat: Double
    var lng: Double
    var locationCovered: Bool
    var margins: [Int]
}

/// The answer of `GET /coverages/global/predictions`: one point without its position.
struct CoverageMargins: Encodable, Sendable {
    var locationCovered: Bool
    var margins: [Int]

    init(_ point: CoveragePoint) {
        locationCovered = point.locationCovered
        margins = point.margins
    }
}

/// `globalCoverageResponse`.
struct CoverageAnswer: Encodable, Sendable {
    var data: [CoveragePoint]
}

/// `globalCoverageBulkResponse`.
struct CoverageBulkAnswer: Encodable, Sendable {
    var jobDone: Bool
    var time: Int64
    var results: [CoveragePoint]
}

/// `redundancyResponse`.
struct Redundancy: Encodable, Sendable {
    var redundancy: Int
}
