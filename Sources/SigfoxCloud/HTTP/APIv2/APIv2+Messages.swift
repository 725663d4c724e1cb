import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// Messages and the callbacks not delivered, from the store, in the reference's shapes.
extension APIv2 {
    var messageRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("device-types/:id/messages") { request, context in
            try messages(request, deviceType: try typeID(context))
        }
        routes.get("devices/:id/messages") { request, context in try messages(request, device: try deviceID(context)) }
        routes.get("devices/:id/messages/metric") { _, context in try metric(try deviceID(context)) }
        routes.get("device-types/:id/callbacks-not-delivered") { request, context in
            try notDelivered(request, deviceType: try typeID(context))
        }
        routes.get("devices/:id/callbacks-not-delivered") { request, context in
            try notDelivered(request, device: try deviceID(context))
        }
        routes.get("device-types/:id/callbacks/:callbackId/callbacks-not-delivered") { request, context in
            try lastCallbackError(request, context)
        }
        return routes
    }

    static let listing = ["since", "before", "limit", "offset"]
    /// A listing of messages takes `fields` too (`device(name)` adds the device's name).
    static let messageListing = listing + ["fields"]

    func messages(_ request: Request, device: DeviceID) throws(APIError) -> JSONAnswer {
        try messages(request, .device, device.description)
    }

    func messages(_ request: Request, deviceType: String) throws(APIError) -> JSONAnswer {
        try messages(request, .deviceType, deviceType)
    }

    /// The messages the cloud has received: those whose first reception (`time`) has come on the engine's
    /// clock (a message sent now is listed a few seconds later, as on the real cloud, never with a `time` to
    /// come), newest first, paged by `before` (the live API's `paging.next`, WIRE.md).
    private func messages(
        _ request: Request,
        _ column: KeptMessage.Columns,
        _ key: String
    ) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: Self.messageListing)
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        let rows = try Self.reading { try engine.store.receivedMessages(column, key, by: now, page: query.page) }
        let page = Array(rows.prefix(query.limit))
        let lookup = try messageLookup(for: page, names: query.values["fields"]?.contains("device(name)") == true)
        let items = page.map { Self.deviceMessage($0, lookup) }
        return JSONAnswer(
            Listing.v2(items, next: query.nextPage(request, before: page.last?.time, more: rows.count > query.limit))
        )
    }

    /// What the bodies of `rows` need besides the rows: the scenario's stations and devices, the devices'
    /// names when asked for, the messages' rollover counters, the radio model for computed locations.
    func messageLookup(for rows: [KeptMessage], names: Bool) throws(APIError) -> V2MessageLookup {
        let scenario = configuration.scenario
        var lookup = V2MessageLookup(
            stations: Dictionary(scenario.baseStations.map { ($0.id.description, $0) }) { first, _ in first },
            devices: Dictionary(scenario.devices.map { ($0.id.description, $0) }) { first, _ in first },
            rollovers: try Self.reading { try engine.store.rolloverCounters(of: rows) },
            prediction: prediction
        )
        if names {
            lookup.names = Dictionary(
                configuration.document.devices.compactMap { node -> (String, String)? in
                    guard let id = node["id"]?.scalarText.flatMap({ DeviceID(hex: $0) }),
                        let name = node["name"]?.scalarText
                    else { return nil }
                    return (id.description, name)
                }
            ) { first, _ in first }
        }
        return lookup
    }

    /// The reference's `deviceMessage` as the live API sends it (WIRE.md; ``V2DeviceMessage``).
    ///
    /// **Emulator rules:** `operator` and `country` are those of the station that heard the message first
    /// (`baseStations[].operatorName`, `countryCode` as ISO 3166 alpha-3), `SIGFOX_France` and `FRA` when no
    /// station the scenario knows heard it; `freq` is ``frequency(of:)``; `rolloverCounter` counts the times
    /// the device's sequence number went down from one stored message to the next, up to this one;
    /// `computedLocation` is the estimate DATA_ADVANCED's `{computedLocation}` carries (``CoveragePrediction``)
    /// under the geolocation contract option, `[]` without it; `rinfos` is `[]` without the network metadata
    /// option, as the live API answers (SIGFOX.md section 2, "Contract options").
    static func deviceMessage(_ row: KeptMessage, _ lookup: V2MessageLookup) -> V2DeviceMessage {
        let receptions = heard(row)
        let contract = lookup.devices[row.device]?.contract ?? DeviceContract()
        let first = receptions.enumerated().min {
            ($0.element.firstHeard, $0.offset) < ($1.element.firstHeard, $1.offset)
        }
        let station = first.flatMap { lookup.stations[$0.element.station] }
        let frequency = SwiftDouble(frequency(of: row))
        let rinfos: [V2ReceptionInfo] =
            !contract.networkMetadata
            ? []
            : receptions.map { reception in
                let position = lookup.stations[reception.station]?.position
                return V2ReceptionInfo(
                    baseStation: V2BaseStation(reception.station),
                    rssi: VariableValue.twoDecimals(reception.rssi),
                    lat: position.map { "\($0.latitude)" },
                    lng: position.map { "\($0.longitude)" },
                    snr: EncodedJSON(reception.snr),
                    freq: frequency,
                    rep: EncodedJSON(reception.nbRep)
                )
            }
        return V2DeviceMessage(
            device: V2DeviceReference(id: row.device, name: lookup.names.map { $0[row.device] ?? row.device }),
            time: row.time,
            data: row.data,
            rolloverCounter: lookup.rollovers[row.id] ?? 0,
            ackRequired: row.ack,
            lqi: row.linkQuality,
            seqNumber: row.seqNumber,
            nbFrames: row.frames,
            operator: station?.operatorName ?? "SIGFOX_France",
            country: station.flatMap { CountryCode.alpha3($0.countryCode) } ?? "FRA",
            computedLocation: contract.geolocation ? computedLocation(row, receptions, lookup).map { [$0] } ?? [] : [],
            rinfos: rinfos,
            downlinkAnswerStatus: row.downlinkData.map {
                V2DownlinkAnswerStatus(baseStation: V2BaseStation(row.downlinkStation ?? ""), data: $0)
            }
        )
    }

    /// The network's estimate of where the device was when it sent `row`, from the stations the scenario knows
    /// that heard it; nil when none did.
    static func computedLocation(
        _ row: KeptMessage,
        _ receptions: [HeardReception],
        _ lookup: V2MessageLookup
    ) -> V2ComputedLocation? {
        guard let device = lookup.devices[row.device], let prediction = lookup.prediction else { return nil }
        let heard = receptions.compactMap { reception in
            lookup.stations[reception.station].map { (position: $0.position, rssi: reception.rssi) }
        }
        guard let (position, radius) = prediction.estimatedLocation(heard: heard, device: device.position) else {
            return nil
        }
        return V2ComputedLocation(
            lat: SwiftDouble(position.latitude),
            lng: SwiftDouble(position.longitude),
            radius: radius
        )
    }

    /// One reception of a stored message: the station, its RSSI (dBm), and its SNR and frames as stored.
    struct HeardReception {
        var station: String
        var rssi: Double
        var snr: String
        var nbRep: String
        var firstHeard: Int64
    }

    /// The receptions of a stored message, in the store's order.
    static func heard(_ row: KeptMessage) -> [HeardReception] {
        ((try? JSONParser.parse(row.receptions))?.items ?? []).map { reception in
            HeardReception(
                station: reception["station"]?.scalarText ?? "",
                rssi: reception["rssi"]?.scalarText.flatMap(Double.init) ?? 0,
                snr: reception["snr"]?.scalarText ?? "0",
                nbRep: reception["nbRep"]?.scalarText ?? "1",
                firstHeard: reception["firstHeard"]?.scalarText.flatMap(Int64.init) ?? 0
            )
        }
    }

    /// **Emulator rule:** the network does not model frequencies; a message is listed as received on a
    /// frequency of the RC1 uplink band (868.034 to 868.226 MHz, in 100 Hz steps) drawn from its time and
    /// sequence number, the same on every read and for every station that heard it (`rinfos[].freq`, Hz).
    static func frequency(of row: KeptMessage) -> Double {
        let slot = (UInt64(bitPattern: row.time) &+ UInt64(row.seqNumber) &* 7919) % 1921
        return 868_034_000 + Double(slot) * 100
    }

    func metric(_ device: DeviceID) throws(APIError) -> JSONAnswer {
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        let counts = try Self.reading {
            try engine.store.uplinkCounts(of: device.description, days: [1, 7, 30], now: now)
        }
        return JSONAnswer(MessageMetric(lastDay: counts[0], lastWeek: counts[1], lastMonth: counts[2]))
    }

    // MARK: Callbacks not delivered

    func notDelivered(_ request: Request, deviceType: String) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: Self.listing)
        let rows = try Self.reading { try engine.store.triesNotDelivered(.deviceType, deviceType, page: query.page) }
        // `errorMessages` of a device type carry `time` in epoch seconds (the reference's example).
        let items = rows.prefix(query.limit).flatMap { Self.errorEntries($0, device: nil, milliseconds: false) }
        return query.listing(items, request, more: rows.count > query.limit)
    }

    func notDelivered(_ request: Request, device: DeviceID) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: Self.listing)
        let rows = try Self.reading {
            try engine.store.triesNotDelivered(.device, device.description, page: query.page)
        }
        let items = rows.prefix(query.limit).flatMap {
            Self.errorEntries($0, device: device.description, milliseconds: true)
        }
        return query.listing(items, request, more: rows.count > query.limit)
    }

    /// `GET .../callbacks/{callbackId}/callbacks-not-delivered`: the callback's last error (the reference
    /// answers one `errorMessages` object), 404 when it never failed.
    func lastCallbackError(_ request: Request, _ context: BasicRequestContext) throws(APIError) -> JSONAnswer {
        let (type, callback) = try callbackPath(context)
        _ = try V2Query(request, allowed: Self.listing)
        let row = try Self.reading { try engine.store.lastFailure(deviceType: type, callback: callback) }
        guard let row, let entry = Self.errorEntries(row, device: nil, milliseconds: false).first else {
            throw APIError(
                status: 404,
                message: "The requested resource was not found: callback \(callback) never failed"
            )
        }
        return JSONAnswer(entry)
    }

    /// A failed try's entries in the reference's shape: `status` as text, `time` in ms or s, no null fields
    /// in `callback`.
    static func errorEntries(_ row: KeptTry, device: String?, milliseconds: Bool) -> [V2ErrorMessage] {
        guard let text = row.notDelivered, let entries = try? JSONParser.parse(text) else { return [] }
        return entries.items.compactMap { entry -> V2ErrorMessage? in
            if let device, entry["deviceId"]?.scalarText != device { return nil }
            var message = V2ErrorMessage()
            message.deviceId = entry["deviceId"]?.scalarText
            message.deviceTypeId = entry["deviceTypeId"]?.scalarText
            message.time = entry["time"].map { node in
                let ms = Int64(node.scalarText ?? "0") ?? 0
                return milliseconds ? ms : ms / 1000
            }
            message.data = entry["data"].map { $0.scalarText ?? "" }
            message.status = entry["status"].map { $0.scalarText ?? "" }
            message.message = entry["message"]?.scalarText
            message.callback = entry["callback"].map {
                EncodedJSON(ConfigNode(.object(($0.entries ?? []).filter { $0.node.value != .null })).jsonText)
            }
            message.parameters = entry["parameters"].map { node in
                OrderedStrings(entries: (node.entries ?? []).map { ($0.key, $0.node.scalarText ?? "") })
            }
            return message
        }
    }

    /// Runs a read of the store; a failure is a 500.
    static func reading<T>(_ body: () throws -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw APIError(status: 500, message: "the store could not be read: \(error)")
        }
    }
}

/// What ``APIv2/deviceMessage(_:_:)`` reads besides the stored message.
struct V2MessageLookup {
    var stations: [String: BaseStation]
    var devices: [String: Device]
    /// The rollover counter of each message, by id (``CloudStore/rolloverCounters(of:)``).
    var rollovers: [Int64: Int]
    var prediction: CoveragePrediction?
    /// The devices' names, when the query asks for them (`fields=device(name)`); nil: `device` is `{"id"}`.
    var names: [String: String]?
}

/// `GET /v2/devices/{id}/messages/metric`: the device's uplinks of the last day, week and month.
struct MessageMetric: Encodable {
    var lastDay: Int
    var lastWeek: Int
    var lastMonth: Int
}
