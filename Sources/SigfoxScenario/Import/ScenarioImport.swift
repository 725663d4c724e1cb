import Foundation
import SigfoxEngine
import SigfoxModel

/// Writes a runnable scenario (YAML) from what the Sigfox API v2 returned: a device type's callbacks,
/// devices' messages, or both (`sigfox-sim import`).
///
/// **Emulator rules** (where the API's answers do not say everything a scenario needs):
/// - Messages become single uplinks at their recorded times; `start` is the first message's time. The
///   network adds its delay (2.5 to 4.5 s) before the first reception, as for any uplink.
/// - A device starts at its first message's `seqNumber` and counts up by one; gaps in the recording are
///   not reproduced. `nbFrames` 1 gives 1 frame, 2 or 3 give 3.
/// - A device stands at its `computedLocation`, else amid the stations whose position the API gave, else
///   at a default place. A station without a recorded position is put at the distance the radio model
///   needs to give its median recorded RSSI (kept between -135 and -80 dBm), around the devices that
///   heard it. The scenario turns radio noise and frame loss off, so every recorded message is heard by
///   the stations that heard it.
public struct ScenarioImport: Sendable {
    public var callbacks: CallbackImport?
    public var messages: MessageImport?
    /// The command that made it, for the header comment.
    public var command: String
    public var deviceTypeID: DeviceTypeID?
    public var deviceTypeName: String
    /// Used when nothing says where the devices are: Toulouse.
    static let defaultCenter = GeoPosition(latitude: 43.6045, longitude: 1.444)

    public init(
        callbacks: CallbackImport?,
        messages: MessageImport?,
        command: String,
        deviceTypeID: DeviceTypeID? = nil,
        deviceTypeName: String = "imported"
    ) {
        self.callbacks = callbacks
        self.messages = messages
        self.command = command
        self.deviceTypeID = deviceTypeID
        self.deviceTypeName = deviceTypeName
    }

    /// The scenario as YAML text, starting with a comment that says where it came from and what to edit.
    public var yaml: String {
        let layout = Layout(messages: messages?.messages ?? [])
        var lines = header(layout)
        let start = messages?.messages.first.map { SimulationTime(milliseconds: $0.time) }
        lines.append("name: " + ImportYAML.string(messages == nil ? "imported-callbacks" : "imported-messages"))
        lines.append("seed: 1")
        lines.append("start: " + ScenarioTime.format(start ?? SimulationTime(seconds: 1_767_225_600)))
        lines.append("time: virtual")
        lines.append("")
        lines.append("# No radio noise and no frame loss, so every uplink is heard.")
        lines.append("network: { rssiNoise: 0, frameLossProbability: 0 }")
        lines.append("")
        lines.append("baseStations:")
        for station in layout.stations {
            lines.append(
                "  - { id: \(ImportYAML.string(station.id.description)), lat: \(Self.degrees(station.position.latitude)), "
                    + "lng: \(Self.degrees(station.position.longitude)) }"
                    + (station.estimated
                        ? "  # position estimated from a median RSSI of \(Self.dBm(station.rssi))" : "")
            )
        }
        lines.append("")
        lines.append("deviceTypes:")
        if let deviceTypeID {
            lines.append("  - id: " + ImportYAML.string(deviceTypeID.description))
            lines.append("    name: " + ImportYAML.string(deviceTypeName))
        } else {
            lines.append("  - name: " + ImportYAML.string(deviceTypeName))
            lines.append("    # id: 24 hex digits of your device type (it renders as {deviceTypeId})")
        }
        if let callbacks {
            lines.append("    callbacks:")
            lines += ImportYAML.lines(ConfigNode(.array(callbacks.nodes)), indent: 6)
        } else {
            lines.append(
                "    callbacks: []  # add yours, or import them: sigfox-sim import messages FILE --callbacks FILE"
            )
        }
        lines.append("")
        lines.append("devices:")
        for device in layout.devices {
            var fields = [
                "id: " + ImportYAML.string(device.id.description), "deviceType: " + ImportYAML.string(deviceTypeName),
                "lat: " + Self.degrees(device.position.latitude), "lng: " + Self.degrees(device.position.longitude),
            ]
            if device.seqNumber != 0 { fields.append("seqNumber: \(device.seqNumber)") }
            if device.frames != 3 { fields.append("frames: \(device.frames)") }
            lines.append(
                "  - { " + fields.joined(separator: ", ") + " }" + (device.isExample ? "  # an example device" : "")
            )
        }
        lines.append("")
        lines.append("traffic:")
        if let messages {
            for message in messages.messages {
                var fields = [
                    "at: " + ImportYAML.string(ScenarioTime.format(SimulationTime(milliseconds: message.time))),
                    "device: " + ImportYAML.string(message.device.description),
                    "payload: " + ImportYAML.quoted(Hex.lowercase(message.data)),
                ]
                if message.ack { fields.append("ack: true") }
                lines.append("  - { " + fields.joined(separator: ", ") + " }")
            }
        } else {
            let ack = callbacks?.definitions.contains { $0.enabled && $0.service == .dataBidir } ?? false
            lines.append(
                "  - { at: +10s, device: \(Layout.exampleDevice), payload: \"\(Layout.examplePayload)\""
                    + (ack ? ", ack: true" : "") + " }  # an example uplink"
            )
        }
        if callbacks?.rewrittenURLs ?? 0 > 0 {
            lines.append("")
            lines.append("receiver: embedded")
        }
        lines.append("")
        lines.append("expect:")
        for (service, count) in expectedDeliveries(messageCount: messages?.messages.count ?? 1) {
            lines.append("  - { service: \(service.rawValue), delivered: \(count) }")
        }
        lines.append("  - ledgerBalances: true")
        lines.append("  - noPending: true")
        return lines.joined(separator: "\n") + "\n"
    }

    /// With the embedded receiver, which answers 200: every URL callback of DATA/UPLINK, DATA/BIDIR and
    /// DATA_ADVANCED is delivered once per message (batches and legacy duplicates are not counted).
    func expectedDeliveries(messageCount: Int) -> [(CallbackService, Int)] {
        guard let callbacks, callbacks.rewrittenURLs > 0 else { return [] }
        var result = [(CallbackService, Int)]()
        for service in [CallbackService.dataUplink, .dataBidir, .dataAdvanced] {
            let enabled = zip(callbacks.definitions, callbacks.nodes).filter { $0.0.enabled && $0.0.service == service }
            let local = enabled.allSatisfy { definition, node in
                definition.channel == .url && !definition.sendDuplicate
                    && node["url"]?.scalarText?.hasPrefix(ConfigNode.receiverPlaceholder) == true
            }
            guard !enabled.isEmpty, local else { continue }
            result.append((service, enabled.count * messageCount))
        }
        return result
    }

    private func header(_ layout: Layout) -> [String] {
        var lines = ["# Imported by `\(command)`."]
        if let messages {
            let devices = Set(messages.messages.map(\.device)).count
            let first = messages.messages.first.map { ScenarioTime.format(SimulationTime(milliseconds: $0.time)) } ?? ""
            let last = messages.messages.last.map { ScenarioTime.format(SimulationTime(milliseconds: $0.time)) } ?? ""
            lines.append(
                "# Messages: \(messages.file) (Sigfox API v2, GET /v2/devices/{id}/messages): \(messages.messages.count) "
                    + "from \(devices) device\(devices == 1 ? "" : "s"), \(first) to \(last)."
            )
        }
        if let callbacks {
            lines.append(
                "# Callbacks: \(callbacks.file) (Sigfox API v2, GET /v2/device-types/{id}/callbacks): "
                    + "\(callbacks.nodes.count), kept as API v2 objects."
            )
            if callbacks.rewrittenURLs > 0 {
                lines.append(
                    "# Their URLs now start with {receiver}, the embedded receiver started by `receiver: embedded`;"
                )
                lines.append("# put your server's address back (and remove `receiver`) to call it instead.")
            }
        }
        lines.append("# What to edit:")
        lines.append(
            "# - deviceTypes: your device type's id and name (they render as {deviceTypeId}, {deviceTypeName})."
        )
        if messages == nil {
            lines.append(
                "# - devices, traffic: an example device and uplink so the scenario runs; put yours, or import"
            )
            lines.append("#   them with `sigfox-sim import messages MESSAGES.json --callbacks CALLBACKS.json`.")
        } else {
            lines.append("# - baseStations, devices: positions come from the API when it gave them (rinfos lat/lng,")
            lines.append("#   computedLocation); the others are estimated from the recorded RSSI: put the real ones.")
            lines.append(
                "# - Sequence numbers start at each device's first and count up by one (gaps are not replayed);"
            )
            lines.append("#   the network adds its 2.5-4.5 s delay before each first reception.")
        }
        lines.append("# - expect: what must hold at the end (see README, `sigfox-sim run`).")
        lines.append("")
        return lines
    }

    static func degrees(_ value: Double) -> String { String(format: "%.5f", value) }
    static func dBm(_ value: Double) -> String { String(format: "%.1f dBm", value) }
}
