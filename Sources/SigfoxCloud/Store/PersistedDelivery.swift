import GRDB
import SigfoxEngine
import SigfoxModel

/// A delivery as the store keeps it until it ends: the request exactly as first rendered, the messages it
/// carries (with the variables used, for the list of callbacks not delivered) and its tries so far. A
/// restart resumes it at its due time.
///
/// **Emulator rule:** a resumed delivery no longer waits to carry a downlink: the device's listening
/// window is long closed by then (SIGFOX.md section 5).
public struct PersistedDelivery: Sendable {
    public var delivery: Delivery
    public var tries: Int
    public var due: SimulationTime

    init?(_ row: KeptDelivery) {
        guard let callbackNode = try? JSONParser.parse(row.callback),
            let callback = Self.callback(callbackNode),
            let requestNode = try? JSONParser.parse(row.request),
            let request = Self.rendered(requestNode),
            let messagesNode = try? JSONParser.parse(row.messages)
        else { return nil }
        let messages = messagesNode.items.compactMap(Self.message)
        delivery = Delivery(
            id: UInt64(row.id),
            callback: callback,
            rendered: .success(request),
            messages: messages,
            sendSni: row.sendSni,
            due: SimulationTime(milliseconds: row.due)
        )
        tries = row.tries
        due = SimulationTime(milliseconds: row.due)
    }

    /// The delivery's callback as the store keeps it (``KeptDelivery/callback``).
    static func callbackJSON(_ reference: CallbackReference) -> String {
        KeptCallbackReference(
            deviceType: reference.deviceType.description,
            index: reference.index,
            id: reference.id,
            service: reference.service.rawValue,
            channel: reference.channel.rawValue
        ).apiJSON
    }

    static func callback(_ node: ConfigNode) -> CallbackReference? {
        guard let type = node["deviceType"]?.scalarText.flatMap(DeviceTypeID.init),
            let index = node["index"]?.scalarText.flatMap(Int.init),
            let service = node["service"]?.scalarText.flatMap(CallbackService.init(rawValue:)),
            let channel = node["channel"]?.scalarText.flatMap(CallbackChannel.init(rawValue:))
        else { return nil }
        let id: String? = if case .string(let text)? = node["id"]?.value { text } else { nil }
        return CallbackReference(deviceType: type, index: index, id: id, service: service, channel: channel)
    }

    /// The messages a delivery carries as the store keeps them (``KeptDelivery/messages``).
    static func messagesJSON(_ messages: [CarriedMessage]) -> String {
        messages.map { carried in
            KeptCarriedMessage(
                device: carried.device.description,
                deviceType: carried.deviceType.description,
                time: carried.time.milliseconds,
                payload: carried.bindings.payload.map(Hex.lowercase),
                variables: OrderedStrings(
                    entries: carried.bindings.boundVariables.map { ($0.0.rawValue, $0.1.renderedText) }
                )
            )
        }.apiJSON
    }

    static func message(_ node: ConfigNode) -> CarriedMessage? {
        guard let device = node["device"]?.scalarText.flatMap({ DeviceID(hex: $0) }),
            let type = node["deviceType"]?.scalarText.flatMap(DeviceTypeID.init),
            let time = node["time"]?.scalarText.flatMap(Int64.init)
        else { return nil }
        var bindings = VariableBindings()
        for entry in node["variables"]?.entries ?? [] {
            guard let variable = StandardVariable(rawValue: entry.key), let text = entry.node.scalarText else {
                continue
            }
            bindings[variable] = .text(text)
        }
        if case .string(let hex)? = node["payload"]?.value { bindings.payload = try? Hex.bytes(from: hex) }
        return CarriedMessage(
            device: device,
            deviceType: type,
            time: SimulationTime(milliseconds: time),
            bindings: bindings
        )
    }

    /// The request back from its journal form (``RenderedCallback/json``).
    static func rendered(_ node: ConfigNode) -> RenderedCallback? {
        switch node["kind"]?.scalarText {
        case "http":
            guard let method = node["method"]?.scalarText.flatMap(HTTPMethod.init(rawValue:)),
                let url = node["url"]?.scalarText
            else { return nil }
            let headers = (node["headers"]?.entries ?? []).map {
                HTTPHeader(name: $0.key, value: $0.node.scalarText ?? "")
            }
            let body: String? = if case .string(let text)? = node["body"]?.value { text } else { nil }
            return .http(HTTPRequest(method: method, url: url, headers: headers, body: body))
        case "email":
            guard let recipient = node["recipient"]?.scalarText else { return nil }
            return .email(
                EmailMessage(
                    recipient: recipient,
                    subject: node["subject"]?.scalarText ?? "",
                    body: node["message"]?.scalarText ?? ""
                )
            )
        default:
            return nil
        }
    }
}

extension PersistedDelivery {
    /// The delivery a try came from, to send again (resend): its request exactly as recorded, its callback
    /// and the messages it carried (with the variables recorded for a failed try). Nil when the try had
    /// no request (it could not be rendered).
    static func resendTemplate(_ row: KeptTry) -> Delivery? {
        guard let line = try? JSONParser.parse(row.line), let requestNode = line["request"],
            let rendered = rendered(requestNode),
            let type = DeviceTypeID(row.deviceType),
            let service = CallbackService(rawValue: row.service),
            let channel = line["channel"]?.scalarText.flatMap(CallbackChannel.init(rawValue:))
        else { return nil }
        let name = row.callback
        let index = name.split(separator: "#").last.flatMap { Int($0) } ?? 0
        let callback = CallbackReference(
            deviceType: type,
            index: index,
            id: name.contains("#") ? nil : name,
            service: service,
            channel: channel
        )
        var messages = [CarriedMessage]()
        if let text = row.notDelivered, let entries = try? JSONParser.parse(text) {
            for entry in entries.items {
                guard let device = entry["deviceId"]?.scalarText.flatMap({ DeviceID(hex: $0) }),
                    let time = entry["time"]?.scalarText.flatMap(Int64.init)
                else { continue }
                var bindings = VariableBindings()
                for parameter in entry["parameters"]?.entries ?? [] {
                    guard let variable = StandardVariable(rawValue: parameter.key),
                        let value = parameter.node.scalarText
                    else { continue }
                    bindings[variable] = .text(value)
                }
                messages.append(
                    CarriedMessage(
                        device: device,
                        deviceType: type,
                        time: SimulationTime(milliseconds: time),
                        bindings: bindings
                    )
                )
            }
        }
        if messages.isEmpty, let device = DeviceID(hex: row.device) {
            let time = row.messageTime
            messages.append(
                CarriedMessage(
                    device: device,
                    deviceType: type,
                    time: SimulationTime(milliseconds: time),
                    bindings: VariableBindings()
                )
            )
        }
        return Delivery(
            id: 0,
            callback: callback,
            rendered: .success(rendered),
            messages: messages,
            sendSni: false,
            due: SimulationTime(milliseconds: 0)
        )
    }
}

/// A delivery's callback as the store keeps it (column `callback` of `delivery`): the device type, the
/// callback's index among the type's and its id (`null` for the default `<type>#<n>`), its service and
/// channel.
struct KeptCallbackReference: Encodable {
    var deviceType: String
    var index: Int
    var id: String?
    var service: String
    var channel: String

    private enum CodingKeys: String, CodingKey { case deviceType, index, id, service, channel }

    /// `id` is written `null` when the callback has none, as it always was.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(deviceType, forKey: .deviceType)
        try container.encode(index, forKey: .index)
        try container.encode(id, forKey: .id)
        try container.encode(service, forKey: .service)
        try container.encode(channel, forKey: .channel)
    }
}

/// A message a waiting delivery carries, as the store keeps it (column `messages` of `delivery`): the
/// device, its type, the message's time (ms), its payload (hex, `null` for none) and every variable the
/// callback used, so a delivery resumed after a restart is rendered and listed as it was.
struct KeptCarriedMessage: Encodable {
    var device: String
    var deviceType: String
    var time: Int64
    var payload: String?
    var variables: OrderedStrings

    private enum CodingKeys: String, CodingKey { case device, deviceType, time, payload, variables }

    /// `payload` is written `null` when the message has none, as it always was.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(device, forKey: .device)
        try container.encode(deviceType, forKey: .deviceType)
        try container.encode(time, forKey: .time)
        try container.encode(payload, forKey: .payload)
        try container.encode(variables, forKey: .variables)
    }
}
