import GRDB
import SigfoxEngine
import SigfoxModel

/// A try as the store keeps it (table `attempt`): what the listings, the API v2's callbacks not delivered,
/// the dashboard and a resend read, mapped once. Written by ``StoreBatch`` (one prepared statement a turn),
/// so only read here.
struct KeptTry: Codable, Sendable, FetchableRecord, TableRecord {
    static let databaseTableName = "attempt"

    var id: Int64
    var delivery: Int64
    /// The callback's id (`uplink`, or the default `<type>#<n>`).
    var callback: String
    var deviceType: String
    var service: String
    /// The try's number within its delivery, from 1.
    var attempt: Int
    /// When it was due, epoch ms (simulation time).
    var time: Int64
    /// The device and first reception of the first message it carries: which message it belongs to.
    var device: String
    var messageTime: Int64
    var status: Int
    /// `delivered`, `retry`, `failed` or `cancelled`.
    var outcome: String
    var nextTry: Int64?
    var latencyMs: Double?
    /// Why it was late or special (e.g. due before a restart).
    var note: String?
    /// The journal's line of the try (``AttemptRecord/jsonLine``): the request as sent and the answer.
    var line: String
    /// The API v2's `errorMessages` of a try not delivered, a JSON array.
    var notDelivered: String?
    /// The try whose request this try's delivery resends.
    var resentFrom: Int64?
    /// The deliveries this try was resent as (`3,7`), when read with ``AttemptJSON/columns``.
    var resentAs: String?

    /// ``resentAs`` as ids.
    var resentAsDeliveries: [Int64] { (resentAs ?? "").split(separator: ",").compactMap { Int64($0) } }
}
