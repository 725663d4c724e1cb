import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel

/// A scenario: a fleet, its callbacks, the traffic it sends, the receiver it talks to and what must hold
/// at the end. Loaded from YAML (or JSON) by ``Scenario/load(path:)``; run by ``ScenarioRunner``.
public struct Scenario: Sendable {
    /// Shown in reports and as the JUnit suite name.
    public var name: String
    /// The one seed every random choice comes from (DESIGN.md, "Determinism").
    public var seed: UInt64
    /// The simulation start time.
    public var start: SimulationTime
    /// How simulation time relates to wall time (DESIGN.md, "Time").
    public var time: TimeMode
    /// Network tunables (frame loss, noise); defaults otherwise.
    public var network: NetworkCore.Configuration
    /// `network.downlinkFailure`: every downlink fails in the network (ACKNOWLEDGE NETWORK_ERROR), as when no
    /// station can transmit it.
    public var downlinkNetworkFailure = false
    public var baseStations: [BaseStation]
    public var deviceTypes: [ScenarioDeviceType]
    public var devices: [Device]
    /// Everything the scenario does to the network (uplinks, status messages, station outages, changes of
    /// the embedded receiver), as a plan whose periodic events are generated as they fall due.
    public var trafficPlan: TrafficPlan
    /// The plan's events, built at once, in time order; silences are already applied (the uplinks they
    /// suppress are not here). Setting it replaces the plan.
    public var traffic: [ScheduledEvent] {
        get { trafficPlan.events }
        set { trafficPlan = TrafficPlan(events: newValue) }
    }
    /// The embedded receiver's answer rules, or nil when callbacks go to the user's own server.
    public var receiver: ReceiverRules?
    /// Where e-mails go, and their sender.
    public var mail: MailSettings
    public var expectations: [Expectation]
    /// The file it was loaded from (for error messages), or empty.
    public var file: String
    /// `tls.caFile`: a PEM file of extra CAs to trust (a test CA), relative to the scenario's folder.
    public var caFile: String?
    /// Where each item of `devices` was written and which devices it made (for warnings that name them).
    public var deviceSources: [DeviceSource] = []

    /// ``caFile`` as a path from here: in the scenario's folder.
    public var resolvedCAFile: String? {
        guard let caFile else { return nil }
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? caFile : folder + "/" + caFile
    }

    public init(
        name: String,
        seed: UInt64,
        start: SimulationTime,
        time: TimeMode = .virtual,
        network: NetworkCore.Configuration = NetworkCore.Configuration(),
        baseStations: [BaseStation],
        deviceTypes: [ScenarioDeviceType],
        devices: [Device],
        traffic: [ScheduledEvent],
        receiver: ReceiverRules?,
        mail: MailSettings = MailSettings(),
        expectations: [Expectation],
        file: String = ""
    ) {
        self.name = name
        self.seed = seed
        self.start = start
        self.time = time
        self.network = network
        self.baseStations = baseStations
        self.deviceTypes = deviceTypes
        self.devices = devices
        self.trafficPlan = TrafficPlan(events: traffic)
        self.receiver = receiver
        self.mail = mail
        self.expectations = expectations
        self.file = file
    }
}

/// A device type of a scenario with its callbacks, kept as written so `{receiver}` can be replaced by the
/// embedded receiver's address once it listens.
public struct ScenarioDeviceType: Sendable {
    public var type: DeviceType
    /// Each callback's configuration node and its path in the file (for errors).
    public var callbacks: [(node: ConfigNode, path: String)]

    public init(type: DeviceType, callbacks: [(node: ConfigNode, path: String)]) {
        self.type = type
        self.callbacks = callbacks
    }

    /// The callbacks with every `{receiver}` in their text replaced by `receiverURL`, loaded and validated.
    public func definitions(receiverURL: String) throws(ConfigError) -> [CallbackDefinition] {
        var result = [CallbackDefinition]()
        for (node, path) in callbacks {
            let prepared = node.replacingReceiver(with: receiverURL).inheritingPayloadConfig(type.payloadConfig)
            result.append(try CallbackDefinition(from: prepared, path: path))
        }
        return result
    }
}

extension Scenario {
    /// Refuses a scenario whose callbacks use `{receiver}` when nothing stands behind it: no `receiver:`
    /// section and no `--target` (`run`, `serve` and `exec` say the same).
    public func checkReceiver(target: String?) throws(ConfigError) {
        guard receiver == nil, target == nil,
            let node = deviceTypes.lazy.flatMap(\.callbacks).first(where: { $0.node.mentionsReceiver })
        else { return }
        throw ConfigError(
            file: file,
            location: node.node.location,
            path: node.path,
            message: "uses {receiver} but the scenario has no receiver: add 'receiver: embedded' to the "
                + "scenario, or give your own server with --target http://127.0.0.1:8080"
        )
    }

    /// The uplinks of ``traffic``, in time order.
    public var uplinks: [ScheduledUplink] {
        traffic.compactMap { event in
            guard case .uplink(let uplink) = event.kind else { return nil }
            return ScheduledUplink(time: event.time, uplink: uplink)
        }
    }
}

/// One uplink at its simulation time.
public struct ScheduledUplink: Sendable, Equatable {
    public var time: SimulationTime
    public var uplink: Uplink

    public init(time: SimulationTime, uplink: Uplink) {
        self.time = time
        self.uplink = uplink
    }
}

/// One thing the scenario does to the network, at its simulation time.
public struct ScheduledEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A device sends an uplink.
        case uplink(Uplink)
        /// A message as the real cloud recorded it, played as it was: first received at its time, by its
        /// stations with their RSSI and SNR (`import messages` writes them).
        case recorded(RecordedUplink)
        /// A device sends an out-of-band status message: temperature in °C, battery in volts (SIGFOX.md
        /// section 2, SERVICE/STATUS).
        case status(device: DeviceID, temperature: Double, battery: Double)
        /// A base station goes down (`up` false: ERROR/WARN fires, SIGFOX.md section 2) or comes back up.
        case station(BaseStationID, up: Bool)
        /// The embedded receiver answers every request with this from now on (nil: by its rules again),
        /// the `receiver` traffic item.
        case receiver(ReceiverResponse?)
        /// A repeater device sends its status frame (SERVICE/REPEATER, SIGFOX.md section 2).
        case repeater(device: DeviceID, status: RepeaterStatus)
        /// The device's sequence numbers jump or restart (a major jump takes it out of sequence, section 8).
        case sequence(device: DeviceID, SequenceChange)
        /// The device's sequence is disengaged: its next message is taken whatever its number.
        case disengage(device: DeviceID)
        /// Every device of the type is disengaged.
        case disengageType(DeviceTypeID)
        /// The device's token ends: OFF_CONTRACT fires and its messages are rejected until a renewal.
        case contractEnd(device: DeviceID, ContractDetails)
        /// The device's subscription is prolonged (until the given time): TOKEN_RENEWAL fires.
        case renewal(device: DeviceID, until: SimulationTime?, ContractDetails)
    }

    public var time: SimulationTime
    public var kind: Kind

    public init(time: SimulationTime, kind: Kind) {
        self.time = time
        self.kind = kind
    }

    /// The device that sends, for uplinks and status messages.
    public var device: DeviceID? {
        switch kind {
        case .uplink(let uplink): return uplink.device
        case .recorded(let uplink): return uplink.device
        case .status(let device, _, _): return device
        case .repeater(let device, _): return device
        case .station, .receiver, .sequence, .disengage, .disengageType, .contractEnd, .renewal: return nil
        }
    }
}

/// Where the EMAIL channel's mails go (SIGFOX.md section 4).
public struct MailSettings: Sendable, Equatable {
    /// `smtp://host:port` of the user's own mail server; nil: the embedded SMTP sink when the scenario
    /// has `receiver: embedded`.
    public var smtpURL: String?
    /// The envelope sender and `From:`.
    public var from: String
    /// Recipients the embedded SMTP sink refuses with 550, so the e-mail failure path can be played.
    public var rejectedRecipients: [String]

    public init(smtpURL: String? = nil, from: String = "sigfox-sim@localhost", rejectedRecipients: [String] = []) {
        self.smtpURL = smtpURL
        self.from = from
        self.rejectedRecipients = rejectedRecipients
    }
}

extension ConfigNode {
    /// The placeholder a callback writes for the embedded receiver's base URL.
    public static let receiverPlaceholder = "{receiver}"

    /// A callback object that gets the device type's `payloadConfig` when it has none of its own.
    func inheritingPayloadConfig(_ payloadConfig: String?) -> ConfigNode {
        guard let payloadConfig, case .object(let entries) = value,
            !entries.contains(where: { $0.key == "payloadConfig" })
        else { return self }
        let entry = ConfigEntry(
            key: "payloadConfig",
            keyLocation: location,
            node: ConfigNode(.string(payloadConfig), at: location)
        )
        return ConfigNode(.object(entries + [entry]), at: location)
    }

    /// An item of a device type's `events` list: a callback whose service is EVENT unless it says otherwise.
    var asEventCallback: ConfigNode {
        guard case .object(let entries) = value,
            !entries.contains(where: { $0.key == "service" || $0.key == "callbackType" })
        else { return self }
        let entry = ConfigEntry(key: "service", keyLocation: location, node: ConfigNode(.string("EVENT"), at: location))
        return ConfigNode(.object([entry] + entries), at: location)
    }

    /// This node with `{receiver}` replaced by `url` in every string.
    func replacingReceiver(with url: String) -> ConfigNode {
        switch value {
        case .string(let text) where text.contains(Self.receiverPlaceholder):
            return ConfigNode(.string(text.replacing(Self.receiverPlaceholder, with: url)), at: location)
        case .array(let items):
            return ConfigNode(.array(items.map { $0.replacingReceiver(with: url) }), at: location)
        case .object(let entries):
            let replaced = entries.map {
                ConfigEntry(key: $0.key, keyLocation: $0.keyLocation, node: $0.node.replacingReceiver(with: url))
            }
            return ConfigNode(.object(replaced), at: location)
        default:
            return self
        }
    }
}
