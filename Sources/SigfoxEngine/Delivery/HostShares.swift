import SigfoxModel

/// The in-flight cap shared fairly between receivers: at most ``cap`` tries in flight to one receiver host,
/// so a receiver that hangs cannot hold every slot while another waits behind it (the real cloud delivers
/// each customer's callbacks independently). Tries due for a host at its share are parked, in due order,
/// and go back to the scheduler's queue as that host's tries end, as many as there is room for.
///
/// With ``cap`` at or above the scheduler's whole cap nothing is ever parked: `run` and `load` (one
/// receiver) keep their behaviour and their journals.
struct HostShares: Sendable {
    /// Tries in flight allowed to one host.
    let cap: Int
    var isLimited: Bool
    private var indexOfHost: [String: Int32] = [:]
    private var inFlight: [Int32: Int] = [:]
    /// Entries due for a host at its share, earliest first.
    private var parked: [Int32: ParkedQueue] = [:]
    private(set) var parkedCount = 0

    init(cap: Int, total: Int) {
        self.cap = max(1, cap)
        isLimited = cap < total
    }

    /// The host a delivery goes to: scheme, host and port of its URL (`smtp` for e-mail: one server).
    mutating func host(of delivery: Delivery) -> Int32 {
        let key: String
        switch delivery.rendered {
        case .success(.http(let request)): key = Self.origin(of: request.url)
        default: key = "smtp"
        }
        if let index = indexOfHost[key] { return index }
        let index = Int32(indexOfHost.count)
        indexOfHost[key] = index
        return index
    }

    /// `https://example.com:8443/path?q` → `https://example.com:8443`.
    static func origin(of url: String) -> String {
        let bytes = Array(url.utf8)
        var start = 0
        while start + 2 < bytes.count, !(bytes[start] == 0x3A && bytes[start + 1] == 0x2F && bytes[start + 2] == 0x2F) {
            start += 1
        }
        guard start + 2 < bytes.count else { return url }
        var end = start + 3
        // Up to the path, the query or the fragment.
        while end < bytes.count, bytes[end] != 0x2F, bytes[end] != 0x3F, bytes[end] != 0x23 { end += 1 }
        return String(decoding: bytes[..<end], as: UTF8.self).lowercased()
    }

    func hasRoom(_ host: Int32) -> Bool { inFlight[host, default: 0] < cap }

    mutating func park(_ entry: TimedEntry, host: Int32) {
        parked[host, default: ParkedQueue()].append(entry)
        parkedCount += 1
    }

    mutating func started(_ host: Int32) {
        guard host >= 0 else { return }
        inFlight[host, default: 0] += 1
    }

    /// A try to `host` ended: the entries parked for it that now have room, to queue again.
    mutating func ended(_ host: Int32) -> ArraySlice<TimedEntry> {
        guard host >= 0 else { return [] }
        inFlight[host, default: 1] -= 1
        guard parked[host] != nil else { return [] }
        let room = max(0, cap - inFlight[host, default: 0])
        // In place: the queue is neither copied nor shifted (a host with thousands parked frees one a try).
        let freed = parked[host]!.take(room)
        if parked[host]!.isEmpty { parked[host] = nil }
        parkedCount -= freed.count
        return freed
    }

    /// The earliest due time of a parked entry.
    var earliestParked: SimulationTime? {
        parked.values.compactMap { $0.first?.time }.min()
    }

    /// A host's parked entries in due order: taken from the front by moving a start index, the array
    /// compacted once more than half of it is taken.
    private struct ParkedQueue: Sendable {
        private var items: [TimedEntry] = []
        private var head = 0

        var isEmpty: Bool { head == items.count }
        var first: TimedEntry? { head < items.count ? items[head] : nil }

        mutating func append(_ entry: TimedEntry) { items.append(entry) }

        /// Up to `count` entries from the front.
        mutating func take(_ count: Int) -> ArraySlice<TimedEntry> {
            let end = min(items.count, head + count)
            let taken = ArraySlice(Array(items[head..<end]))
            head = end
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64, head * 2 >= items.count {
                items.removeFirst(head)
                head = 0
            }
            return taken
        }
    }

    /// Every count back to zero (everything was cancelled).
    mutating func clear() {
        inFlight.removeAll()
        parked.removeAll()
        parkedCount = 0
    }
}
