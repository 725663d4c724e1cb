import GRDB
import SigfoxEngine
import SigfoxModel

/// A delivery waiting for a try, as the store keeps it (table `delivery`) until it ends: the callback and
/// the messages it carries (JSON, ``PersistedDelivery/callbackJSON(_:)`` and
/// ``PersistedDelivery/messagesJSON(_:)``), the request exactly as first rendered (``RenderedCallback/json``),
/// its tries so far and when the next one is due. Written with each turn's ``StoreBatch``, read back after a
/// restart.
struct KeptDelivery: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "delivery"

    var id: Int64
    var callback: String
    var request: String
    var messages: String
    var sendSni: Bool
    var tries: Int
    /// When the next try is due, epoch ms (simulation time).
    var due: Int64
    /// The try whose request this delivery resends, if it is a resend.
    var resentFrom: Int64?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let due = Column(CodingKeys.due)
        static let resentFrom = Column(CodingKeys.resentFrom)
        static let tries = Column(CodingKeys.tries)
    }

    /// Oldest due first, then by id: the order the engine takes them.
    static let dueOrder = [Columns.due, Columns.id]
}

/// A delivery's id and due time only (the deliveries beyond those read whole after a restart).
struct KeptDeliveryDue: Decodable, Sendable, FetchableRecord, TableRecord {
    static let databaseTableName = "delivery"
    static var databaseSelection: [any SQLSelectable] { [KeptDelivery.Columns.id, KeptDelivery.Columns.due] }

    var id: Int64
    var due: Int64
}

/// A resend waiting: the delivery and the try it resends.
struct KeptDeliveryResend: Decodable, Sendable, FetchableRecord, TableRecord {
    static let databaseTableName = "delivery"
    static var databaseSelection: [any SQLSelectable] { [KeptDelivery.Columns.id, KeptDelivery.Columns.resentFrom] }

    var id: Int64
    var resentFrom: Int64
}

/// A try resent (table `resend`): the try, the delivery it was resent as, and when.
struct KeptResend: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "resend"

    var `try`: Int64
    var delivery: Int64
    var time: Int64
}

/// The sequence number a device's next message carries, as last recorded (table `device_state`).
struct KeptDeviceState: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "device_state"

    var device: String
    var nextSeq: Int
}

/// A value the engine keeps across restarts (table `state`): the simulation clock, the lifecycles, ...
struct KeptState: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "state"

    var key: String
    var value: String
}

/// The queries on deliveries waiting and devices' state, one place for their SQL.
extension CloudStore {
    /// The sequence number each device's next message carries, as last recorded.
    public func sequenceNumbers() throws -> [DeviceID: Int] {
        try read { db in
            var result = [DeviceID: Int]()
            for state in try KeptDeviceState.fetchAll(db) {
                if let id = DeviceID(hex: state.device) { result[id] = state.nextSeq }
            }
            return result
        }
    }

    /// The deliveries that were waiting (for a first try or a retry) when the process stopped: the first
    /// `limit` due read whole, the others as their id and due time only (read whole when due).
    public func unfinishedDeliveries(
        limit: Int
    ) throws -> (whole: [PersistedDelivery], rest: [(UInt64, SimulationTime)]) {
        try read { db in
            let whole = try KeptDelivery.order(KeptDelivery.dueOrder).limit(limit).fetchAll(db)
                .compactMap(PersistedDelivery.init)
            // SQLite has no OFFSET without a LIMIT: -1 is "no limit".
            let rest = try KeptDeliveryDue.order(KeptDelivery.dueOrder).limit(-1, offset: limit).fetchAll(db)
                .map { (UInt64($0.id), SimulationTime(milliseconds: $0.due)) }
            return (whole, rest)
        }
    }

    /// One unfinished delivery, as the store has it now (a retry the engine kept only here is due).
    public func unfinishedDelivery(id: UInt64) throws -> PersistedDelivery? {
        try read { db in try KeptDelivery.fetchOne(db, key: Int64(id)).flatMap(PersistedDelivery.init) }
    }

    /// The deliveries waiting that are resends, with the try each resends (restored after a restart).
    public func resentDeliveries() throws -> [UInt64: Int64] {
        try read { db in
            let resends = try KeptDeliveryResend.filter(KeptDelivery.Columns.resentFrom != nil).fetchAll(db)
            return Dictionary(resends.map { (UInt64($0.id), $0.resentFrom) }, uniquingKeysWith: { $1 })
        }
    }

    /// The highest delivery id recorded, so new ones continue the numbering.
    public func highestDeliveryID() throws -> UInt64 {
        try read { db in
            let waiting = try KeptDelivery.select(max(KeptDelivery.Columns.id), as: Int64.self).fetchOne(db) ?? 0
            let tried = try KeptTry.select(max(Column("delivery")), as: Int64.self).fetchOne(db) ?? 0
            return UInt64(Swift.max(waiting, tried, 0))
        }
    }
}
