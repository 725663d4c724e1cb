import GRDB

/// The queries behind the API v2's reads of one device: its messages' rollover counters, its consumption by
/// day, its messages for the locations listing.
extension CloudStore {
    /// The rollover counter of each of `messages`, by id: how many times its device's sequence number went
    /// down from one stored message to the next (4095 to 0, SIGFOX.md section 1), up to and including it.
    /// One query per device, over that device's messages up to the newest asked for (index `message_device`).
    func rolloverCounters(of messages: [KeptMessage]) throws -> [Int64: Int] {
        let byDevice = Dictionary(grouping: messages, by: \.device)
        guard !byDevice.isEmpty else { return [:] }
        return try read { db in
            var counters = [Int64: Int]()
            for (device, rows) in byDevice {
                let ids = rows.map(\.id)
                let found = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, wraps FROM (
                            SELECT id, SUM(wrapped) OVER (ORDER BY id) AS wraps FROM (
                                SELECT id, COALESCE(seqNumber < LAG(seqNumber) OVER (ORDER BY id), 0) AS wrapped
                                FROM message WHERE device = ? AND id <= ?
                            )
                        ) WHERE id >= ?
                        """,
                    arguments: [device, ids.max() ?? 0, ids.min() ?? 0]
                )
                for row in found { counters[row["id"]] = row["wraps"] }
            }
            return counters
        }
    }

    /// Uplinks and downlinks of `device` the cloud received by `now`, per UTC day (days since 1970) from
    /// `from` (included) to `to` (excluded), epoch ms: counted in SQL, the messages are not loaded.
    func dailyConsumption(
        of device: String,
        from: Int64,
        to: Int64,
        by now: Int64
    ) throws -> [Int64: (uplinks: Int, downlinks: Int)] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT time / 86400000 AS day, SUM(kind = 'uplink') AS uplinks, "
                    + "SUM(downlinkData IS NOT NULL) AS downlinks FROM message "
                    + "WHERE device = ? AND time >= ? AND time < ? AND " + KeptMessage.received(by: now)
                    + " GROUP BY day",
                arguments: [device, from, to]
            )
            var days = [Int64: (uplinks: Int, downlinks: Int)]()
            for row in rows { days[row["day"]] = (row["uplinks"], row["downlinks"]) }
            return days
        }
    }

    /// A page of the messages of `device` the cloud received by `now` (uplinks, and status messages when
    /// `outOfBand`), newest first by time, one more than `limit` to tell whether there is a next.
    func receivedMessages(
        of device: String,
        outOfBand: Bool,
        by now: Int64,
        page: StorePage
    ) throws -> [KeptMessage] {
        try read { db in
            try KeptMessage.fetchAll(
                db,
                sql: "SELECT * FROM message WHERE device = ? AND " + (outOfBand ? "" : "kind = 'uplink' AND ")
                    + KeptMessage.received(by: now) + page.byTime.sql,
                arguments: [device] + page.arguments
            )
        }
    }
}
