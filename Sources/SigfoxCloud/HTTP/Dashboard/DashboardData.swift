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
        /// Tries answered 2xx in time, resends' included.
        var delivered = 0
        /// Deliveries whose last try failed, waiting for their next.
        var waiting = 0
        /// Deliveries given up after their last try (a resend is a new delivery: these stay failed).
        var failed = 0
        /// Of ``failed``, those resent since.
        var failedResent = 0
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
        /// The try this delivery resends (the dashboard's Resend), if it is one.
        var resentFrom: Int64? = nil
        /// The deliveries this delivery's last try was resent as.
        var resentAs: [Int64] = []
    }

    /// What the messages page is filtered by (`/?device=&callback=&outcome=&q=`): a device, a callback, an
    /// outcome of one of the message's tries, and a text in its payload (hex) or in a request it sent.
    struct MessageFilter {
        var device: String?
        var callback: String?
        var outcome: String?
        var text: String?

        init(_ query: [String: String]) {
            func value(_ key: String) -> String? {
                guard let text = query[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
                return text
            }
            device = value("device").flatMap { DeviceID(hex: $0) }?.description
            callback = value("callback")
            outcome = value("outcome").flatMap {
                ["delivered", "retry", "failed", "cancelled"].contains($0) ? $0 : nil
            }
            text = value("q")
        }

        var isEmpty: Bool { device == nil && callback == nil && outcome == nil && text == nil }

        /// The SQL conditions on `message` and their arguments.
        var sql: (conditions: [String], arguments: StatementArguments) {
            var conditions = [String]()
            var arguments = StatementArguments()
            if let device {
                conditions.append("device = ?")
                arguments += [device]
            }
            var tried = [String]()
            var triedArguments = StatementArguments()
            if let callback {
                tried.append("a.callback = ?")
                triedArguments += [callback]
            }
            if let outcome {
                tried.append("a.outcome = ?")
                triedArguments += [outcome]
            }
            if !tried.isEmpty {
                conditions.append(
                    "EXISTS (SELECT 1 FROM attempt a WHERE a.device = message.device AND a.messageTime = message.time "
                        + "AND " + tried.joined(separator: " AND ") + ")"
                )
                arguments += triedArguments
            }
            if let text {
                func pattern(_ text: String) -> String {
                    "%"
                        + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                        .replacingOccurrences(of: "_", with: "\\_") + "%"
                }
                // A request body sits in the try's journal line as a JSON string: `"temp":21` is `\"temp\":21`.
                let inLine = pattern(String(JSONText.quoted(text).dropFirst().dropLast()))
                conditions.append(
                    "(data LIKE ? ESCAPE '\\' OR device LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM attempt a "
                        + "WHERE a.device = message.device AND a.messageTime = message.time "
                        + "AND (a.line LIKE ? ESCAPE '\\' OR a.line LIKE ? ESCAPE '\\')))"
                )
                arguments += [pattern(text), pattern(text), pattern(text), inLine]
            }
            return (conditions, arguments)
        }
    }

    /// A device type's name, for its id (the id itself when it is unknown).
    func typeName(_ id: String) -> String {
        configuration.scenario.deviceTypes.first { $0.type.id.description == id }?.type.name ?? id
    }
    func counters() throws -> Counters {
        let now = metrics.simulationNow.load(ordering: .relaxed)
        return try store.read { db in
            var counters = Counters()
            counters.messages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? 0
            counters.delivered =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'delivered'") ?? 0
            counters.failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'failed'") ?? 0
            counters.failedResent =
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'failed' "
                        + "AND EXISTS (SELECT 1 FROM resend WHERE resend.try = attempt.id)"
                ) ?? 0
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
        filter: MessageFilter = MessageFilter([:])
    ) throws -> (rows: [Row], states: [[CallbackState]], more: Bool) {
        try store.read { db in
            var sql = "SELECT * FROM message"
            let (conditions, arguments) = filter.sql
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
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
            sql: "SELECT delivery, callback, service, attempt, outcome, status, nextTry, resentFrom, "
                + "(SELECT group_concat(delivery) FROM resend WHERE resend.try = attempt.id) AS resentAs FROM attempt "
                + "WHERE device = ? AND messageTime = ? ORDER BY id",
            arguments: [device, time]
        )
        var order = [Int64]()
        var latest = [Int64: CallbackState]()
        for row in rows {
            let delivery: Int64 = row["delivery"]
            let callback: String = row["callback"]
            if latest[delivery] == nil { order.append(delivery) }
            // A delivery's tries resent so far, whichever try was resent.
            let resentAs = (latest[delivery]?.resentAs ?? []) + AttemptJSON.resentAs(row)
            latest[delivery] = CallbackState(
                callback: callback,
                service: row["service"],
                outcome: row["outcome"],
                attempt: row["attempt"],
                status: row["status"],
                nextTry: row["nextTry"],
                resentFrom: row["resentFrom"],
                resentAs: resentAs
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
                sql: "SELECT \(AttemptJSON.columns) FROM attempt WHERE device = ? AND messageTime = ? ORDER BY id",
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
            "SELECT \(AttemptJSON.columns) FROM attempt WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY id DESC LIMIT \(size + 1) OFFSET \(page * size)"
        let rows = try store.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        return (Array(rows.prefix(size)), rows.count > size)
    }

    /// The state of a delivery (its latest try's outcome and number), for a resent try's link.
    func deliveryState(_ delivery: Int64) throws -> (outcome: String, attempt: Int)? {
        try store.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT outcome, attempt FROM attempt WHERE delivery = ? ORDER BY id DESC LIMIT 1",
                arguments: [delivery]
            ).map { ($0["outcome"], $0["attempt"]) }
        }
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
