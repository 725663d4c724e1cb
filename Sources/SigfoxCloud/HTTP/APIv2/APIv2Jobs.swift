import Synchronization

/// The asynchronous jobs of the API v2 (bulk coverage predictions, coverage KMZ layers, bulk operations on
/// devices), kept in memory for the life of the server.
///
/// **Emulator rule:** a job is done when it is created (its answer is computed then), so its status says
/// `jobDone: true` from the first request; jobs are not kept across restarts.
final class APIv2Jobs: Sendable {
    enum Job: Sendable {
        /// `POST /coverages/global/predictions/bulk`: the answers, computed at `time`.
        case predictions(time: Int64, results: [CoveragePoint])
        /// `POST /tiles/monarch/kmz`: the layer of `margin` dB, created at `time`.
        case kmz(time: Int64, margin: Double)
        /// `POST /devices/bulk`, `PUT /devices/bulk`, `POST /devices/bulk/transfer`: what each device became.
        case devices(DeviceBulkOutcome)
        /// `POST /devices/bulk/{action}`, `POST /device-types/{id}/bulk/restart`: what each device became.
        case deviceAction(DeviceAction, DeviceBulkOutcome)
    }

    private let jobs = Mutex<[String: Job]>([:])
    /// At most this many jobs are kept; the oldest go first.
    static let capacity = 1000
    private let order = Mutex<[String]>([])

    /// Keeps `job` and gives its id (24 hex digits, like the live API's).
    func add(_ job: Job) -> String {
        let id = CloudDocument.newDeviceTypeID()
        jobs.withLock { $0[id] = job }
        let dropped = order.withLock { order -> String? in
            order.append(id)
            return order.count > Self.capacity ? order.removeFirst() : nil
        }
        if let dropped { jobs.withLock { _ = $0.removeValue(forKey: dropped) } }
        return id
    }

    func job(_ id: String) -> Job? { jobs.withLock { $0[id.lowercased()] } }
}

/// The `jobId` answer of an operation that starts a job (201).
struct StartedJob: Encodable, Sendable {
    var jobId: String
}
