import Foundation
import SigfoxEngine
import SigfoxModel

/// Writes a runnable scenario (YAML) from what the Sigfox API v2 returned: a device type's callbacks,
/// devices' messages, or both (`sigfox-sim import`).
///
/// **Emulator rules** (where the API's answers do not say everything a scenario needs):
/// - Messages become recorded uplinks, played as they were: first received at their recorded `time` (no
///   network delay), by the recorded stations with their RSSI, SNR and `rep`, with their own `seqNumber`,
///   `nbFrames`, `lqi`, `operator`, `country` and `computedLocation`; `start` is the first message's time. A
///   message listed without per-station data (`"rinfos": []`) is recorded with no reception: its callbacks
///   render `{station}`, `{rssi}`, `{reception}`, `{duplicates}` as without the network-metadata option
///   (`null`), and a device none of whose messages has any gets `networkMetadata: false`. A reception
///   without an RSSI is left out. A message without `computedLocation` (or with `[]`) says so:
///   `{computedLocation}` is `{"status":0}` for it, never a place the emulator makes up.
/// - The recorded sequence numbers are played as recorded, so gaps raise INVALID_SEQ_NUMBER as they did;
///   where the gap rule would reject a message the real cloud accepted (a restarted device), a
///   `disengage` item comes just before it, so every recorded message is delivered.
/// - A device with a recorded `computedLocation` gets the geolocation contract option.
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
            if messages?.messages.contains(where: { $0.device == device.id && $0.location != nil }) == true {
                fields.append("geolocation: true")
            }
            if let messages, !device.isExample,
                !messages.messages.contains(where: { $0.device == device.id && !Self.receptions($0).isEmpty })
            {
                fields.append("networkMetadata: false")
            }
            lines.append(
                "  - { " + fields.joined(separator: ", ") + " }" + (device.isExample ? "  # an example device" : "")
            )
        }
        lines.append("")
        lines.append("traffic:")
        if let messages {
            lines += Self.trafficLines(messages.messages)
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
        for expectation in expectedDeliveries(messageCount: messages?.messages.count ?? 1) {
            lines.append("  - " + expectation)
        }
        lines.append("  - ledgerBalances: true")
        lines.append("  - noPending: true")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One traffic item per recorded message (see the emulator rules above), with a `disengage` before a
    /// message the gap rule would reject.
    static func trafficLines(_ messages: [MessageImport.Message]) -> [String] {
        var lines = [String]()
        var last = [DeviceID: (number: Int, time: SimulationTime)]()
        for message in messages {
            let time = SimulationTime(milliseconds: message.time)
            let at = "at: " + ImportYAML.string(ScenarioTime.format(time))
            let device = "device: " + ImportYAML.string(message.device.description)
            if let number = message.seqNumber {
                if let previous = last[message.device],
                    NetworkCore.sequenceVerdict(
                        last: previous.number,
                        lastTime: previous.time,
                        number: number,
                        time: time
                    )
                        == .outOfSequence
                {
                    lines.append(
                        "  - { \(at), \(device), disengage: true }  # the recording goes on at seqNumber \(number)"
                    )
                }
                last[message.device] = (number, time)
            }
            var fields = [at, device, "payload: " + ImportYAML.quoted(Hex.lowercase(message.data))]
            if message.ack { fields.append("ack: true") }
            if let number = message.seqNumber { fields.append("seqNumber: \(number)") }
            if let frames = message.frames { fields.append("frames: \(frames)") }
            if let lqi = message.lqi { fields.append("lqi: \(lqi)") }
            if let name = message.operatorName { fields.append("operator: " + ImportYAML.string(name)) }
            if let country = message.countryCode { fields.append("country: " + ImportYAML.string(country)) }
            let receptions = Self.receptions(message).map { reception in
                var entry = [
                    "station: " + ImportYAML.string(reception.station.description), "rssi: \(reception.rssi!)",
                ]
                if let snr = reception.snr { entry.append("snr: \(snr)") }
                if let repetitions = reception.repetitions { entry.append("rep: \(repetitions)") }
                return "{ " + entry.joined(separator: ", ") + " }"
            }
            fields.append("receptions: [" + receptions.joined(separator: ", ") + "]")
            if let location = message.location {
                var entry = ["lat: \(location.latitude)", "lng: \(location.longitude)"]
                if let radius = message.locationRadius { entry.append("radius: \(radius)") }
                if let source = message.locationSource { entry.append("source: \(source)") }
                fields.append("computedLocation: { " + entry.joined(separator: ", ") + " }")
            } else {
                fields.append("computedLocation: []")
            }
            lines.append("  - { " + fields.joined(separator: ", ") + " }")
        }
        return lines
    }

    /// The receptions a message replays with: those the API gave an RSSI for.
    static func receptions(_ message: MessageImport.Message) -> [MessageImport.Reception] {
        message.receptions.filter { $0.rssi != nil }
    }

    /// With the embedded receiver, which answers 200: every enabled URL callback of DATA/UPLINK, DATA/BIDIR
    /// and DATA_ADVANCED sent to `{receiver}` is delivered once per message (legacy duplicates are not
    /// counted), whatever other channels the service has. One expectation per service and channel when all
    /// its URL callbacks go to the receiver, else one per such callback (by its id).
    func expectedDeliveries(messageCount: Int) -> [String] {
        guard let callbacks, callbacks.rewrittenURLs > 0 else { return [] }
        var result = [String]()
        for service in [CallbackService.dataUplink, .dataBidir, .dataAdvanced] {
            let urls = zip(callbacks.definitions, callbacks.nodes).filter { definition, _ in
                definition.enabled && definition.service == service && definition.channel == .url
                    && !definition.sendDuplicate
            }
            let local = urls.filter { _, node in
                ["url", "urlPattern"].contains {
                    node[$0]?.scalarText?.hasPrefix(ConfigNode.receiverPlaceholder) == true
                }
            }
            guard !local.isEmpty else { continue }
            if local.count == urls.count {
                result.append(
                    "{ service: \(service.rawValue), channel: URL, delivered: \(local.count * messageCount) }"
                )
                continue
            }
            for (definition, _) in local {
                guard let id = definition.id else { continue }
                result.append("{ callback: \(ImportYAML.string(id)), delivered: \(messageCount) }")
            }
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
                "# - traffic: each message as recorded: first received at its time, by its stations with their RSSI"
            )
            lines.append("#   and SNR (none when the API listed none), with its seqNumber, frames, lqi, operator,")
            lines.append("#   country and computedLocation ([] when the cloud computed none).")
        }
        lines.append("# - expect: what must hold at the end (see docs/scenario-format.md).")
        lines.append("")
        return lines
    }

    static func degrees(_ value: Double) -> String { String(format: "%.5f", value) }
    static func dBm(_ value: Double) -> String { String(format: "%.1f dBm", value) }
}
