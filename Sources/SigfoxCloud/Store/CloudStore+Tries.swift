import GRDB
import SigfoxEngine
import SigfoxModel

/// The queries on tries (table `attempt`, with `resend`'s links) and deliveries, one place for their SQL.
/// A try's row is read with ``AttemptJSON/columns`` where its `resentAs` is shown: those queries, and the
/// pages built from the API's parameters (``StorePage``), stay SQL; the others use the query interface.
extension CloudStore {
    /// The try `id`, or nil.
    func attempt(id: Int64) throws -> KeptTry? {
        try read { db in try KeptTry.fetchOne(db, key: id) }
    }

    /// The tries of the message of `device` first received at `messageTime`, in the order they were made.
    func tries(device: String, messageTime: Int64) throws -> [KeptTry] {
        try read { db in
            try KeptTry.fetchAll(
                db,
                sql: "SELECT \(AttemptJSON.columns) FROM attempt WHERE device = ? AND messageTime = ? ORDER BY id",
                arguments: [device, messageTime]
            )
        }
    }

    /// Failed tries (outcome `retry`, `failed` or `cancelled`), newest first, with `equal` columns' values,
    /// one more than `size` to tell whether there is a next page.
    func triesNotDelivered(equal: [(column: String, value: String)], page: Int, size: Int) throws -> [KeptTry] {
        var conditions = ["outcome != 'delivered'"]
        var arguments = StatementArguments()
        for (column, value) in equal
        where ["device", "deviceType", "callback", "outcome"].contains(column) {
            conditions.append("\(column) = ?")
            arguments += [value]
        }
        let sql =
            "SELECT \(AttemptJSON.columns) FROM attempt WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY id DESC LIMIT \(size + 1) OFFSET \(page * size)"
        return try read { db in try KeptTry.fetchAll(db, sql: sql, arguments: arguments) }
    }

    /// A page of the tries not delivered (with `notDelivered` errors) of a device (`column` `device`) or a
    /// device type (`deviceType`), newest first (the API v2's `callbacks-not-delivered`).
    func triesNotDelivered(_ column: KeptMessage.Columns, _ key: String, page: StorePage) throws -> [KeptTry] {
        try read { db in
            try KeptTry.fetchAll(
                db,
                sql: "SELECT * FROM attempt WHERE notDelivered IS NOT NULL AND \(column.rawValue) = ?" + page.sql,
                arguments: [key] + page.arguments
            )
        }
    }

    /// The last try of a callback that was not delivered, or nil when it never failed.
    func lastFailure(deviceType: String, callback: String) throws -> KeptTry? {
        try read { db in
            try KeptTry.filter(
                Column("deviceType") == deviceType && Column("callback") == callback && Column("notDelivered") != nil
            ).order(Column("id").desc).fetchOne(db)
        }
    }

    /// The outcome of each callback's last try, found through the (deviceType, callback, id) index.
    func lastOutcomes(deviceType: String, callbacks: [String]) throws -> [String: String] {
        try read { db in
            var outcomes = [String: String]()
            for callback in callbacks {
                outcomes[callback] = try KeptTry.select(Column("outcome"), as: String.self)
                    .filter(Column("deviceType") == deviceType && Column("callback") == callback)
                    .order(Column("id").desc).fetchOne(db)
            }
            return outcomes
        }
    }

    /// The state of a delivery (its latest try's outcome and number).
    func deliveryState(_ delivery: Int64) throws -> (outcome: String, attempt: Int)? {
        try read { db in
            try TryOutcome.filter(Column("delivery") == delivery).order(Column("id").desc).fetchOne(db)
                .map { ($0.outcome, $0.attempt) }
        }
    }

    /// The latest try of each delivery a message caused (a resend is a delivery of its own), in the order
    /// they were first tried.
    static func callbackStates(_ db: Database, device: String, time: Int64) throws -> [DashboardData.CallbackState] {
        // SQL: the resends of each try are a subquery (``AttemptJSON/columns``).
        let rows = try TryState.fetchAll(
            db,
            sql: "SELECT delivery, callback, service, attempt, outcome, status, nextTry, resentFrom, "
                + "(SELECT group_concat(delivery) FROM resend WHERE resend.try = attempt.id) AS resentAs FROM attempt "
                + "WHERE device = ? AND messageTime = ? ORDER BY id",
            arguments: [device, time]
        )
        var order = [Int64]()
        var latest = [Int64: DashboardData.CallbackState]()
        for row in rows {
            if latest[row.delivery] == nil { order.append(row.delivery) }
            // A delivery's tries resent so far, whichever try was resent.
            let resentAs = (latest[row.delivery]?.resentAs ?? []) + row.resentAsDeliveries
            latest[row.delivery] = DashboardData.CallbackState(row, resentAs: resentAs)
        }
        return order.compactMap { latest[$0] }
    }

    /// The dashboard's counters; `now` (epoch ms of the engine's clock) bounds the last minute's p99.
    func counters(now: Int64) throws -> DashboardData.Counters {
        try read { db in
            var counters = DashboardData.Counters()
            counters.messages = try KeptMessage.fetchCount(db)
            counters.delivered = try KeptTry.filter(Column("outcome") == "delivered").fetchCount(db)
            counters.failed = try KeptTry.filter(Column("outcome") == "failed").fetchCount(db)
            // SQL: a correlated subquery on `resend`.
            counters.failedResent =
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'failed' "
                        + "AND EXISTS (SELECT 1 FROM resend WHERE resend.try = attempt.id)"
                ) ?? 0
            counters.waiting = try KeptDelivery.filter(KeptDelivery.Columns.tries > 0).fetchCount(db)
            // SQL: a window over the newest rows. The newest tries (ids grow with time): no index on time is kept, so writes stay cheap.
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
}

/// A try's outcome and number only (a delivery's state).
struct TryOutcome: Decodable, Sendable, FetchableRecord, TableRecord {
    static let databaseTableName = "attempt"
    static var databaseSelection: [any SQLSelectable] { [Column("outcome"), Column("attempt")] }

    var outcome: String
    var attempt: Int
}

/// What the dashboard shows of a try in a message's callbacks: its delivery, callback, outcome and the
/// resends on both sides.
struct TryState: Decodable, Sendable, FetchableRecord {
    var delivery: Int64
    var callback: String
    var service: String
    var attempt: Int
    var outcome: String
    var status: Int
    var nextTry: Int64?
    var resentFrom: Int64?
    /// The deliveries this try was resent as (`3,7`).
    var resentAs: String?

    var resentAsDeliveries: [Int64] { (resentAs ?? "").split(separator: ",").compactMap { Int64($0) } }
}
