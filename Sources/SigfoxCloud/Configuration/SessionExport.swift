import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// A `serve` session as a scenario `run` replays in CI (`sigfox-sim export --messages`): the configuration
/// (`GET /sim/scenario`), every message as a traffic item at its time, and what the session saw as
/// expectations.
///
/// Each uplink becomes a recorded uplink (as `import messages` writes them): received at its recorded
/// time, by the stations that heard it, with their RSSI, SNR and repetitions, its sequence number, frames
/// and LQI, so `run` sends the same callbacks with the same variables. A status message is played as one.
/// The expectations are the session's own: the messages received, each callback's delivered tries (a
/// resend is left out: `run` does not replay it), and the ledger balancing.
public enum SessionExport {
    /// The scenario: `document` (the configuration as `GET /sim/scenario` gives it) with `traffic`, `start`
    /// and `expect` from `messages` and `attempts` (as the control API lists them, in any order).
    public static func scenario(document: ConfigNode, messages: [ConfigNode], attempts: [ConfigNode]) -> ConfigNode {
        // In the order `run` plays them: a recorded uplink at its first reception, a status message when it
        // was sent (it goes through the radio again).
        let sorted = messages.sorted { (played($0), number($0, "id")) < (played($1), number($1, "id")) }
        var entries = (document.entries ?? []).filter { !["traffic", "expect", "start", "time"].contains($0.key) }
        guard let first = sorted.first else { return ConfigNode(.object(entries)) }
        let location = SourceLocation(line: 1, column: 1)
        func entry(_ key: String, _ node: ConfigNode) -> ConfigEntry {
            ConfigEntry(key: key, keyLocation: location, node: node)
        }
        // The first message's second: every time played falls at or after it.
        let start = played(first) / 1000 * 1000
        let place = (entries.lastIndex { ["name", "seed"].contains($0.key) } ?? -1) + 1
        entries.insert(entry("start", .string(UTCDateTime(epochMilliseconds: start).iso8601Milliseconds)), at: place)
        entries.append(entry("traffic", ConfigNode(.array(traffic(sorted)))))
        entries.append(entry("expect", ConfigNode(.array(expectations(messages: sorted, attempts: attempts)))))
        return ConfigNode(.object(entries))
    }

    private static func number(_ node: ConfigNode, _ key: String) -> Int64 {
        node[key]?.scalarText.flatMap { Int64($0) } ?? 0
    }

    private static func time(_ message: ConfigNode) -> Int64 { number(message, "time") }

    /// When `run` plays the message: a status message when it was sent, a recorded uplink when received.
    private static func played(_ message: ConfigNode) -> Int64 {
        message["kind"]?.scalarText == "status" ? number(message, "sentAt") : time(message)
    }

    /// The messages as traffic items. A recorded uplink whose number would repeat or go back in the order
    /// `run` plays them (a status message sent while it was on its way took a number first) is preceded by
    /// a `disengage` of its device, so it is taken as the session took it.
    static func traffic(_ messages: [ConfigNode]) -> [ConfigNode] {
        var items = [ConfigNode]()
        var last = [String: Int64]()
        for message in messages {
            guard let device = message["device"]?.scalarText, let item = trafficItem(message) else { continue }
            let status = message["kind"]?.scalarText == "status"
            let seq = number(message, "seqNumber")
            // Forward distance modulo 4096: 0 repeats the number, over half the ring goes back.
            if !status, let previous = last[device], case let ahead = (seq - previous + 4096) % 4096,
                ahead == 0 || ahead > 2048
            {
                items.append(
                    .object([("at", item["at"]!), ("device", .string(device)), ("disengage", ConfigNode(.bool(true)))])
                )
            }
            last[device] = status ? (last[device].map { ($0 + 1) % 4096 } ?? seq) : seq
            items.append(item)
        }
        return items
    }

    /// One message as the traffic item that plays it again.
    static func trafficItem(_ message: ConfigNode) -> ConfigNode? {
        guard let device = message["device"]?.scalarText else { return nil }
        let at = ConfigNode.string(UTCDateTime(epochMilliseconds: played(message)).iso8601Milliseconds)
        if message["kind"]?.scalarText == "status" {
            var reading = [(String, ConfigNode)]()
            for key in ["temp", "batt"] {
                if let value = message[key]?.scalarText { reading.append((key, ConfigNode(.number(value)))) }
            }
            return .object([("at", at), ("device", .string(device)), ("status", .object(reading))])
        }
        let receptions = (message["receptions"]?.items ?? []).compactMap { reception -> ConfigNode? in
            guard let station = reception["station"]?.scalarText, let rssi = reception["rssi"]?.scalarText,
                let snr = reception["snr"]?.scalarText, let rep = reception["nbRep"]?.scalarText
            else { return nil }
            return .object([
                ("station", .string(station)), ("rssi", ConfigNode(.number(rssi))), ("snr", ConfigNode(.number(snr))),
                ("rep", ConfigNode(.number(rep))),
            ])
        }
        var fields: [(String, ConfigNode)] = [
            ("at", at), ("device", .string(device)), ("payload", .string(message["data"]?.scalarText ?? "")),
        ]
        if message["ack"]?.scalarText == "true" { fields.append(("ack", ConfigNode(.bool(true)))) }
        for (key, source) in [("seqNumber", "seqNumber"), ("frames", "frames"), ("lqi", "linkQuality")] {
            if let value = message[source]?.scalarText { fields.append((key, ConfigNode(.number(value)))) }
        }
        fields.append(("receptions", ConfigNode(.array(receptions))))
        return .object(fields)
    }

    /// What the session saw: the messages received, each callback's delivered tries (resends left out),
    /// and the ledger balancing.
    static func expectations(messages: [ConfigNode], attempts: [ConfigNode]) -> [ConfigNode] {
        var order = [String]()
        var delivered = [String: Int]()
        for attempt in attempts.sorted(by: { id($0) < id($1) }) {
            guard let callback = attempt["callback"]?.scalarText else { continue }
            if case .number? = attempt["resentFrom"]?.value { continue }
            if delivered[callback] == nil { order.append(callback) }
            delivered[callback, default: 0] += attempt["outcome"]?.scalarText == "delivered" ? 1 : 0
        }
        var result: [ConfigNode] = [
            .object([("network", .object([("messages", ConfigNode(.number(String(messages.count))))]))])
        ]
        for callback in order {
            result.append(
                .object([
                    ("callback", .string(callback)), ("delivered", ConfigNode(.number(String(delivered[callback]!)))),
                ])
            )
        }
        result.append(.object([("ledgerBalances", ConfigNode(.bool(true)))]))
        return result
    }

    private static func id(_ attempt: ConfigNode) -> Int64 { number(attempt, "id") }
}
