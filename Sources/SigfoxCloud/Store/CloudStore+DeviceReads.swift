import GRDB

/// The queries behind the API v2's reads of one device: its messages' rollover counters and its consumption by
/// day (its messages, for the locations listing too, are ``receivedMessages(_:_:outOfBand:by:page:)``).
extension CloudStore {
    /// The rollover counter of each of `messages`, by id: how many times its device's sequence number went
    /// down from one stored message to the next (4095 to 0, SIGFOX.md section 1), up to and including it.
    ///
    /// One query per device (index `message_device`): the first time, over its messages up to the newest
    /// asked for; then only from the oldest asked for, or the last counted (``RolloverMark``), whichever is
    /// older, so a listing of recent messages reads about as many rows as it lists.
    func rolloverCounters(of messages: [KeptMessage]) throws -> [Int64: Int] {
        let byDevice = Dictionary(grouping: messages, by: \.device)
        guard !byDevice.isEmpty else { return [:] }
        return try read { db in
            var counters = [Int64: Int]()
            for (device, rows) in byDevice {
                let ids = rows.map(\.id)
                let wanted = (low: ids.min() ?? 0, high: ids.max() ?? 0)
                let mark = rolloverMarks.withLock { $0[device] }
                var counted = try Self.rollovers(db, device, wanted, from: mark)
                if counted == nil { counted = try Self.rollovers(db, device, wanted, from: nil) }
                guard let (found, last) = counted else { continue }
                for id in ids { counters[id] = found[id] }
                if let last {
                    rolloverMarks.withLock { marks in
                        if (marks[device]?.id ?? -1) < last.id { marks[device] = last }
                    }
                }
            }
            return counters
        }
    }

    /// The rollover counters of the messages of `device` from the oldest `wanted` (or `mark`'s, if older)
    /// to the newest `wanted`, and the newest as a mark; nil when `mark` is not among them as it was (the
    /// store was emptied or the device's messages replaced): then the caller counts from the start.
    private static func rollovers(
        _ db: Database,
        _ device: String,
        _ wanted: (low: Int64, high: Int64),
        from mark: RolloverMark?
    ) throws -> ([Int64: Int], RolloverMark?)? {
        let low = mark.map { min(wanted.low, $0.id) } ?? 0
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT id, seqNumber FROM message WHERE device = ? AND id >= ? AND id <= ? ORDER BY id",
            arguments: [device, low, max(wanted.high, mark?.id ?? 0)]
        )
        // Wraps counted from the first row read; anchored to the mark's count, or to 0 at the device's first
        // message when read from the start.
        var local = [Int64: Int]()
        var wraps = 0
        var previous: Int?
        var last: RolloverMark?
        for row in rows {
            let id: Int64 = row["id"]
            let seq: Int = row["seqNumber"]
            if let previous, seq < previous { wraps += 1 }
            local[id] = wraps
            previous = seq
            if id == mark?.id, seq != mark?.seq { return nil }
            last = RolloverMark(id: id, seq: seq, wraps: wraps)
        }
        var offset = 0
        if let mark {
            guard let atMark = local[mark.id] else { return nil }
            offset = mark.wraps - atMark
        }
        last?.wraps += offset
        return (local.mapValues { $0 + offset }, last)
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
}

/// A device's rollover counter at one of its messages: where ``CloudStore/rolloverCounters(of:)`` takes up.
struct RolloverMark: Sendable {
    var id: Int64
    var seq: Int
    var wraps: Int
}
