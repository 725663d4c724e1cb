import SigfoxEngine
import SigfoxModel

extension Scenario {
    /// The keys that start each kind of expectation besides callback counts.
    static let expectationKinds = [
        "ledgerBalances", "noPending", "downlink", "acknowledge", "network", "mail", "golden",
    ]

    static func expectations(_ node: ConfigNode?) throws(ConfigError) -> [Expectation] {
        var result = [Expectation]()
        for (item, path) in try items(node, path: "expect") {
            var object = try ConfigObject(item, path: path)
            let location = "\(item.location)"
            if let flag = try object.bool("ledgerBalances") {
                if flag { result.append(Expectation(.ledgerBalances, location: location)) }
                try object.rejectUnknownFields(allowed: ["ledgerBalances"])
            } else if let flag = try object.bool("noPending") {
                if flag { result.append(Expectation(.noPending, location: location)) }
                try object.rejectUnknownFields(allowed: ["noPending"])
            } else if let node = object.node("downlink") {
                var fields = try ConfigObject(node, path: object.fieldPath("downlink"))
                let text = try required(fields.string("device"), fields, "device", "a device id")
                guard let device = DeviceID(hex: text) else { throw fields.error("device", "expected a hex device id") }
                let data = try fields.string("data").map { (text) throws(ConfigError) in
                    try hex(text, fields, "data", syntax: "8 bytes of hex")
                }
                try fields.rejectUnknownFields(allowed: ["device", "data"])
                try object.rejectUnknownFields(allowed: ["downlink"])
                result.append(Expectation(.downlink(device: device, data: data), location: location))
            } else if let node = object.node("acknowledge") {
                var fields = try ConfigObject(node, path: object.fieldPath("acknowledge"))
                let info = try required(fields.string("infoMessage"), fields, "infoMessage", "ACKED, NO_ANSWER, ...")
                let device = try optionalDevice(&fields)
                let count = try fields.integer("count")
                try fields.rejectUnknownFields(allowed: ["infoMessage", "device", "count"])
                try object.rejectUnknownFields(allowed: ["acknowledge"])
                result.append(
                    Expectation(.acknowledge(device: device, infoMessage: info, count: count), location: location)
                )
            } else if let node = object.node("network") {
                var fields = try ConfigObject(node, path: object.fieldPath("network"))
                var counts = [Expectation.NetworkCount: Int]()
                for count in Expectation.NetworkCount.allCases {
                    if let value = try fields.integer(count.rawValue) { counts[count] = value }
                }
                try fields.rejectUnknownFields(allowed: Expectation.NetworkCount.allCases.map(\.rawValue))
                try object.rejectUnknownFields(allowed: ["network"])
                guard !counts.isEmpty else {
                    throw ConfigError(
                        location: node.location,
                        path: object.fieldPath("network"),
                        message: "expected one of: "
                            + Expectation.NetworkCount.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                }
                result.append(Expectation(.network(counts), location: location))
            } else if let node = object.node("mail") {
                var fields = try ConfigObject(node, path: object.fieldPath("mail"))
                let count = try required(fields.integer("count"), fields, "count", "how many e-mails")
                let recipient = try fields.string("to")
                let subject = try fields.string("subject")
                try fields.rejectUnknownFields(allowed: ["count", "to", "subject"])
                try object.rejectUnknownFields(allowed: ["mail"])
                result.append(
                    Expectation(.mails(recipient: recipient, subject: subject, count: count), location: location)
                )
            } else if object.has("golden") {
                let file = try required(object.string("golden"), object, "golden", "a journal file")
                guard !file.isEmpty else { throw object.error("golden", "expected the path of a journal file") }
                // A golden file lives under the scenario's folder: nothing outside it is read into a report
                // or written by --update-golden.
                let parts = file.split(separator: "/", omittingEmptySubsequences: false)
                guard !file.hasPrefix("/"), !file.hasPrefix("~"), !parts.contains(".."), !file.contains("\0") else {
                    throw object.error(
                        "golden",
                        "a golden file lives in the scenario's folder: give a relative path without '..' "
                            + "(such as golden/run.jsonl), found '\(file)'"
                    )
                }
                try object.rejectUnknownFields(allowed: ["golden"])
                result.append(Expectation(.golden(file), location: location))
            } else {
                result.append(try callbackCounts(&object, item: item, path: path, location: location))
            }
        }
        return result
    }

    private static func optionalDevice(_ fields: inout ConfigObject) throws(ConfigError) -> DeviceID? {
        guard let text = try fields.string("device") else { return nil }
        guard let id = DeviceID(hex: text) else { throw fields.error("device", "expected a hex device id") }
        return id
    }

    private static func callbackCounts(
        _ object: inout ConfigObject,
        item: ConfigNode,
        path: String,
        location: String
    ) throws(ConfigError) -> Expectation {
        var selection = Expectation.CallbackSelection()
        if let text = try object.string("service") {
            guard let parsed = CallbackService(name: text) else {
                throw object.error(
                    "service",
                    "unknown service '\(text)'; expected DATA/UPLINK, DATA/BIDIR, "
                        + "SERVICE/STATUS, SERVICE/ACKNOWLEDGE, SERVICE/DATA_ADVANCED, ERROR, ..."
                )
            }
            selection.service = parsed
        }
        if let text = try object.string("channel") {
            guard let parsed = CallbackChannel(rawValue: text.uppercased()) else {
                throw object.error("channel", "expected URL, BATCH_URL or EMAIL, found '\(text)'")
            }
            selection.channel = parsed
        }
        selection.callback = try object.string("callback")
        selection.path = try object.string("path")
        selection.device = try optionalDevice(&object)
        var counts = [Expectation.Count: Int]()
        for count in Expectation.Count.allCases {
            if let value = try object.integer(count.rawValue) { counts[count] = value }
        }
        try object.rejectUnknownFields(
            allowed: ["service", "channel", "callback", "path", "device"] + Expectation.Count.allCases.map(\.rawValue)
                + expectationKinds
        )
        guard !counts.isEmpty else {
            throw ConfigError(
                location: item.location,
                path: path,
                message: "an expectation needs one of: delivered, failed, retries, tries, cancelled (with "
                    + "service, channel, callback, path or device), or "
                    + expectationKinds.joined(separator: ", ")
            )
        }
        return Expectation(.callbacks(selection, counts: counts), location: location)
    }
}
