/// What a receiver's answer to a BIDIR callback means for one device (SIGFOX.md section 5).
public enum DownlinkAnswer: Sendable, Equatable {
    /// A valid downlink: exactly 8 bytes.
    case downlink([UInt8])
    /// HTTP 204, or `{"<device>": {"noData": true}}`: the receiver has nothing to send.
    case noData
    /// No usable answer: the request failed, timed out, was not 2xx, or did not name this device.
    case noAnswer(String)
    /// The answer names the device but its data is not 16 hex characters, or the JSON is malformed.
    case invalidPayload(String)

    /// Reads the answer to a BIDIR request for `device`.
    ///
    /// SIGFOX.md section 5: HTTP 200 with JSON keyed by the device id
    /// (`{"2C30EA": {"downlinkData": "0102030405060708"}}`; keys of other devices are ignored, which is
    /// how one answer serves a whole batch), or HTTP 204 / `noData` for no downlink. **Emulator rules:**
    /// a key matches the device whatever its case and leading zeros; a 2xx answer with an empty body is
    /// no answer; any other 2xx status is read like 200; a body that is not a JSON object is an invalid
    /// payload.
    public static func parse(status: Int, body: String, device: DeviceID) -> DownlinkAnswer {
        guard (200..<300).contains(status) else { return .noAnswer("HTTP status \(status)") }
        if status == 204 { return .noData }
        if body.trimmedASCIIWhitespace.isEmpty { return .noAnswer("empty answer") }
        guard let root = try? JSONParser.parse(body), let entries = root.entries else {
            return .invalidPayload("the answer is not a JSON object")
        }
        guard let entry = entries.first(where: { DeviceID(hex: $0.key) == device }) else {
            return .noAnswer("the answer has no key for device \(device)")
        }
        guard let fields = entry.node.entries else {
            return .invalidPayload("the value for \(entry.key) is not an object")
        }
        if let noData = fields.first(where: { $0.key == "noData" })?.node, noData.value == .bool(true) {
            return .noData
        }
        guard let data = fields.first(where: { $0.key == "downlinkData" })?.node else {
            return .invalidPayload("no downlinkData for \(entry.key)")
        }
        guard case .string(let text) = data.value else {
            return .invalidPayload("downlinkData is not a string")
        }
        guard text.utf8.count == 16, let bytes = try? Hex.bytes(from: text) else {
            return .invalidPayload("downlinkData '\(text)' is not 16 hex characters")
        }
        return .downlink(bytes)
    }
}

/// The `infoCode` of an ACKNOWLEDGE callback: what became of a downlink request (SIGFOX.md section 5).
public enum AcknowledgeCode: Int, CaseIterable, Sendable, Equatable {
    case acked = 0
    case noAnswer = 1
    case invalidPayload = 2
    case overrunError = 3
    case networkError = 4
    case noDownlinkContract = 6
    case tooManyRequests = 7
    case invalidConfiguration = 8

    /// The `{infoMessage}` of the code in `style`. **Emulator rule:** the one real ACKNOWLEDGE body found
    /// (a 2019 log in a public tutorial) says `"infoMessage": "Acked"`, so ACKED is written `Acked` by
    /// default; no recording shows the others, which keep their names. `names` writes every code's name.
    public func infoMessage(_ style: InfoMessageStyle) -> String {
        switch (self, style) {
        case (.acked, .recorded): return "Acked"
        default: return name
        }
    }

    /// The code's name (`ACKED`, `NO_ANSWER`, …).
    public var name: String {
        switch self {
        case .acked: return "ACKED"
        case .noAnswer: return "NO_ANSWER"
        case .invalidPayload: return "INVALID_PAYLOAD"
        case .overrunError: return "OVERRUN_ERROR"
        case .networkError: return "NETWORK_ERROR"
        case .noDownlinkContract: return "NO_DOWNLINK_CONTRACT"
        case .tooManyRequests: return "TOO_MANY_REQUESTS"
        case .invalidConfiguration: return "INVALID_CONFIGURATION"
        }
    }
}

/// How ACKNOWLEDGE's `{infoMessage}` is written (``AcknowledgeCode/infoMessage(_:)``).
public enum InfoMessageStyle: String, Sendable, CaseIterable {
    /// As recorded from the real cloud: `Acked`; the other codes by name.
    case recorded
    /// Every code by name: `ACKED`, `NO_ANSWER`, …
    case names
}
