import Foundation
import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// A device's messages and lifecycle, now: uplinks, status messages, sequence changes, disengage, contract
/// end and renewal (`/sim/devices/{id}/...`), each handed to the engine through its command inbox.
extension ControlAPI {
    var uplinkRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.post("devices/:id/uplinks") { request, context in
            try await uplink(request, device: try Self.deviceID(context), context: context)
        }
        routes.post("devices/:id/status") { request, context in
            try await status(request, device: try Self.deviceID(context), context: context)
        }
        routes.post("devices/:id/lifecycle") { request, context in
            try await lifecycle(request, device: try Self.deviceID(context), context: context)
        }
        return routes
    }

    /// `POST /sim/devices/{id}/uplinks`: an uplink, by its payload or by field values to encode.
    func uplink(
        _ request: Request,
        device: DeviceID,
        context: BasicRequestContext
    ) async throws(APIError) -> JSONAnswer {
        try checkAccepting()
        var object = try Self.object(await Self.body(request, context: context))
        let payload: [UInt8]
        do {
            let hex = try object.string("payload")
            let encode = object.node("encode")
            let ack = try object.bool("ack") ?? false
            let frames = try object.integer("frames")
            try object.rejectUnknownFields(allowed: ["payload", "encode", "ack", "frames"])
            switch (hex, encode) {
            case (let hex?, nil):
                do {
                    payload = try Hex.bytes(from: hex)
                } catch {
                    throw object.error(
                        "payload",
                        "expected hex digits in pairs (0 to 12 bytes, e.g. ff3842), found '\(hex)'"
                    )
                }
            case (nil, let encode?):
                payload = try encoded(encode, device: device)
            case (nil, nil):
                throw ConfigError(
                    location: nil,
                    path: "payload",
                    message: "missing 'payload' (hex) or 'encode' (field values)"
                )
            case (.some, .some):
                throw object.error("encode", "give either 'payload' or 'encode', not both")
            }
            if let frames, frames != 1 && frames != 3 { throw object.error("frames", "must be 1 or 3") }
            guard payload.count <= Uplink.maximumPayload else {
                throw object.error("payload", "the payload has \(payload.count) bytes; an uplink carries at most 12")
            }
            let uplink = Uplink(device: device, payload: payload, ack: ack, frames: frames)
            let answer = try await perform { reply in .uplink(uplink, reply: reply) }
            return JSONAnswer(status: .created, text: answer.json)
        } catch let error as ConfigError {
            throw APIError(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(status: 500, message: "\(error)")
        }
    }

    /// `POST /sim/devices/{id}/lifecycle`: a sequence change, disengage, contract end or renewal, now.
    func lifecycle(
        _ request: Request,
        device: DeviceID,
        context: BasicRequestContext
    ) async throws(APIError) -> JSONAnswer {
        try checkAccepting()
        let node = try await Self.body(request, context: context)
        let scenario = configuration.scenario
        guard scenario.devices.contains(where: { $0.id == device }) else {
            throw APIError(status: 404, message: "no device \(device)", field: "id")
        }
        let kind: ScheduledEvent.Kind
        do throws(ConfigError) {
            kind = try Scenario.lifecycleChange(node, device: device, in: scenario, at: now)
        } catch {
            throw APIError(error)
        }
        let answer = try await perform { reply in .lifecycle(kind, reply: reply) }
        return JSONAnswer(text: answer.json)
    }

    /// Disengages a device's sequence, or every device of a type (`POST /v2/devices/{id}/disengage`,
    /// `PUT /v2/device-types/{id}/disengage`).
    func disengage(_ kind: ScheduledEvent.Kind) async throws(APIError) -> JSONAnswer {
        try checkAccepting()
        _ = try await perform { reply in .lifecycle(kind, reply: reply) }
        return .noContent
    }

    func encoded(_ node: ConfigNode, device: DeviceID) throws(ConfigError) -> [UInt8] {
        let scenario = configuration.scenario
        guard let type = scenario.devices.first(where: { $0.id == device })?.deviceType,
            let text = scenario.deviceTypes.first(where: { $0.type.id == type })?.type.payloadConfig,
            let config = try? PayloadConfig(parsing: text)
        else {
            throw ConfigError(
                location: node.location,
                path: "encode",
                message: "device \(device)'s type has no payloadConfig to encode with"
            )
        }
        var values = [(name: String, value: GeneratedValue)]()
        for entry in node.entries ?? [] {
            switch entry.node.value {
            case .number(let text):
                guard let number = Double(text), number.isFinite else {
                    throw ConfigError(
                        location: entry.node.location,
                        path: "encode." + entry.key,
                        message: "not a finite number"
                    )
                }
                values.append((entry.key, .number(number)))
            case .bool(let flag): values.append((entry.key, .bool(flag)))
            case .string(let text): values.append((entry.key, .text(text)))
            default:
                throw ConfigError(
                    location: entry.node.location,
                    path: "encode." + entry.key,
                    message: "expected a number, a boolean or a text"
                )
            }
        }
        do {
            return try config.encodePayload(values)
        } catch {
            throw ConfigError(
                location: node.location,
                path: error.field.isEmpty ? "encode" : "encode." + error.field,
                message: error.reason + " (payloadConfig '\(text)')"
            )
        }
    }

    /// `POST /sim/devices/{id}/status`: a status message (temperature, battery).
    func status(
        _ request: Request,
        device: DeviceID,
        context: BasicRequestContext
    ) async throws(APIError) -> JSONAnswer {
        try checkAccepting()
        var object = try Self.object(await Self.body(request, context: context))
        do {
            let temperature = try object.double("temp") ?? 20
            let battery = try object.double("batt") ?? 3.6
            try object.rejectUnknownFields(allowed: ["temp", "batt"])
            guard temperature.isFinite, (-100...200).contains(temperature) else {
                throw object.error("temp", "expected a temperature in °C between -100 and 200")
            }
            guard battery.isFinite, (0...100).contains(battery) else {
                throw object.error("batt", "expected a battery voltage between 0 and 100")
            }
            let answer = try await perform { reply in
                .status(device, temperature: temperature, battery: battery, reply: reply)
            }
            return JSONAnswer(status: .created, text: answer.json)
        } catch let error as ConfigError {
            throw APIError(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(status: 500, message: "\(error)")
        }
    }
}
