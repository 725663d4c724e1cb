import SigfoxModel

/// A device a request speaks for, with the uplink data it carried (for `echo`).
public struct BidirDevice: Sendable, Equatable {
    /// The id as written in the request (case and leading zeros kept).
    public var id: String
    /// The uplink data as written in the request, or empty.
    public var data: String

    public init(id: String, data: String = "") {
        self.id = id
        self.data = data
    }
}

extension RecordedRequest {
    /// The devices a BIDIR request names, in order of first appearance, without repeats.
    ///
    /// **Emulator rule** (the receiver must guess, as a user's endpoint would): the first source that
    /// names a device wins:
    /// 1. a batch, one device per line (SIGFOX.md section 4): a `text/plain` body, or a `batch`
    ///    query parameter; the device is the first `;`- or `,`-separated field of a line and the data
    ///    the second;
    /// 2. a JSON body (`application/json`, or a body starting with `{`) with a `device` member
    ///    (and `data`);
    /// 3. a form body (`application/x-www-form-urlencoded`) with a `device` field (and `data`);
    /// 4. a `device` query parameter (and `data`);
    /// 5. the last path segment, when it is 1 to 8 hex digits (`/bidir/2C30EA`), with a `data`
    ///    query parameter if there is one.
    public var bidirDevices: [BidirDevice] {
        var found = batchDevices()
        if found.isEmpty { found = singleDevice().map { [$0] } ?? [] }
        var seen = Set<String>()
        return found.filter { seen.insert($0.id.uppercased()).inserted }
    }

    private func batchDevices() -> [BidirDevice] {
        let text: String
        if mediaType == "text/plain", !body.isEmpty {
            text = bodyText
        } else if let batch = queryItem("batch") {
            text = batch
        } else {
            return []
        }
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).compactMap { line in
            let fields = line.split(separator: ";", omittingEmptySubsequences: false)
                .flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { $0.trimmedASCIIWhitespace }
            guard let id = fields.first, !id.isEmpty else { return nil }
            return BidirDevice(id: id, data: fields.count > 1 ? fields[1] : "")
        }
    }

    private func singleDevice() -> BidirDevice? {
        let queryData = queryItem("data") ?? ""
        let type = mediaType ?? ""
        if type.contains("json") || bodyText.trimmedASCIIWhitespace.hasPrefix("{"),
            let root = try? JSONParser.parse(bodyText), let id = root["device"]?.scalarText
        {
            return BidirDevice(id: id, data: root["data"]?.scalarText ?? queryData)
        }
        if type == "application/x-www-form-urlencoded" {
            let fields = FormEncoding.decode(bodyText)
            if let id = fields.first(where: { $0.name == "device" })?.value {
                return BidirDevice(id: id, data: fields.first(where: { $0.name == "data" })?.value ?? queryData)
            }
        }
        if let id = queryItem("device") {
            return BidirDevice(id: id, data: queryData)
        }
        if let last = path.split(separator: "/").last, DeviceID(hex: String(last)) != nil {
            return BidirDevice(id: String(last), data: queryData)
        }
        return nil
    }
}

extension BidirAnswer {
    /// The status and JSON body answering `request` (SIGFOX.md section 5: one key per device).
    ///
    /// A request that names no device gets `{}` (`{` for `malformed`): an answer for nobody, which the
    /// cloud reads as no answer.
    public func answer(to request: RecordedRequest) -> (status: Int, body: String) {
        let devices = request.bidirDevices
        func object(_ value: (BidirDevice) -> String) -> String {
            "{" + devices.map { JSONText.quoted($0.id) + ":" + value($0) }.joined(separator: ",") + "}"
        }
        func downlink(_ data: String) -> String { "{\"downlinkData\":" + JSONText.quoted(data) + "}" }
        switch self {
        case .fixed(let data):
            return (200, object { _ in downlink(data) })
        case .echo:
            return (200, object { downlink(Self.echoed($0.data)) })
        case .noContent:
            return (204, "")
        case .noData:
            return (200, object { _ in "{\"noData\":true}" })
        case .malformed:
            if devices.isEmpty { return (200, "{") }
            return (200, String(object { _ in downlink("0102030405060708") }.dropLast(2)))
        case .badLength:
            return (200, object { _ in downlink("0102030405") })
        }
    }

    /// `data` cut to, or right-padded with `0` to, the 16 hex digits of a downlink.
    static func echoed(_ data: String) -> String {
        let digits = String(data.prefix(16))
        return digits + String(repeating: "0", count: 16 - digits.count)
    }
}
