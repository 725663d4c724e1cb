import SigfoxEngine
import SigfoxModel

/// Builds the simulation a scenario describes: the fleet, the network core with its traffic, and the
/// callback engine with `{receiver}` replaced by the receiver's address.
public struct ScenarioBuilder: Sendable {
    public let scenario: Scenario

    public init(_ scenario: Scenario) {
        self.scenario = scenario
    }

    /// The fleet: device types, devices and base stations.
    public func fleet() throws(ConfigError) -> Fleet {
        do {
            return try Fleet(
                deviceTypes: scenario.deviceTypes.map(\.type),
                devices: scenario.devices,
                baseStations: scenario.baseStations
            )
        } catch {
            throw ConfigError(file: scenario.file, location: nil, path: "", message: error.description)
        }
    }

    /// The network core seeded with the scenario's seed, with the scenario's network settings
    /// (`network.downlinkFailure` included): the one place `run`, `load` and `serve` build it.
    public func network() throws(ConfigError) -> NetworkCore {
        do {
            var network = try NetworkCore(configuration: scenario.network, fleet: try fleet(), seed: scenario.seed)
            network.downlinkNetworkFailure = scenario.downlinkNetworkFailure
            return network
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: scenario.file, location: nil, path: "", message: "\(error)")
        }
    }

    /// The network core wrapped with the scenario's traffic.
    public func traffic(progress: RunProgress? = nil) throws(ConfigError) -> ScenarioTraffic {
        ScenarioTraffic(network: try network(), plan: scenario.trafficPlan, progress: progress)
    }

    /// The callback engine; `receiverURL` replaces `{receiver}` (`http://127.0.0.1:PORT`).
    public func callbackEngine(receiverURL: String) throws(ConfigError) -> CallbackEngine {
        var callbacks = [DeviceTypeID: [CallbackDefinition]]()
        for type in scenario.deviceTypes {
            do {
                callbacks[type.type.id] = try type.definitions(receiverURL: receiverURL)
            } catch {
                throw error.inFile(scenario.file)
            }
        }
        return CallbackEngine(callbacks: callbacks)
    }

    /// Whether an enabled callback of the scenario sends e-mail (SIGFOX.md section 4, EMAIL channel).
    public var sendsMail: Bool {
        scenario.deviceTypes.contains { type in
            let definitions = (try? type.definitions(receiverURL: "http://127.0.0.1:9")) ?? []
            return definitions.contains { $0.enabled && $0.channel == .email }
        }
    }
}

extension ScenarioDeviceType {
    /// Has the network do only what this type's callbacks use: hold each message 25 s for DATA_ADVANCED
    /// only when an enabled DATA_ADVANCED callback exists, and write the JSON lists of receptions only
    /// when a callback uses `{reception}` or `{duplicates}`. Nothing a callback sends changes; `run` in real
    /// time then ends when nothing more can happen, instead of waiting 25 s for a trigger nobody hears.
    /// `loaded`: the type's callbacks, when the caller has them already.
    public mutating func fireOnlyWhatCallbacksUse(_ loaded: [CallbackDefinition]? = nil) {
        let definitions = loaded ?? (try? definitions(receiverURL: "http://127.0.0.1:9")) ?? []
        type.firesDataAdvanced = definitions.contains { $0.enabled && $0.service == .dataAdvanced }
        type.writesReceptionLists = definitions.contains {
            let used = $0.usedVariables.standard
            return used.contains(.reception) || used.contains(.duplicates)
        }
    }
}
