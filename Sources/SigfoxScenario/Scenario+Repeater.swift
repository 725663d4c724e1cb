import SigfoxEngine
import SigfoxModel

extension Scenario {
    /// A traffic item's `repeater: {whitelistDevices, repeatedMsg, unwantedDevices, unwantedMsg, wrongMsg,
    /// overRegulMsg, batt}`: the counts as the repeater counted them (the network writes the codes of
    /// SIGFOX.md section 2 and Sigfox's REPEATER page, see ``RepeaterStatus``) and the battery in volts.
    static func repeaterStatus(_ node: ConfigNode, path: String) throws(ConfigError) -> RepeaterStatus {
        var fields = try ConfigObject(node, path: path)
        func count(_ key: String) throws(ConfigError) -> Int {
            let value = try fields.integer(key) ?? 0
            guard value >= 0 else { throw fields.error(key, "must not be negative") }
            return value
        }
        let volts = try fields.double("batt") ?? 0
        guard volts >= 0, volts < 100 else {
            throw fields.error("batt", "expected the battery in volts (3.6), found \(volts)")
        }
        let status = RepeaterStatus(
            whitelistDevices: try count("whitelistDevices"),
            repeatedMessages: try count("repeatedMsg"),
            unwantedDevices: try count("unwantedDevices"),
            unwantedMessages: try count("unwantedMsg"),
            wrongMessages: try count("wrongMsg"),
            overRegulationMessages: try count("overRegulMsg"),
            battery: volts
        )
        try fields.rejectUnknownFields(allowed: [
            "whitelistDevices", "repeatedMsg", "unwantedDevices", "unwantedMsg", "wrongMsg", "overRegulMsg", "batt",
        ])
        return status
    }
}
