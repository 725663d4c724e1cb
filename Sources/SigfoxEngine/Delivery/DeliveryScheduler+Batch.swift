import HeapModule
import SigfoxModel

/// A BATCH_URL window: one callback, one second of first receptions.
struct BatchKey: Hashable, Sendable {
    var callback: CallbackReference
    var windowStart: SimulationTime
}

/// The messages gathered in one open window.
struct BatchBuffer: Sendable {
    var definition: CallbackDefinition
    var messages: [CarriedMessage]
    var closesAt: SimulationTime
}

/// When a window closes.
struct BatchClose: Comparable, Sendable {
    var time: SimulationTime
    var order: UInt64
    var key: BatchKey

    static func < (lhs: BatchClose, rhs: BatchClose) -> Bool { (lhs.time, lhs.order) < (rhs.time, rhs.order) }

    static func == (lhs: BatchClose, rhs: BatchClose) -> Bool { lhs.time == rhs.time && lhs.order == rhs.order }
}

extension DeliveryScheduler {
    /// Adds a message to its BATCH_URL window.
    ///
    /// SIGFOX.md section 4: all messages of one callback whose first reception falls in the same 1 s
    /// window go in one request, sent when the window closes and retried as a whole.
    public mutating func addToBatch(
        _ message: CarriedMessage,
        callback: CallbackReference,
        definition: CallbackDefinition
    ) {
        let width = configuration.batchWindow.milliseconds
        let start = message.time.milliseconds - ((message.time.milliseconds % width) + width) % width
        let key = BatchKey(callback: callback, windowStart: SimulationTime(milliseconds: start))
        if batches[key] != nil {
            batches[key]!.messages.append(message)
            return
        }
        let closesAt = SimulationTime(milliseconds: start + width)
        batches[key] = BatchBuffer(definition: definition, messages: [message], closesAt: closesAt)
        sequence += 1
        batchCloses.insert(BatchClose(time: closesAt, order: sequence, key: key))
    }

    /// Windows still open.
    public var openBatchCount: Int { batches.count }

    /// Turns every window that closed at or before `now` into a delivery due at its closing time.
    mutating func closeBatches(upTo now: SimulationTime) {
        while let first = batchCloses.min, first.time <= now {
            batchCloses.removeMin()
            guard let buffer = batches.removeValue(forKey: first.key) else { continue }
            let rendered: Result<RenderedCallback, RenderError>
            do {
                rendered = .success(try buffer.definition.renderBatch(buffer.messages.map(\.bindings)))
            } catch {
                rendered = .failure(error)
            }
            let delivery = Delivery(
                id: makeDeliveryID(),
                callback: first.key.callback,
                rendered: rendered,
                messages: buffer.messages,
                sendSni: buffer.definition.sendSni,
                due: buffer.closesAt
            )
            submit(delivery, definition: buffer.definition)
        }
    }
}

/// Every delivery accounted for: created = delivered + failed after every try + pending + cancelled.
public struct Ledger: Sendable, Equatable {
    /// Deliveries created (one per callback request; a batch is one).
    public var created = 0
    /// Delivered with a 2xx within the deadline.
    public var delivered = 0
    /// Failed on every try: dead for this message.
    public var failed = 0
    /// Stopped at shutdown.
    public var cancelled = 0
    /// Waiting for a try or in flight, counted from the scheduler's state.
    public var pending = 0
    /// Tries made, first tries and retries.
    public var tries = 0

    public init() {}

    /// Adds another scheduler's counts (several delivery loops, one ledger).
    public mutating func add(_ other: Ledger) {
        created += other.created
        delivered += other.delivered
        failed += other.failed
        cancelled += other.cancelled
        pending += other.pending
        tries += other.tries
    }

    /// Whether every created delivery is accounted for.
    public var balances: Bool { created == delivered + failed + pending + cancelled }
}
