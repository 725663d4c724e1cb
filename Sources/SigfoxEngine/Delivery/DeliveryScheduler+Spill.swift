/// Deliveries waiting for a retry that are kept only in the driver's store, not in memory: with a dead
/// receiver every delivery waits minutes for its retries, and a service taking a thousand uplinks a second
/// would otherwise hold hundreds of thousands of them. Beyond ``limit`` held deliveries, a delivery that
/// goes to wait for a retry leaves memory (its entry stays in the queue: an id and a due time) and is read
/// back through ``reload`` when its retry is due. `serve` uses it; the store already keeps every unfinished
/// delivery with its tries and due time (a restart resumes them the same way).
public struct DeliverySpill: Sendable {
    /// Deliveries held in memory while waiting, at most; nil: no bound.
    public var limit: Int?
    /// Reads a delivery back, with the tries it made; nil when the store no longer has it.
    public var reload: (@Sendable (UInt64) -> (delivery: Delivery, tries: Int)?)?
    var ids: Set<UInt64> = []

    public init(limit: Int? = nil, reload: (@Sendable (UInt64) -> (delivery: Delivery, tries: Int)?)? = nil) {
        self.limit = limit
        self.reload = reload
    }
}

extension DeliveryScheduler {
    /// Deliveries waiting for a retry in the store only (``DeliverySpill``).
    public var spilledCount: Int { spill.ids.count }

    /// Takes back a persisted delivery without reading it: only its id and due time are queued, and it is
    /// read through the spill's `reload` when due (a restart with more unfinished deliveries than the bound).
    public mutating func resumeSpilled(id: UInt64, due: SimulationTime) {
        spill.ids.insert(id)
        countResumed(id)
        push(id, due: due)
    }

    /// After a failed try: when more deliveries wait in memory than the bound, this one waits in the store.
    mutating func spillIfOverBound(_ id: UInt64) {
        guard let limit = spill.limit, spill.reload != nil, deliveries[id] != nil,
            deliveries.count - inFlightCount > limit
        else { return }
        deliveries[id] = nil
        spill.ids.insert(id)
    }

    /// A spilled delivery read back (its entry came due, or everything is cancelled); nil when `id` is not
    /// spilled. One the store lost counts as failed, so the ledger still balances.
    mutating func reloadSpilled(_ id: UInt64) -> Delivery? {
        guard spill.ids.remove(id) != nil else { return nil }
        guard let (stored, tries) = spill.reload?(id) else {
            countLost()
            return nil
        }
        var delivery = stored
        delivery.tries = tries
        deliveries[id] = delivery
        return delivery
    }
}
