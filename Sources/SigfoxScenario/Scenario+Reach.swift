import SigfoxEngine
import SigfoxModel

/// No silent loss: a device no base station can hear, or a scenario without a station, loses every uplink
/// (SIGFOX.md section 1: a message no station heard never reaches the cloud, so it fires nothing). The
/// scenario says so when it loads, naming the device and where it was written; where its expectations
/// need those messages, it is an error instead.
extension Scenario {
    /// One item of the `devices` list: the devices it made (a generated item makes several) and where it
    /// was written.
    public struct DeviceSource: Sendable, Equatable {
        public var range: Range<Int>
        public var location: SourceLocation?
        public var path: String
    }

    /// The items of the `devices` node, with the range of devices each made (in load order).
    static func deviceSources(_ node: ConfigNode?) -> [DeviceSource] {
        var sources = [DeviceSource]()
        var next = 0
        guard case .array(let items)? = node?.value else { return [] }
        for (index, item) in items.enumerated() {
            let count = item["count"]?.scalarText.flatMap { Int($0) } ?? 1
            sources.append(
                DeviceSource(range: next..<(next + max(count, 1)), location: item.location, path: "devices[\(index)]")
            )
            next += max(count, 1)
        }
        return sources
    }

    /// The devices the traffic makes send by radio (uplinks, status and repeater frames): recorded uplinks
    /// carry their own receptions and need no station in reach.
    var radioSenders: Set<DeviceID> {
        var senders = Set<DeviceID>()
        for (_, event) in trafficPlan.explicit {
            switch event.kind {
            case .uplink, .status, .repeater: if let device = event.device { senders.insert(device) }
            default: break
            }
        }
        for item in trafficPlan.periodic where item.count > 0 { senders.formUnion(item.devices) }
        return senders
    }

    /// Each device no base station can ever hear (all of them when the scenario has no station), with why.
    /// `sendersOnly`: only the devices its traffic makes send (what `run` plays); otherwise every device
    /// (what `serve` can be asked to send from).
    public func unreachableDevices(sendersOnly: Bool) -> [DeviceReach] {
        let senders = sendersOnly ? radioSenders : nil
        return devices.compactMap { device in
            if let senders, !senders.contains(device.id) { return nil }
            let reach = NetworkCore.reach(of: device, stations: baseStations, configuration: network, seed: seed)
            return reach.isOutOfReach ? reach : nil
        }
    }

    /// The warnings to give at load: one per `devices` item holding devices no station can hear (or one
    /// for the whole scenario when it has no station), each naming the devices, why, and what follows.
    public func reachWarnings(sendersOnly: Bool) -> [ConfigError] {
        let unreachable = unreachableDevices(sendersOnly: sendersOnly)
        guard !unreachable.isEmpty else { return [] }
        if baseStations.isEmpty {
            let ids = Self.listed(unreachable.map(\.device))
            return [
                ConfigError(
                    file: file.isEmpty ? nil : file,
                    location: nil,
                    path: "baseStations",
                    message: "the scenario has no base station, so no uplink is ever heard: every uplink of "
                        + "\(unreachable.count == 1 ? "device" : "devices") \(ids) is lost and fires no callback; "
                        + "add a base station near the devices"
                )
            ]
        }
        let index = Dictionary(devices.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        // A scenario built in code has no sources: one item per device.
        let sources =
            deviceSources.isEmpty
            ? devices.indices.map { DeviceSource(range: $0..<($0 + 1), location: nil, path: "devices[\($0)]") }
            : deviceSources
        var warnings = [ConfigError]()
        for source in sources {
            let here = unreachable.filter { index[$0.device].map(source.range.contains) ?? false }
            guard let first = here.first else { continue }
            let message: String
            if here.count == 1 && source.range.count == 1 {
                message =
                    "device \(first.device) is \(first.explanation): every uplink it sends is lost and "
                    + "fires no callback; move it closer or add a base station near it"
            } else {
                message =
                    "\(here.count) of the \(source.range.count) devices here (\(Self.listed(here.map(\.device)))) "
                    + "are out of every base station's reach (the first: \(first.explanation)): every uplink they "
                    + "send is lost and fires no callback"
            }
            warnings.append(
                ConfigError(
                    file: file.isEmpty ? nil : file,
                    location: source.location,
                    path: source.path,
                    message: message
                )
            )
        }
        return warnings
    }

    /// Refuses a scenario whose expectations need messages that no station can hear: an expectation about
    /// a device out of reach, or any expectation of messages or callbacks when no sending device can be
    /// heard. A scenario that expects losses (`network: {lost: N}`) is only warned.
    public func checkReach() throws(ConfigError) {
        let unreachable = unreachableDevices(sendersOnly: true)
        guard !unreachable.isEmpty, !expectsLosses else { return }
        let lost = Dictionary(unreachable.map { ($0.device, $0) }, uniquingKeysWith: { first, _ in first })
        let everyone = radioSenders.allSatisfy { lost[$0] != nil }
        for (index, expectation) in expectations.enumerated() {
            let reason: String
            switch Self.need(expectation) {
            case .device(let device)?:
                guard let reach = lost[device] else { continue }
                reason = "device \(device) is \(reach.explanation)"
            case .anyDevice?:
                guard everyone else { continue }
                reason =
                    baseStations.isEmpty
                    ? "the scenario has no base station"
                    : "no device that sends can be heard (\(unreachable[0].device) is \(unreachable[0].explanation))"
            case nil:
                continue
            }
            throw ConfigError(
                file: file.isEmpty ? nil : file,
                location: SourceLocation(expectation.location),
                path: "expect[\(index)]",
                message: "'\(expectation.summary)' needs messages no base station can hear: \(reason); every uplink "
                    + "they send is lost (expect network: {lost: N} if that is what the scenario plays)"
            )
        }
    }

    /// Whether an expectation counts lost uplinks: losses are then what the scenario plays.
    private var expectsLosses: Bool {
        expectations.contains { if case .network(let counts) = $0.kind { (counts[.lost] ?? 0) > 0 } else { false } }
    }

    /// Whose messages an expectation needs to hold.
    private enum Need {
        /// That device's.
        case device(DeviceID)
        /// Some device's, whichever.
        case anyDevice
    }

    /// Whose messages `expectation` needs, or nil when it holds without any.
    private static func need(_ expectation: Expectation) -> Need? {
        func need(_ device: DeviceID?, _ wanted: Bool) -> Need? {
            guard wanted else { return nil }
            return device.map(Need.device) ?? .anyDevice
        }
        switch expectation.kind {
        case .callbacks(let selection, let counts):
            return need(selection.device, counts.values.contains { $0 > 0 })
        case .downlink(let device, _):
            return need(device, true)
        case .acknowledge(let device, _, let count):
            return need(device, count != 0)
        case .network(let counts):
            return need(nil, [.messages, .downlinks, .sequenceWarnings].contains { (counts[$0] ?? 0) > 0 })
        case .mails(_, _, let count):
            return need(nil, count > 0)
        case .ledgerBalances, .noPending, .golden:
            return nil
        }
    }

    /// `2C30EA, 2C30EB and 3 more`.
    static func listed(_ ids: [DeviceID]) -> String {
        let shown = ids.prefix(5).map(\.description).joined(separator: ", ")
        return ids.count > 5 ? shown + " and \(ids.count - 5) more" : shown
    }
}

extension SourceLocation {
    /// A location from its `line:column` text (an expectation keeps it so); nil when it does not read.
    init?(_ text: String) {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        self.init(line: parts[0], column: parts[1])
    }
}
