import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// Reads of one device beyond the device itself: its computed locations, its certificates, its consumption.
extension APIv2 {
    var deviceReadRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("devices/:id/locations") { request, context in try locations(request, try deviceID(context)) }
        routes.get("devices/:id/certificate/modem") { request, context in
            _ = try V2Query(request, allowed: ["fields"])
            _ = try deviceID(context)
            return JSONAnswer(V2ModemCertificate())
        }
        routes.get("devices/:id/certificate/product") { request, context in
            _ = try V2Query(request, allowed: ["fields"])
            return JSONAnswer(V2ProductCertificate(devKit: isPrototype(try deviceID(context))))
        }
        routes.get("devices/:id/product-certificate") { request, context in
            try productCertificate(request, try deviceID(context))
        }
        routes.get("devices/:id/consumption/:year") { _, context in
            try consumption(try deviceID(context), year: try Self.pathNumber(context, "year", in: 1970...9999))
        }
        routes.get("devices/:id/consumption/:year/:month") { _, context in
            try consumption(
                try deviceID(context),
                year: try Self.pathNumber(context, "year", in: 1970...9999),
                month: try Self.pathNumber(context, "month", in: 1...12)
            )
        }
        return routes
    }

    /// A whole number in `range` from the path; else a 400 naming the parameter.
    static func pathNumber(
        _ context: BasicRequestContext,
        _ name: String,
        in range: ClosedRange<Int>
    ) throws(APIError) -> Int {
        let text = context.parameters.get(name) ?? ""
        guard let value = Int(text), range.contains(value) else {
            throw V2Error.invalid(
                "path",
                name,
                "expected a whole number in \(range.lowerBound)...\(range.upperBound), found '\(text)'"
            )
        }
        return value
    }

    func isPrototype(_ id: DeviceID) -> Bool {
        let document = configuration.document
        let node = document.deviceNodeIndex(id).map { document.devices[$0] }
        return node?["prototype"]?.scalarText == "true"
    }

    /// `GET /devices/{id}/locations`: the computed location of each message the cloud received from the device
    /// (status messages too with `oob=true`), newest first, paged by `before` as the messages are.
    ///
    /// **Emulator rule:** the locations are those the messages' `computedLocation` gives (the network's
    /// estimate, ``deviceMessage(_:_:)``); a device whose contract lacks the geolocation option has none: the
    /// list is empty.
    func locations(_ request: Request, _ id: DeviceID) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: Self.listing + ["oob"])
        let outOfBand = try query.bool("oob") ?? false
        guard let device = configuration.scenario.devices.first(where: { $0.id == id }), device.contract.geolocation
        else {
            return JSONAnswer(Listing.v2([V2DeviceLocation](), next: nil))
        }
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        let rows = try Self.reading {
            try engine.store.receivedMessages(.device, id.description, outOfBand: outOfBand, by: now, page: query.page)
        }
        let page = Array(rows.prefix(query.limit))
        let lookup = try messageLookup(for: [], names: false)
        let items = page.map { row in
            guard let location = Self.computedLocation(row, Self.heard(row), lookup) else {
                return V2DeviceLocation(time: row.time, valid: false)
            }
            return V2DeviceLocation(
                lat: location.lat,
                lng: location.lng,
                radius: location.radius,
                source: location.source,
                time: row.time,
                valid: true
            )
        }
        return JSONAnswer(
            Listing.v2(items, next: query.nextPage(request, before: page.last?.time, more: rows.count > query.limit))
        )
    }

    /// `GET /devices/{id}/product-certificate?pac=`: the product certificate of a device known by its id and
    /// PAC. **Emulator rule:** a PAC other than the device's (hex, in any case) is a 400 naming `pac`.
    func productCertificate(_ request: Request, _ id: DeviceID) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: ["pac"])
        guard let pac = query.values["pac"], !pac.isEmpty else {
            throw V2Error.invalid("query", "pac", "the device's PAC is required")
        }
        let document = configuration.document
        let expected = document.deviceNodeIndex(id).flatMap { document.devices[$0]["pac"]?.scalarText }
        guard pac.uppercased() == (expected ?? "0000000000000000").uppercased() else {
            throw V2Error.invalid("query", "pac", "the PAC '\(pac)' is not device \(id)'s")
        }
        return JSONAnswer(
            V2ProductCertificateWithPac(
                qualificationTime: configuration.scenario.start.milliseconds,
                devKit: isPrototype(id)
            )
        )
    }

    /// `GET /devices/{id}/consumption/{year}[/{month}]`: the uplinks (`frameCount`) and downlinks the cloud
    /// received from and sent to the device, per UTC day of the year or month, one entry per day from the
    /// first, counted from the store.
    func consumption(_ id: DeviceID, year: Int, month: Int? = nil) throws(APIError) -> JSONAnswer {
        let first = Self.day(year: year, month: month ?? 1)
        let end =
            month.map { $0 == 12 ? Self.day(year: year + 1, month: 1) : Self.day(year: year, month: $0 + 1) }
            ?? Self.day(year: year + 1, month: 1)
        let day: Int64 = 86_400_000
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        let counts = try Self.reading {
            try engine.store.dailyConsumption(of: id.description, from: first * day, to: end * day, by: now)
        }
        let days = (first..<end).map { day in
            V2DeviceConsumption.Day(
                frameCount: counts[day]?.uplinks ?? 0,
                downlinkFrameCount: counts[day]?.downlinks ?? 0
            )
        }
        let period = month.map { String(year) + ($0 < 10 ? "0" : "") + String($0) } ?? String(year)
        return JSONAnswer(V2DeviceConsumption(id: id.description + "_" + period, deviceConsumptions: days))
    }

    /// Days since 1970-01-01 of the first day of `month` of `year` (proleptic Gregorian, UTC).
    static func day(year: Int, month: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
