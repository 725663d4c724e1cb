import GRDB
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
        try messages(request, filter: "device = ?", device.description)
    }

    func messages(_ request: Request, deviceType: String) throws(APIError) -> JSONAnswer {
        try messages(request, filter: "deviceType = ?", deviceType)
    }

    /// The messages the cloud has received: those whose first reception (`time`) has come on the engine's
    /// clock (a message sent now is listed a few seconds later, as on the real cloud, never with a `time` to
    /// come).
    private func messages(_ request: Request, filter: String, _ key: String) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: Self.listing)
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        let rows = try page(
            "message",
            "kind = 'uplink' AND " + RecordQueries.received(by: now) + " AND " + filter,
            key,
            query: query
        )
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
        return Self.json(
            200,
            "{\"data\":[" + items.joined(separator: ",") + "]" + query.paging(request, more: rows.count > query.limit)
                + "}"
        )
    }

    /// The reference's `deviceMessage`: `device`, `time` (ms), `data`, `ackRequired`, `lqi`, `seqNumber`,
    /// `nbFrames`, `computedLocation`, `rinfos` (station, RSSI, SNR, repetitions, its position) and
    /// `downlinkAnswerStatus` when a downlink went out.
    static func deviceMessage(_ row: Row, stations: [String: GeoPosition], names: [String: String]) -> String {
        let device: String = row["device"]
        var rinfos = [String]()
        if let receptions = try? JSONParser.parse(row["receptions"] as String) {
            for reception in receptions.items {
                let id = reception["station"]?.scalarText ?? ""
                var fields = [
                    "\"baseStation\":{\"id\":" + JSONText.quoted(id) + ",\"name\":" + JSONText.quoted(id)
                        + ",\"resourceType\":0}",
                    "\"rssi\":" + (reception["rssi"]?.scalarText ?? "0"),
                    "\"snr\":" + (reception["snr"]?.scalarText ?? "0"),
                    "\"rep\":" + (reception["nbRep"]?.scalarText ?? "1"),
                ]
                if let position = stations[id] {
                    fields.append("\"lat\":\(position.latitude)")
                    fields.append("\"lng\":\(position.longitude)")
                }
                rinfos.append("{" + fields.joined(separator: ",") + "}")
            }
        }
        var fields = [
            "\"device\":{\"id\":" + JSONText.quoted(device) + ",\"name\":" + JSONText.quoted(names[device] ?? device)
                + "}",
            "\"time\":\(row["time"] as Int64)", "\"data\":" + JSONText.quoted(row["data"]),
            "\"ackRequired\":\(row["ack"] as Bool)", "\"lqi\":\(row["linkQuality"] as Int)",
            "\"seqNumber\":\(row["seqNumber"] as Int)", "\"nbFrames\":\(row["frames"] as Int)",
            "\"computedLocation\":[]", "\"rinfos\":[" + rinfos.joined(separator: ",") + "]",
        ]
        if let data: String = row["downlinkData"] {
            let station: String = row["downlinkStation"] ?? ""
            fields.append(
                "\"downlinkAnswerStatus\":{\"baseStation\":{\"id\":" + JSONText.quoted(station) + ",\"name\":"
                    + JSONText.quoted(station) + ",\"resourceType\":0},\"data\":" + JSONText.quoted(data) + "}"
            )
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    func metric(_ device: DeviceID) throws(APIError) -> JSONAnswer {
        let now = engine.metrics.simulationNow.load(ordering: .relaxed)
        let day: Int64 = 86_400_000
        do {
            let counts = try engine.store.read { db in
                try [1, 7, 30].map { days in
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM message WHERE device = ? AND kind = 'uplink' AND time > ? AND "
                            + RecordQueries.received(by: now),
                        arguments: [device.description, now - Int64(days) * day]
                    ) ?? 0
                }
            }
            return Self.json(200, "{\"lastDay\":\(counts[0]),\"lastWeek\":\(counts[1]),\"lastMonth\":\(counts[2])}")
        } catch {
            throw APIError(status: 500, message: "the store could not be read: \(error)")
        }
    }

    // MARK: Callbacks not delivered

    func notDelivered(_ request: Request, deviceType: String) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: Self.listing)
        let rows = try page("attempt", "notDelivered IS NOT NULL AND deviceType = ?", deviceType, query: query)
        // `errorMessages` of a device type carry `time` in epoch seconds (the reference's example).
        let items = rows.prefix(query.limit).flatMap { Self.errorEntries($0, device: nil, milliseconds: false) }
        return Self.json(
            200,
            "{\"data\":[" + items.joined(separator: ",") + "]" + query.paging(request, more: rows.count > query.limit)
                + "}"
        )
    }

    func notDelivered(_ request: Request, device: DeviceID) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: Self.listing)
        let rows = try page("attempt", "notDelivered IS NOT NULL AND device = ?", device.description, query: query)
        let items = rows.prefix(query.limit).flatMap {
            Self.errorEntries($0, device: device.description, milliseconds: true)
        }
        return Self.json(
            200,
            "{\"data\":[" + items.joined(separator: ",") + "]" + query.paging(request, more: rows.count > query.limit)
                + "}"
        )
    }

    /// `GET .../callbacks/{callbackId}/callbacks-not-delivered`: the callback's last error (the reference
    /// answers one `errorMessages` object), 404 when it never failed.
    func lastCallbackError(_ request: Request, _ context: BasicRequestContext) throws(APIError) -> JSONAnswer {
        let (type, callback) = try callbackPath(context)
        _ = try V2Query(request, allowed: Self.listing)
        let row: Row?
        do {
            row = try engine.store.read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM attempt WHERE deviceType = ? AND callback = ? AND notDelivered IS NOT NULL "
                        + "ORDER BY id DESC LIMIT 1",
                    arguments: [type, callback]
                )
            }
        } catch {
            throw APIError(status: 500, message: "the store could not be read: \(error)")
        }
        guard let row, let entry = Self.errorEntries(row, device: nil, milliseconds: false).first else {
            throw APIError(
                status: 404,
                message: "The requested resource was not found: callback \(callback) never failed"
            )
        }
        return Self.json(200, entry)
    }

    /// A failed try's entries in the reference's shape: `status` as text, `time` in ms or s, no null fields
    /// in `callback`.
    static func errorEntries(_ row: Row, device: String?, milliseconds: Bool) -> [String] {
        guard let text: String = row["notDelivered"], let entries = try? JSONParser.parse(text) else { return [] }
        return entries.items.compactMap { entry -> String? in
            if let device, entry["deviceId"]?.scalarText != device { return nil }
            var fields = [String]()
            for item in entry.entries ?? [] {
                switch item.key {
                case "time":
                    let ms = Int64(item.node.scalarText ?? "0") ?? 0
                    fields.append("\"time\":\(milliseconds ? ms : ms / 1000)")
                case "status": fields.append("\"status\":" + JSONText.quoted(item.node.scalarText ?? ""))
                case "data": fields.append("\"data\":" + JSONText.quoted(item.node.scalarText ?? ""))
                case "callback":
                    let kept = (item.node.entries ?? []).filter { $0.node.value != .null }
                    fields.append("\"callback\":" + ConfigNode(.object(kept)).jsonText)
                default: fields.append(JSONText.quoted(item.key) + ":" + item.node.jsonText)
                }
            }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    /// Rows of `table` matching `filter` (one `?` bound to `key`) within `since`/`before`, newest first,
    /// one more than the page to tell whether there is a next.
    private func page(_ table: String, _ filter: String, _ key: String, query: V2Query) throws(APIError) -> [Row] {
        var sql = "SELECT * FROM \(table) WHERE \(filter)"
        var arguments: StatementArguments = [key]
        if let since = query.since {
            sql += " AND time >= ?"
            arguments += [since]
        }
        if let before = query.before {
            sql += " AND time < ?"
            arguments += [before]
        }
        sql += " ORDER BY id DESC LIMIT \(query.limit + 1) OFFSET \(query.offset)"
        do {
            return try engine.store.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        } catch {
            throw APIError(status: 500, message: "the store could not be read: \(error)")
        }
    }
}
