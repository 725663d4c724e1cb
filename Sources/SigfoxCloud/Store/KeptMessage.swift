import GRDB
import SigfoxEngine
import SigfoxModel

/// A message as the store keeps it (table `message`): what the control API, the API v2, the dashboard and
/// the export read, mapped once.
struct KeptMessage: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "message"

    var id: Int64
    /// `uplink` or `status`.
    var kind: String
    var device: String
    var deviceType: String
    var seqNumber: Int
    /// The first reception, epoch ms: the message's time in every listing.
    var time: Int64
    var sentAt: Int64
    /// The payload, lower-case hex.
    var data: String
    var ack: Bool
    var frames: Int
    /// The link quality's word (`Excellent`, `Good`, ...) and its number (the API v2's `lqi`).
    var lqi: String
    var linkQuality: Int
    var overLimit: Bool
    var uplinkOfDay: Int
    /// A status message's temperature and battery voltage.
    var temp: Double?
    var batt: Double?
    /// The receptions, a JSON array (`station`, `rssi`, `snr`, `nbRep`, `firstHeard`).
    var receptions: String
    /// Whether its DATA (or DATA_ADVANCED) callbacks fired: the cloud has received it.
    var dataFired: Bool
    var advancedFired: Bool
    /// The downlink answered (hex) and the station that sent it, and the ACKNOWLEDGE it got.
    var downlinkData: String?
    var downlinkStation: String?
    var acknowledge: String?
}

/// One reception of a message, as the store keeps it in ``KeptMessage/receptions`` and the listings show
/// it: the station, RSSI and SNR (dB, as Swift prints them: `-120.0`), the frames it heard and when it first
/// heard one (epoch ms).
struct KeptReception: Encodable {
    var station: String
    var rssi: SwiftDouble
    var snr: SwiftDouble
    var nbRep: Int
    var firstHeard: Int64
}

extension KeptMessage {
    /// The messages the cloud has received by `now` (epoch ms of the engine's clock): their DATA callbacks
    /// fired, or their first reception has come. A message sent now is listed a few seconds later, as on
    /// the real cloud, never with a `time` to come.
    /// SQL, not the query interface: the condition is shared by the SQL of the pages below (``StorePage``),
    /// which the API's `since`, `before`, `limit` and `offset` build.
    static func received(by now: Int64) -> String { "(dataFired = 1 OR time <= \(now))" }
}

/// The queries on messages, one place for their SQL.
extension CloudStore {
    /// The last message's and the last try's ids (0 when there is none): numbering goes on from them.
    func lastRecordIDs() throws -> (message: Int64, attempt: Int64) {
        try read { db in
            (
                try KeptMessage.select(max(Column("id")), as: Int64.self).fetchOne(db) ?? 0,
                try KeptTry.select(max(Column("id")), as: Int64.self).fetchOne(db) ?? 0
            )
        }
    }

    /// The message `id`, or nil.
    func message(id: Int64) throws -> KeptMessage? {
        try read { db in try KeptMessage.fetchOne(db, key: id) }
    }

    /// The id of the message of `device` first received at `time` (what a try names), or nil.
    func messageID(device: String, time: Int64) throws -> Int64? {
        try read { db in
            try KeptMessage.select(Column("id"), as: Int64.self)
                .filter(Column("device") == device && Column("time") == time).fetchOne(db)
        }
    }

    /// Each of `devices`' last message.
    func lastMessages(of devices: [String]) throws -> [String: KeptMessage] {
        try read { db in
            var result = [String: KeptMessage]()
            for device in devices {
                let last = try KeptMessage.filter(Column("device") == device).order(Column("id").desc).fetchOne(db)
                if let last { result[device] = last }
            }
            return result
        }
    }

    /// The last message of `device` the cloud has received by `now`.
    func lastReceivedMessage(of device: String, by now: Int64) throws -> KeptMessage? {
        try read { db in
            try KeptMessage.fetchOne(
                db,
                sql: "SELECT * FROM message WHERE device = ? AND " + KeptMessage.received(by: now)
                    + " ORDER BY id DESC LIMIT 1",
                arguments: [device]
            )
        }
    }

    /// How many uplinks of `device` the cloud received in each of the last `days` before `now`.
    func uplinkCounts(of device: String, days: [Int], now: Int64) throws -> [Int] {
        let day: Int64 = 86_400_000
        return try read { db in
            try days.map { days in
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM message WHERE device = ? AND kind = 'uplink' AND time > ? AND "
                        + KeptMessage.received(by: now),
                    arguments: [device, now - Int64(days) * day]
                ) ?? 0
            }
        }
    }

    /// A page of received uplinks (and status messages too when `outOfBand`) of a device (`column`
    /// `device`) or device type (`deviceType`) within `since`/`before` (ms), newest first by `time` (the next
    /// page is `before` the last one's), one more than `limit` to tell whether there is a next.
    func receivedMessages(
        _ column: KeptMessage.Columns,
        _ key: String,
        outOfBand: Bool = false,
        by now: Int64,
        page: StorePage
    ) throws -> [KeptMessage] {
        try read { db in
            try KeptMessage.fetchAll(
                db,
                sql: "SELECT * FROM message WHERE " + (outOfBand ? "" : "kind = 'uplink' AND ")
                    + KeptMessage.received(by: now) + " AND " + column.rawValue + " = ?" + page.byTime.sql,
                arguments: [key] + page.arguments
            )
        }
    }

    /// A page of messages matching `filter`, newest first, one more than `size` to tell whether there is
    /// a next; with each one's callback states.
    func messages(
        matching filter: DashboardData.MessageFilter,
        page: Int,
        size: Int
    ) throws -> (messages: [KeptMessage], states: [[DashboardData.CallbackState]]) {
        try read { db in
            var sql = "SELECT * FROM message"
            let (conditions, arguments) = filter.sql
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY id DESC LIMIT \(size + 1) OFFSET \(page * size)"
            let messages = try KeptMessage.fetchAll(db, sql: sql, arguments: arguments)
            let states = try messages.prefix(size).map { message in
                try Self.callbackStates(db, device: message.device, time: message.time)
            }
            return (messages, states)
        }
    }
}

extension KeptMessage {
    /// The columns a listing filters on.
    enum Columns: String {
        case device, deviceType
    }
}

/// `since`/`before` (epoch ms) and a page of a listing, newest first: one more row than `limit` is read to
/// tell whether there is a next page.
struct StorePage {
    var since: Int64?
    var before: Int64?
    var limit: Int
    var offset: Int

    /// The order of the rows: newest first by id, or by `time` (``byTime``).
    var order = "id DESC"

    var sql: String {
        (since == nil ? "" : " AND time >= ?") + (before == nil ? "" : " AND time < ?")
            + " ORDER BY \(order) LIMIT \(limit + 1) OFFSET \(offset)"
    }

    /// The same page, newest first by `time` (then id): the order of a listing paged by `before`.
    var byTime: StorePage {
        var page = self
        page.order = "time DESC, id DESC"
        return page
    }

    var arguments: StatementArguments {
        var arguments = StatementArguments()
        if let since { arguments += [since] }
        if let before { arguments += [before] }
        return arguments
    }
}

extension DashboardData.MessageFilter {
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
