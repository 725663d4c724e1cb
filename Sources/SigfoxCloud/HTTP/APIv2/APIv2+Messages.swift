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

    func messages(_ request: Request, device: DeviceID) throws(APIError) -> JSONAnswer {
        try messages(request, .device, device.description)
    }

    func messages(_ request: Request, deviceType: String) throws(APIError) -> JSONAnswer {
        try messages(request, .deviceType, deviceType)
    }

    /// The messages the cloud has received: those whose first reception (`time`) has come on the engine's
    /// clock (a message sent now is listed a few seconds later, as on the real cloud, never with a `time` to
    /// come).
    private func messages(
        _ request: Request,
        _ column: KeptMessage.Columns,
        _ key: String
    ) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: Self.listing)
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        let rows = try Self.reading { try engine.store.receivedUplinks(column, key, by: now, page: query.page) }
        let scenario = configuration.scenario
        let stations = Dictionary(uniqueKeysWithValues: scenario.baseStations.map { ($0.id.description, $0.position) })
        let names = Dictionary(
            uniqueKeysWithValues: configuration.document.devices.compactMap { node -> (String, String)? in
                guard let id = node["id"]?.scalarText.flatMap({ DeviceID(hex: $0) }),
                    let name = node["name"]?.scalarText
                else { return nil }
                return (id.description, name)
            }
        )
        let items = rows.prefix(query.limit).map { Self.deviceMessage($0, stations: stations, names: names) }
        return query.listing(items, request, more: rows.count > query.limit)
    }

    /// The reference's `deviceMessage`: `device`, `time` (ms), `data`, `ackRequired`, `lqi`, `seqNumber`,
    /// `nbFrames`, `computedLocation`, `rinfos` (station, RSSI, SNR, repetitions, its position) and
    /// `downlinkAnswerStatus` when a downlink went out.
    static func deviceMessage(
        _ row: KeptMessage,
        stations: [String: GeoPosition],
        names: [String: String]
    ) -> V2DeviceMessage {
        let receptions = (try? JSONParser.parse(row.receptions))?.items ?? []
        let rinfos = receptions.map { reception in
            let id = reception["station"]?.scalarText ?? ""
            let position = stations[id]
            return V2ReceptionInfo(
                baseStation: V2BaseStation(id),
                rssi: EncodedJSON(reception["rssi"]?.scalarText ?? "0"),
                snr: EncodedJSON(reception["snr"]?.scalarText ?? "0"),
                rep: EncodedJSON(reception["nbRep"]?.scalarText ?? "1"),
                lat: position.map { SwiftDouble($0.latitude) },
                lng: position.map { SwiftDouble($0.longitude) }
            )
        }
        return V2DeviceMessage(
            device: V2Reference(id: row.device, name: names[row.device] ?? row.device),
            time: row.time,
            data: row.data,
            ackRequired: row.ack,
            lqi: row.linkQuality,
            seqNumber: row.seqNumber,
            nbFrames: row.frames,
            rinfos: rinfos,
            downlinkAnswerStatus: row.downlinkData.map {
                V2DownlinkAnswerStatus(baseStation: V2BaseStation(row.downlinkStation ?? ""), data: $0)
            }
        )
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

/// `GET /v2/devices/{id}/messages/metric`: the device's uplinks of the last day, week and month.
struct MessageMetric: Encodable {
    var lastDay: Int
    var lastWeek: Int
    var lastMonth: Int
}
