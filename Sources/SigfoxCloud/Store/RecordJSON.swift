import SigfoxEngine
import SigfoxModel

/// A message as the control API lists it (`GET /sim/messages`, the export) and the event stream sends it
/// (`message` events): one shape for both, read by the dashboard's JavaScript.
///
/// Fields: `id`, `kind` (`uplink` or `status`), `device`, `deviceType`, `seqNumber`, `time` (first
/// reception, epoch ms), `sentAt`, `data` (hex), `ack`, `frames`, `lqi`, `linkQuality`, `overLimit`,
/// `temp` and `batt` (status messages only, two decimals), `receptions` (`station`, `rssi`, `snr`, `nbRep`,
/// `firstHeard`, as the store keeps them).
struct MessageBody: Encodable {
    var id: Int64
    var kind: String
    var device: String
    var deviceType: String
    var seqNumber: Int
    var time: Int64
    var sentAt: Int64
    var data: String
    var ack: Bool
    var frames: Int
    var lqi: String
    var linkQuality: Int
    var overLimit: Bool
    var temp: TwoDecimals?
    var batt: TwoDecimals?
    var receptions: EncodedJSON

    /// A message the engine has just stored (its `message` event).
    init(_ row: StoreBatch.MessageRow) {
        let m = row.message
        id = row.id
        kind = row.kind
        device = m.device.description
        deviceType = m.deviceType.description
        seqNumber = m.seqNumber
        time = m.firstReception.milliseconds
        sentAt = m.sentAt.milliseconds
        data = Hex.lowercase(m.payload)
        ack = m.ack
        frames = m.frames
        lqi = m.linkQuality.word()
        linkQuality = m.linkQuality.rawValue
        overLimit = m.isOverLimit
        temp = row.temperature.map(TwoDecimals.init)
        batt = row.battery.map(TwoDecimals.init)
        receptions = EncodedJSON(row.receptionsJSON)
    }

    /// A message read back from the store.
    init(_ message: KeptMessage) {
        id = message.id
        kind = message.kind
        device = message.device
        deviceType = message.deviceType
        seqNumber = message.seqNumber
        time = message.time
        sentAt = message.sentAt
        data = message.data
        ack = message.ack
        frames = message.frames
        lqi = message.lqi
        linkQuality = message.linkQuality
        overLimit = message.overLimit
        temp = message.temp.map(TwoDecimals.init)
        batt = message.batt.map(TwoDecimals.init)
        receptions = EncodedJSON(message.receptions)
    }
}

/// A try as the control API lists it and the event stream sends it: `id`, `device` and `messageTime` (the
/// first message it carries: which uplink it belongs to), `note` (e.g. sent late after a restart),
/// `resentFrom` (the try whose request this try's delivery resends, or null) and `resentAs` (the deliveries
/// this try was resent as, in the listings), then the journal's fields (``AttemptRecord/jsonLine``).
///
/// Written by hand, not encoded from a type: its fields after `resentAs` are the journal's line as the store
/// keeps it, byte for byte (the same bytes as `--journal`), spliced in.
enum AttemptJSON {
    /// The column list that gives a try's row its `resentAs` (the deliveries it was resent as, `3,7`).
    static let columns = "*, (SELECT group_concat(delivery) FROM resend WHERE resend.try = attempt.id) AS resentAs"

    /// A try as it ended, with its journal line (``AttemptRecord/jsonLine``, written once by the caller).
    static func object(id: Int64, record: AttemptRecord, note: String?, resentFrom: Int64?, line: String) -> String {
        let first = record.messages.first
        return object(
            id: id,
            device: first?.device.description ?? "",
            messageTime: first?.time.milliseconds ?? 0,
            note: note,
            resentFrom: resentFrom,
            resentAs: [],
            line: line
        )
    }

    static func object(_ kept: KeptTry) -> String {
        object(
            id: kept.id,
            device: kept.device,
            messageTime: kept.messageTime,
            note: kept.note,
            resentFrom: kept.resentFrom,
            resentAs: kept.resentAsDeliveries,
            line: kept.line
        )
    }

    static func object(
        id: Int64,
        device: String,
        messageTime: Int64,
        note: String?,
        resentFrom: Int64?,
        resentAs: [Int64],
        line: String
    ) -> String {
        "{\"id\":\(id),\"device\":\(JSONText.quoted(device)),\"messageTime\":\(messageTime),"
            + "\"note\":\(note.map(JSONText.quoted) ?? "null"),\"resentFrom\":\(resentFrom.map(String.init) ?? "null"),"
            + "\"resentAs\":[\(resentAs.map(String.init).joined(separator: ","))]," + line.dropFirst()
    }
}
