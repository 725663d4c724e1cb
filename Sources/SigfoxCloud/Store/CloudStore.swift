import Foundation
import GRDB
import SigfoxEngine
import SigfoxModel
import Synchronization

/// `serve`'s state in SQLite (GRDB, write-ahead log): the configuration, every message with its receptions,
/// every try, and the deliveries not finished yet. The store is the source of truth for everything the
/// APIs list; the engine writes one transaction per loop turn (``StoreBatch``).
public final class CloudStore: Sendable {
    let pool: DatabasePool
    public let path: String
    /// Whether the last write failed, and why (`/health` says it).
    public let health = StoreHealth()
    /// The last rollover counter computed of each device (``rolloverCounters(of:)``), so a listing reads
    /// only the messages since, not the device's whole history.
    let rolloverMarks = Mutex<[String: RolloverMark]>([:])

    /// Opens (or creates) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "sigfox-sim"
        configuration.prepareDatabase { db in
            // WAL with NORMAL sync: a committed transaction survives the process being killed (the OS has
            // it); only a power cut may lose the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        // A restart checkpoint (``StoreCheckpointer``) makes the writer wait a moment, never fail.
        configuration.busyMode = .timeout(10)
        self.path = path
        pool = try DatabasePool(path: path, configuration: configuration)
        checkpointer = StoreCheckpointer(path: path)
        try Self.migrator.migrate(pool)
        try pool.writeWithoutTransaction { db in
            // The writer: the checkpoints run beside it (``StoreCheckpointer``), and the pages of the indexes
            // each uplink writes to stay in memory (32 MiB, not SQLite's 2 MiB: reading them back from the OS
            // was a tenth of the engine's time).
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
    }

    /// Copies the write-ahead log into the database beside the writer.
    let checkpointer: StoreCheckpointer
    /// Set once the writer checkpoints by itself again, after ``StoreCheckpointer`` failed.
    private let checkpointsInWriter = Atomic<Bool>(false)

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE device_state (device TEXT PRIMARY KEY, nextSeq INTEGER NOT NULL);
                    CREATE TABLE message (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        device TEXT NOT NULL,
                        deviceType TEXT NOT NULL,
                        seqNumber INTEGER NOT NULL,
                        time INTEGER NOT NULL,
                        sentAt INTEGER NOT NULL,
                        data TEXT NOT NULL,
                        ack INTEGER NOT NULL,
                        frames INTEGER NOT NULL,
                        lqi TEXT NOT NULL,
                        linkQuality INTEGER NOT NULL,
                        overLimit INTEGER NOT NULL,
                        uplinkOfDay INTEGER NOT NULL,
                        temp REAL,
                        batt REAL,
                        receptions TEXT NOT NULL,
                        dataFired INTEGER NOT NULL DEFAULT 0,
                        advancedFired INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX message_device ON message (device, id);
                    CREATE INDEX message_key ON message (device, time);
                    CREATE TABLE attempt (
                        id INTEGER PRIMARY KEY,
                        delivery INTEGER NOT NULL,
                        callback TEXT NOT NULL,
                        deviceType TEXT NOT NULL,
                        service TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        time INTEGER NOT NULL,
                        device TEXT NOT NULL,
                        messageTime INTEGER NOT NULL,
                        status INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        nextTry INTEGER,
                        latencyMs REAL,
                        note TEXT,
                        line TEXT NOT NULL,
                        notDelivered TEXT
                    );
                    CREATE INDEX attempt_device ON attempt (device, id);
                    CREATE INDEX attempt_message ON attempt (device, messageTime);
                    CREATE INDEX attempt_callback ON attempt (callback, id);
                    CREATE INDEX attempt_outcome ON attempt (outcome, id);
                    CREATE TABLE delivery (
                        id INTEGER PRIMARY KEY,
                        callback TEXT NOT NULL,
                        request TEXT NOT NULL,
                        messages TEXT NOT NULL,
                        sendSni INTEGER NOT NULL,
                        tries INTEGER NOT NULL,
                        due INTEGER NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v2: downlinks and callback indexes") { db in
            try db.execute(
                sql: """
                    ALTER TABLE message ADD COLUMN downlinkData TEXT;
                    ALTER TABLE message ADD COLUMN downlinkStation TEXT;
                    ALTER TABLE message ADD COLUMN acknowledge TEXT;
                    CREATE INDEX message_type ON message (deviceType, id);
                    CREATE INDEX attempt_type_failed ON attempt (deviceType, id) WHERE notDelivered IS NOT NULL;
                    CREATE INDEX attempt_device_failed ON attempt (device, id) WHERE notDelivered IS NOT NULL;
                    CREATE INDEX attempt_type_callback ON attempt (deviceType, callback, id);
                    """
            )
        }
        migrator.registerMigration("v3: resends that trace back") { db in
            // A resend is a new delivery of a try's request: `resend` links the try to each delivery it was
            // resent as, and every try of such a delivery (and the delivery while it waits) names the try.
            try db.execute(
                sql: """
                    CREATE TABLE resend (try INTEGER NOT NULL, delivery INTEGER NOT NULL, time INTEGER NOT NULL);
                    CREATE INDEX resend_try ON resend (try);
                    ALTER TABLE attempt ADD COLUMN resentFrom INTEGER;
                    ALTER TABLE delivery ADD COLUMN resentFrom INTEGER;
                    CREATE INDEX attempt_delivery ON attempt (delivery, id);
                    """
            )
        }
        migrator.registerMigration("v4: a device type's messages by time") { db in
            // The API v2 lists a device type's messages newest first by time, paged by `before`.
            try db.execute(sql: "CREATE INDEX message_type_time ON message (deviceType, time)")
        }
        return migrator
    }

    // MARK: Writing

    /// Writes one loop turn's worth of changes in one transaction. The messages, tries and the updates of
    /// messages go through statements prepared once and reused for every row (the hot path: a row per
    /// uplink and per try); the rest through the records.
    public func write(_ batch: StoreBatch) throws {
        guard !batch.isEmpty else { return }
        try writeRecords(batch)
        if checkpointer.hasFailed {
            if !checkpointsInWriter.exchange(true, ordering: .relaxed) {
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000") }
            }
        } else {
            checkpointer.committed()
        }
    }

    private func writeRecords(_ batch: StoreBatch) throws {
        try pool.write { db in
            for (key, value) in batch.state {
                try KeptState(key: key, value: value).insert(db, onConflict: .replace)
            }
            if batch.clearRecords {
                _ = try KeptMessage.deleteAll(db)
                _ = try KeptTry.deleteAll(db)
                _ = try KeptDelivery.deleteAll(db)
                _ = try KeptDeviceState.deleteAll(db)
                _ = try KeptResend.deleteAll(db)
                rolloverMarks.withLock { $0.removeAll() }
            }
            for (device, next) in batch.sequenceNumbers {
                try KeptDeviceState(device: device.description, nextSeq: next).insert(db, onConflict: .replace)
            }
            let insertMessage = try db.cachedStatement(
                sql: """
                    INSERT INTO message (id, kind, device, deviceType, seqNumber, time, sentAt, data, ack, frames, lqi,
                        linkQuality, overLimit, uplinkOfDay, temp, batt, receptions)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for row in batch.messages {
                let m = row.message
                try insertMessage.execute(arguments: [
                    row.id, row.kind, m.device.description, m.deviceType.description, m.seqNumber,
                    m.firstReception.milliseconds, m.sentAt.milliseconds, Hex.lowercase(m.payload), m.ack, m.frames,
                    m.linkQuality.word(), m.linkQuality.rawValue, m.isOverLimit, m.uplinkOfDay, row.temperature,
                    row.battery, row.receptionsJSON,
                ])
            }
            let fired = try db.cachedStatement(sql: "UPDATE message SET dataFired = 1 WHERE device = ? AND time = ?")
            let firedAdvanced = try db.cachedStatement(
                sql: "UPDATE message SET advancedFired = 1 WHERE device = ? AND time = ?"
            )
            for trigger in batch.fired {
                try (trigger.advanced ? firedAdvanced : fired).execute(arguments: [
                    trigger.device.description, trigger.time.milliseconds,
                ])
            }
            let downlink = try db.cachedStatement(
                sql: "UPDATE message SET downlinkData = ?, downlinkStation = ? WHERE device = ? AND time = ?"
            )
            for sent in batch.downlinks {
                try downlink.execute(arguments: [
                    Hex.lowercase(sent.data), sent.station.description, sent.device.description,
                    sent.message.firstReception.milliseconds,
                ])
            }
            let acknowledge = try db.cachedStatement(
                sql: "UPDATE message SET acknowledge = ? WHERE device = ? AND time = ?"
            )
            for ack in batch.acknowledgements {
                try acknowledge.execute(arguments: [ack.text, ack.device.description, ack.time.milliseconds])
            }
            let insertDelivery = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO delivery (id, callback, request, messages, sendSni, tries, due, resentFrom)
                    VALUES (?, ?, ?, ?, ?, 0, ?, ?)
                    """
            )
            for delivery in batch.created {
                guard case .success(let rendered) = delivery.rendered else { continue }
                try insertDelivery.execute(arguments: [
                    Int64(delivery.id), PersistedDelivery.callbackJSON(delivery.callback), rendered.json,
                    PersistedDelivery.messagesJSON(delivery.messages), delivery.sendSni,
                    delivery.firstDue.milliseconds, batch.resentFrom[delivery.id],
                ])
            }
            for resend in batch.resends {
                try KeptResend(try: resend.try, delivery: Int64(resend.delivery), time: resend.time.milliseconds)
                    .insert(db)
            }
            let insertAttempt = try db.cachedStatement(
                sql: """
                    INSERT INTO attempt (id, delivery, callback, deviceType, service, attempt, time, device, messageTime,
                        status, outcome, nextTry, latencyMs, note, line, notDelivered, resentFrom)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            let retryDelivery = try db.cachedStatement(sql: "UPDATE delivery SET tries = ?, due = ? WHERE id = ?")
            let endDelivery = try db.cachedStatement(sql: "DELETE FROM delivery WHERE id = ?")
            for (record, note, id, resentFrom, line) in batch.attempts {
                let first = record.messages.first
                let entries = record.notDeliveredEntries
                var nextTry: Int64?
                if case .retrying(let next) = record.outcome { nextTry = next.milliseconds }
                try insertAttempt.execute(arguments: [
                    id, Int64(record.delivery), record.callback.description, record.callback.deviceType.description,
                    record.callback.service.rawValue, record.attempt, record.scheduledAt.milliseconds,
                    first?.device.description ?? "", first?.time.milliseconds ?? 0, record.status,
                    record.outcome.name, nextTry, record.latencyMilliseconds, note, line,
                    entries.isEmpty ? nil : "[" + entries.joined(separator: ",") + "]", resentFrom,
                ])
                if let nextTry {
                    try retryDelivery.execute(arguments: [record.attempt, nextTry, Int64(record.delivery)])
                } else {
                    try endDelivery.execute(arguments: [Int64(record.delivery)])
                }
            }
        }
    }

    // MARK: Reading

    public func state(_ key: String) throws -> String? {
        try pool.read { db in try KeptState.fetchOne(db, key: key)?.value }
    }

    /// Messages whose DATA or DATA_ADVANCED trigger had not fired when the process stopped.
    public func unfiredMessages() throws -> [(message: StoredMessage, data: Bool, advanced: Bool)] {
        try read { db in
            try KeptMessage.filter(Column("kind") == "uplink" && (!Column("dataFired") || !Column("advancedFired")))
                .order(Column("id")).fetchAll(db)
                .compactMap { row in
                    guard let message = Self.storedMessage(row) else { return nil }
                    return (message, !row.dataFired, !row.advancedFired)
                }
        }
    }

    static func storedMessage(_ row: KeptMessage) -> StoredMessage? {
        guard let device = DeviceID(hex: row.device), let payload = try? Hex.bytes(from: row.data),
            let receptions = try? JSONParser.parse(row.receptions)
        else { return nil }
        let stored = receptions.items.compactMap { node -> StoredMessage.StoredReception? in
            guard let id = node["station"]?.scalarText.flatMap({ BaseStationID(hex: $0) }),
                let rssi = node["rssi"]?.scalarText.flatMap(Double.init),
                let snr = node["snr"]?.scalarText.flatMap(Double.init),
                let rep = node["nbRep"]?.scalarText.flatMap(Int.init),
                let heard = node["firstHeard"]?.scalarText.flatMap(Int64.init)
            else { return nil }
            return .init(station: id, rssi: rssi, snr: snr, nbRep: rep, firstHeard: SimulationTime(milliseconds: heard))
        }
        return StoredMessage(
            device: device,
            seqNumber: row.seqNumber,
            firstReception: SimulationTime(milliseconds: row.time),
            sentAt: SimulationTime(milliseconds: row.sentAt),
            payload: payload,
            ack: row.ack,
            frames: row.frames,
            receptions: stored,
            isOverLimit: row.overLimit,
            uplinkOfDay: row.uplinkOfDay
        )
    }

    /// Runs a read on a snapshot (the API's listings).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }
}

/// One loop turn's changes, written in one transaction.
public struct StoreBatch: Sendable {
    public struct MessageRow: Sendable {
        var id: Int64
        var kind: String
        var message: Message
        var temperature: Double?
        var battery: Double?

        /// The receptions as stored and listed: station, RSSI, SNR, frames heard, when first heard.
        var receptionsJSON: String {
            message.receptions.map {
                KeptReception(
                    station: $0.station.description,
                    rssi: SwiftDouble($0.rssi),
                    snr: SwiftDouble($0.snr),
                    nbRep: $0.nbRep,
                    firstHeard: $0.firstHeard.milliseconds
                )
            }.apiJSON
        }
    }

    public struct FiredTrigger: Sendable {
        var device: DeviceID
        var time: SimulationTime
        var advanced: Bool
    }

    var state: [(String, String)] = []
    var clearRecords = false
    var sequenceNumbers: [(DeviceID, Int)] = []
    var messages: [MessageRow] = []
    var fired: [FiredTrigger] = []
    var created: [Delivery] = []
    var downlinks: [EmittedDownlink] = []
    /// The ACKNOWLEDGE outcome of messages that asked for a downlink: `infoCode infoMessage`.
    var acknowledgements: [(device: DeviceID, time: SimulationTime, text: String)] = []
    /// Each ended try: the record, its note, its id, the try its delivery resends (nil for most), and its
    /// journal line.
    var attempts: [(AttemptRecord, String?, Int64, Int64?, String)] = []
    /// Resends made this turn: the try resent and the new delivery.
    var resends: [(try: Int64, delivery: UInt64, time: SimulationTime)] = []
    /// The try each delivery created this turn resends, for those that are resends.
    var resentFrom: [UInt64: Int64] = [:]

    var isEmpty: Bool {
        state.isEmpty && !clearRecords && sequenceNumbers.isEmpty && messages.isEmpty && fired.isEmpty
            && created.isEmpty && attempts.isEmpty && downlinks.isEmpty && acknowledgements.isEmpty
            && resends.isEmpty
    }
}

/// Whether the store can write. A failed write (a full disk) makes `/health` answer 503 with the reason and
/// the control API refuse uplinks with 503; the engine keeps the turn and writes it again until it succeeds,
/// then this clears by itself.
public final class StoreHealth: Sendable {
    private let failure = Mutex<String?>(nil)

    public init() {}

    /// Why the store cannot write now, or nil when it can.
    public var problem: String? { failure.withLock { $0 } }

    /// Notes a failed write; true when the store could write until now (say it once).
    func failed(_ reason: String) -> Bool {
        failure.withLock { current in
            defer { current = reason }
            return current == nil
        }
    }

    /// Notes a write that succeeded; true when it could not until now.
    func recovered() -> Bool {
        failure.withLock { current in
            defer { current = nil }
            return current != nil
        }
    }
}
