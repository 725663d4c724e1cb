import GRDB
import SigfoxEngine
import SigfoxModel

/// A message as the control API lists it and the event stream sends it: one shape for both.
///
/// Fields: `id`, `kind` (`uplink` or `status`), `device`, `deviceType`, `seqNumber`, `time` (first
/// reception, epoch ms), `sentAt`, `data` (hex), `ack`, `frames`, `lqi`, `linkQuality`, `overLimit`,
/// `temp` and `batt` (status messages), `receptions` (`station`, `rssi`, `snr`, `nbRep`, `firstHeard`).
enum MessageJSON {
    static func object(_ row: StoreBatch.MessageRow) -> String {
        let m = row.message
        return object(
            id: row.id,
            kind: row.kind,
            device: m.device.description,
            deviceType: m.deviceType.description,
            seqNumber: m.seqNumber,
            time: m.firstReception.milliseconds,
            sentAt: m.sentAt.milliseconds,
            data: Hex.lowercase(m.payload),
            ack: m.ack,
            frames: m.frames,
            lqi: m.linkQuality.word(),
            linkQuality: m.linkQuality.rawValue,
            overLimit: m.isOverLimit,
            temperature: row.temperature,
            battery: row.battery,
            receptions: row.receptionsJSON
        )
    }

    static func object(_ message: KeptMessage) -> String {
        object(
            id: message.id,
            kind: message.kind,
            device: message.device,
            deviceType: message.deviceType,
            seqNumber: message.seqNumber,
            time: message.time,
            sentAt: message.sentAt,
            data: message.data,
            ack: message.ack,
            frames: message.frames,
            lqi: message.lqi,
            linkQuality: message.linkQuality,
            overLimit: message.overLimit,
            temperature: message.temp,
            battery: message.batt,
            receptions: message.receptions
        )
    }

    static func object(
        id: Int64,
        kind: String,
        device: String,
        deviceType: String,
        seqNumber: Int,
        time: Int64,
        sentAt: Int64,
        data: String,
        ack: Bool,
        frames: Int,
        lqi: String,
        linkQuality: Int,
        overLimit: Bool,
        temperature: Double?,
        battery: Double?,
        receptions: String
    ) -> String {
        var fields = [
            "\"id\":\(id)", "\"kind\":" + JSONText.quoted(kind), "\"device\":" + JSONText.quoted(device),
            "\"deviceType\":" + JSONText.quoted(deviceType), "\"seqNumber\":\(seqNumber)", "\"time\":\(time)",
            "\"sentAt\":\(sentAt)", "\"data\":" + JSONText.quoted(data), "\"ack\":\(ack)", "\"frames\":\(frames)",
            "\"lqi\":" + JSONText.quoted(lqi), "\"linkQuality\":\(linkQuality)", "\"overLimit\":\(overLimit)",
        ]
        if let temperature { fields.append("\"temp\":\(VariableValue.twoDecimals(temperature))") }
        if let battery { fields.append("\"batt\":\(VariableValue.twoDecimals(battery))") }
        fields.append("\"receptions\":" + receptions)
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// A try as the control API lists it and the event stream sends it: `id`, `device` and `messageTime` (the
/// first message it carries: which uplink it belongs to), `note` (e.g. sent late after a restart),
/// `resentFrom` (the try whose request this try's delivery resends, or null) and `resentAs` (the deliveries
/// this try was resent as, in the listings), then the journal's fields (``AttemptRecord/jsonLine``).
enum AttemptJSON {
    /// The column list that gives a try's row its `resentAs` (the deliveries it was resent as, `3,7`).
    static let columns = "*, (SELECT group_concat(delivery) FROM resend WHERE resend.try = attempt.id) AS resentAs"

    static func object(id: Int64, record: AttemptRecord, note: String?, resentFrom: Int64? = nil) -> String {
        let first = record.messages.first
        return object(
            id: id,
            device: first?.device.description ?? "",
            messageTime: first?.time.milliseconds ?? 0,
            note: note,
            resentFrom: resentFrom,
            resentAs: [],
            line: record.jsonLine
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

    /// The deliveries a try's row says it was resent as (read with ``columns``).
    static func resentAs(_ row: Row) -> [Int64] {
        guard row.hasColumn("resentAs"), let text: String = row["resentAs"] else { return [] }
        return text.split(separator: ",").compactMap { Int64($0) }
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
