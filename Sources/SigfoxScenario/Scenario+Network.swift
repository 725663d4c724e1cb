import SigfoxEngine
import SigfoxModel

extension Scenario {
    /// The scenario's `network` section: the network core's tunables (``NetworkCore/Configuration``; the radio
    /// model's, fitted to recordings, as docs/network.md's "Radio model" explains) and `downlinkFailure`.
    static func networkSettings(
        _ node: ConfigNode
    ) throws(ConfigError) -> (configuration: NetworkCore.Configuration, downlinkFailure: Bool) {
        var network = NetworkCore.Configuration()
        var downlinkFailure = false
        var fields = try ConfigObject(node, path: "network")
        if let value = try fields.double("frameLossProbability") { network.frameLossProbability = value }
        if let value = try fields.double("rssiNoise") { network.rssiNoise = value }
        if let value = try fields.double("pathLossExponent") { network.pathLossExponent = value }
        if let value = try fields.double("referencePathLoss") { network.referencePathLoss = value }
        if let value = try fields.double("shadowing") { network.shadowing = value }
        if let value = try fields.double("noiseFloor") { network.noiseFloor = value }
        if let value = try fields.double("noiseFloorSpread") { network.noiseFloorSpread = value }
        if let value = try fields.double("snrCeiling") { network.snrCeiling = value }
        if let value = try fields.double("snrNoise") { network.snrNoise = value }
        if let value = try fields.double("minimumSNR") { network.minimumSNR = value }
        if let text = try fields.string("networkDelay") {
            guard let range = Self.durationRange(text) else {
                throw fields.error(
                    "networkDelay",
                    "expected a duration (3s) or a range (2.5s..4.5s), found '\(text)'"
                )
            }
            network.networkDelay = range
        }
        if let text = try fields.string("dataAdvancedDelay") {
            guard let delay = ScenarioTime.duration(text) else {
                throw fields.error("dataAdvancedDelay", "expected a duration such as 25s, found '\(text)'")
            }
            network.dataAdvancedDelay = delay
        }
        downlinkFailure = try fields.bool("downlinkFailure") ?? false
        if let text = try fields.string("acknowledgeDelay") {
            guard let delay = ScenarioTime.duration(text) else {
                throw fields.error("acknowledgeDelay", "expected a duration such as 35s, found '\(text)'")
            }
            network.acknowledgeDelay = delay
        }
        if let text = try fields.string("lqi") {
            guard let style = LQIStyle(rawValue: text) else {
                throw fields.error("lqi", "expected title (Good) or upper (GOOD), found '\(text)'")
            }
            network.lqiStyle = style
        }
        if let value = try fields.double("downlinkAckProbability") {
            network.downlinkConfirmationProbability = value
        }
        if let text = try fields.string("overLimitPolicy") {
            guard let policy = NetworkCore.OverLimitPolicy(rawValue: text) else {
                throw fields.error("overLimitPolicy", "expected deliver or drop, found '\(text)'")
            }
            network.overLimitPolicy = policy
        }
        if let text = try fields.string("infoMessage") {
            guard let style = InfoMessageStyle(rawValue: text) else {
                throw fields.error("infoMessage", "expected recorded (Acked) or names (ACKED), found '\(text)'")
            }
            network.infoMessageStyle = style
        }
        try fields.rejectUnknownFields(allowed: [
            "frameLossProbability", "rssiNoise", "pathLossExponent", "referencePathLoss", "shadowing", "noiseFloor",
            "noiseFloorSpread", "snrCeiling", "snrNoise", "minimumSNR", "networkDelay", "dataAdvancedDelay", "lqi",
            "downlinkAckProbability", "overLimitPolicy", "infoMessage", "acknowledgeDelay", "downlinkFailure",
        ])
        do {
            try network.validate()
        } catch {
            throw ConfigError(location: node.location, path: "network", message: error.description)
        }
        return (network, downlinkFailure)
    }
}
