import GRDB
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// What the dashboard shows, read from the store (the same records the control API and the API v2 list).
struct DashboardData {
    let store: CloudStore
    let configuration: CloudConfiguration
    let metrics: CloudMetrics

    /// The counters at the top of every page.
    struct Counters {
        var messages = 0
        var delivered = 0
        var waiting = 0
        var failed = 0
        /// p99 of the tries of the last minute (simulation time), ms; nil without tries.
        var p99: Double?
    }

    /// One callback's state for one message: its latest try.
    struct CallbackState {
        var callback: String
        var service: String
        var outcome: String
        var attempt: Int
        var status: Int
        var nextTry: Int64?
    }

    func counters() throws -> Counters {
        let now = metrics.simulationNow.load(ordering: .relaxed)
        return try store.read { db in
            var counters = Counters()
            counters.messages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? 0
            counters.delivered =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'delivered'") ?? 0
            counters.failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'failed'") ?? 0
            counters.waiting = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery WHERE tries > 0") ?? 0
            // The newest tries (ids grow with time): no index on time is kept, so writes stay cheap.
            var latencies = try Double.fetchAll(
                db,
                sql: "SELECT latencyMs FROM (SELECT latencyMs, time FROM attempt ORDER BY id DESC LIMIT 50000) "
                    + "WHERE time >= ? AND latencyMs IS NOT NULL",
                arguments: [now - 60_000]
            )
            if !latencies.isEmpty {
                latencies.sort()
                counters.p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
            }
            return counters
        }
    }

    /// A page of messages, newest first, with each one's callback states.
    func messages(
        page: Int,
        size: Int,
        device: String? = nil
    ) throws -> (rows: [Row], states: [[CallbackState]], more: Bool) {
        try store.read { db in
            var sql = "SELECT * FROM message"
            var arguments = StatementArguments()
            if let device {
                sql += " WHERE device = ?"
                arguments += [device]
            }
            sql += " ORDER BY id DESC LIMIT \(size + 1) OFFSET \(page * size)"
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let shown = Array(rows.prefix(size))
            let states = try shown.map { row in try Self.states(db, device: row["device"], time: row["time"]) }
            return (shown, states, rows.count > size)
        }
    }

    /// The latest try of each delivery a message caused (a resend is a delivery of its own), in the order
    /// they were first tried.
    static func states(_ db: Database, device: String, time: Int64) throws -> [CallbackState] {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT delivery, callback, service, attempt, outcome, status, nextTry FROM attempt "
                + "WHERE device = ? AND messageTime = ? ORDER BY id",
            arguments: [device, time]
        )
        var order = [Int64]()
        var latest = [Int64: CallbackState]()
        for row in rows {
            let delivery: Int64 = row["delivery"]
            let callback: String = row["callback"]
            if latest[delivery] == nil { order.append(delivery) }
            latest[delivery] = CallbackState(
                callback: callback,
                service: row["service"],
                outcome: row["outcome"],
                attempt: row["attempt"],
                status: row["status"],
                nextTry: row["nextTry"]
            )
        }
        return order.compactMap { latest[$0] }
    }

    /// The callbacks a message of this device type fires (enabled DATA, DATA_ADVANCED; ACKNOWLEDGE with ack),
    /// to show those not tried yet as waiting.
    func expectedCallbacks(deviceType: String, ack: Bool, status: Bool) -> [(id: String, service: String)] {
        guard let type = configuration.scenario.deviceTypes.first(where: { $0.type.id.description == deviceType }),
            let definitions = try? type.definitions(receiverURL: "http://127.0.0.1:9")
        else { return [] }
        let services: [CallbackService] =
            status ? [.status] : [.dataUplink, .dataBidir, .dataAdvanced] + (ack ? [.acknowledge] : [])
        return definitions.enumerated().filter { $0.element.enabled && services.contains($0.element.service) }.map {
            (
                CallbackReference(
                    deviceType: type.type.id,
                    index: $0.offset,
                    id: $0.element.id,
                    service: $0.element.service,
                    channel: $0.element.channel
                ).description, $0.element.service.rawValue
            )
        }
    }

    /// The values the device type's payloadConfig decodes from `hex`, as `name=value` pairs.
    func decoded(deviceType: String, hex: String) -> [(String, String)] {
        guard
            let text = configuration.scenario.deviceTypes.first(where: { $0.type.id.description == deviceType })?.type
                .payloadConfig,
            let config = try? PayloadConfig(parsing: text), let bytes = try? Hex.bytes(from: hex)
        else { return [] }
        return config.decode(bytes).map { ($0.name, $0.value?.templateText ?? "null") }
    }

    func message(id: Int64) throws -> (Row, [Row])? {
        try store.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM message WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let tries = try Row.fetchAll(
                db,
                sql: "SELECT * FROM attempt WHERE device = ? AND messageTime = ? ORDER BY id",
                arguments: [row["device"] as String, row["time"] as Int64]
            )
            return (row, tries)
        }
    }

    /// Failed tries (outcome `retry`, `failed` or `cancelled`), newest first, filtered.
    func notDelivered(filter: [String: String], page: Int, size: Int) throws -> (rows: [Row], more: Bool) {
        var conditions = ["outcome != 'delivered'"]
        var arguments = StatementArguments()
        for (key, column) in [
            ("device", "device"), ("deviceType", "deviceType"), ("callback", "callback"), ("outcome", "outcome"),
        ] {
            guard let value = filter[key], !value.isEmpty else { continue }
            conditions.append("\(column) = ?")
            arguments += [value]
        }
        let sql =
            "SELECT * FROM attempt WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY id DESC LIMIT \(size + 1) OFFSET \(page * size)"
        let rows = try store.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        return (Array(rows.prefix(size)), rows.count > size)
    }

    /// Each device's last message.
    func lastMessages() throws -> [String: Row] {
        try store.read { db in
            var result = [String: Row]()
            for device in configuration.scenario.devices.prefix(1000) {
                if let row = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM message WHERE device = ? ORDER BY id DESC LIMIT 1",
                    arguments: [device.id.description]
                ) {
                    result[device.id.description] = row
                }
            }
            return result
        }
    }
}
