import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// What the dashboard shows, read from the store (the same records the control API and the API v2 list).
struct DashboardData {
    let store: CloudStore
    let configuration: CloudConfiguration
    let metrics: CloudMetrics

    /// The counters at the top of every page.
    struct Counters {
        var messages = 0
        /// Tries answered 2xx in time, resends' included.
        var delivered = 0
        /// Deliveries whose last try failed, waiting for their next.
        var waiting = 0
        /// Deliveries given up after their last try (a resend is a new delivery: these stay failed).
        var failed = 0
        /// Of ``failed``, those resent since.
        var failedResent = 0
        /// p99 of the tries of the last minute (simulation time), ms; nil without tries.
        var p99: Double?
    }

    /// One callback's state for one message: its latest try.
    struct CallbackState {
        var callback: String
        var service: String
        var outcome: String
        var attempt: Int
        var status: Int
        var nextTry: Int64?
        /// The try this delivery resends (the dashboard's Resend), if it is one.
        var resentFrom: Int64? = nil
        /// The deliveries this delivery's last try was resent as.
        var resentAs: [Int64] = []
    }

    /// What the messages page is filtered by (`/?device=&callback=&outcome=&q=`): a device, a callback, an
    /// outcome of one of the message's tries, and a text in its payload (hex) or in a request it sent.
    struct MessageFilter {
        var device: String?
        var callback: String?
        var outcome: String?
        var text: String?

        init(_ query: [String: String]) {
            func value(_ key: String) -> String? {
                guard let text = query[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
                return text
            }
            device = value("device").flatMap { DeviceID(hex: $0) }?.description
            callback = value("callback")
            outcome = value("outcome").flatMap {
                ["delivered", "retry", "failed", "cancelled"].contains($0) ? $0 : nil
            }
            text = value("q")
        }

        var isEmpty: Bool { device == nil && callback == nil && outcome == nil && text == nil }
    }

    /// A device type's name, for its id (the id itself when it is unknown).
    func typeName(_ id: String) -> String {
        configuration.scenario.deviceTypes.first { $0.type.id.description == id }?.type.name ?? id
    }
    func counters() throws -> Counters {
        try store.counters(now: metrics.simulationNow.load(ordering: .relaxed))
    }

    /// A page of messages, newest first, with each one's callback states.
    func messages(
        page: Int,
        size: Int,
        filter: MessageFilter = MessageFilter([:])
    ) throws -> (messages: [KeptMessage], states: [[CallbackState]], more: Bool) {
        let (messages, states) = try store.messages(matching: filter, page: page, size: size)
        return (Array(messages.prefix(size)), states, messages.count > size)
    }

    /// The callbacks a message of this device type fires (enabled DATA, DATA_ADVANCED; ACKNOWLEDGE with ack),
    /// to show those not tried yet as waiting.
    func expectedCallbacks(deviceType: String, ack: Bool, status: Bool) -> [(id: String, service: String)] {
        guard let type = configuration.scenario.deviceTypes.first(where: { $0.type.id.description == deviceType }),
            let definitions = try? type.definitions(receiverURL: "http://127.0.0.1:9")
        else { return [] }
        // Which services a message fires is the callback engine's rule, asked, not written again.
        let services = CallbackEngine.servicesFired(ack: ack, status: status)
        return definitions.enumerated().filter { $0.element.enabled && services.contains($0.element.service) }.map {
            (
                CallbackReference(
                    deviceType: type.type.id,
                    index: $0.offset,
                    id: $0.element.id,
                    service: $0.element.service,
                    channel: $0.element.channel
                ).description, $0.element.service.rawValue
            )
        }
    }

    /// The values the device type's payloadConfig decodes from `hex`, as `name=value` pairs.
    func decoded(deviceType: String, hex: String) -> [(String, String)] {
        guard
            let text = configuration.scenario.deviceTypes.first(where: { $0.type.id.description == deviceType })?.type
                .payloadConfig,
            let config = try? PayloadConfig(parsing: text), let bytes = try? Hex.bytes(from: hex)
        else { return [] }
        return config.decode(bytes).map { ($0.name, $0.value?.templateText ?? "null") }
    }

    func message(id: Int64) throws -> (KeptMessage, [KeptTry])? {
        guard let message = try store.message(id: id) else { return nil }
        return (message, try store.tries(device: message.device, messageTime: message.time))
    }

    /// Failed tries (outcome `retry`, `failed` or `cancelled`), newest first, filtered.
    func notDelivered(filter: [String: String], page: Int, size: Int) throws -> (rows: [KeptTry], more: Bool) {
        let equal = ["device", "deviceType", "callback", "outcome"].compactMap { key in
            filter[key].flatMap { $0.isEmpty ? nil : (column: key, value: $0) }
        }
        let rows = try store.triesNotDelivered(equal: equal, page: page, size: size)
        return (Array(rows.prefix(size)), rows.count > size)
    }

    /// The state of a delivery (its latest try's outcome and number), for a resent try's link.
    func deliveryState(_ delivery: Int64) throws -> (outcome: String, attempt: Int)? {
        try store.deliveryState(delivery)
    }

    /// Each device's last message.
    func lastMessages() throws -> [String: KeptMessage] {
        try store.lastMessages(of: configuration.scenario.devices.prefix(1000).map(\.id.description))
    }
}

/// A try as the store gives it, whole (``KeptTry``) or only its state (``TryState``).
protocol TryStateFields {
    var callback: String { get }
    var service: String { get }
    var outcome: String { get }
    var attempt: Int { get }
    var status: Int { get }
    var nextTry: Int64? { get }
    var resentFrom: Int64? { get }
    var resentAsDeliveries: [Int64] { get }
}

extension KeptTry: TryStateFields {}
extension TryState: TryStateFields {}

extension DashboardData.CallbackState {
    /// The state a try of the store shows; `resentAs` when the delivery's earlier tries were resent too.
    init(_ row: some TryStateFields, resentAs: [Int64]? = nil) {
        self.init(
            callback: row.callback,
            service: row.service,
            outcome: row.outcome,
            attempt: row.attempt,
            status: row.status,
            nextTry: row.nextTry,
            resentFrom: row.resentFrom,
            resentAs: resentAs ?? row.resentAsDeliveries
        )
    }
}
