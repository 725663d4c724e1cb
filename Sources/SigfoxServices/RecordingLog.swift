import Synchronization

/// What a server has received so far, with bounded waits for more.
///
/// Shared by the HTTP receiver and the SMTP sink. Items are kept in arrival order; with a `limit`,
/// only the newest `limit` items are kept (a long-running `sigfox-sim receive` must not grow without
/// end), while `total` still counts every item.
final class RecordingLog<Item: Sendable>: Sendable {
    private struct Waiter {
        var id: Int
        var count: Int
        var continuation: CheckedContinuation<[Item], Never>
    }

    private struct State {
        var items: [Item] = []
        var total = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        /// Waits whose timer fired (or that were cancelled) before they were parked.
        var expired: Set<Int> = []
    }

    private let state = Mutex(State())
    private let limit: Int

    init(limit: Int = .max) {
        self.limit = max(1, limit)
    }

    var items: [Item] { state.withLock { $0.items } }

    /// How many items arrived since the start or the last `reset()`, kept or not.
    var total: Int { state.withLock { $0.total } }

    /// Adds the item built from its 1-based number, and wakes the waiters it satisfies.
    @discardableResult
    func append(_ make: (Int) -> Item) -> Item {
        let (item, woken, items) = state.withLock { state in
            state.total += 1
            let item = make(state.total)
            state.items.append(item)
            if state.items.count > limit { state.items.removeFirst(state.items.count - limit) }
            let total = state.total
            let woken = state.waiters.filter { $0.count <= total }
            state.waiters.removeAll { $0.count <= total }
            return (item, woken, woken.isEmpty ? [] : state.items)
        }
        for waiter in woken { waiter.continuation.resume(returning: items) }
        return item
    }

    /// Forgets every item and restarts the numbering; waiters keep waiting for new items.
    func reset() {
        state.withLock { state in
            state.items = []
            state.total = 0
        }
    }

    /// The kept items once `count` have arrived, or whatever is there when `timeout` has passed
    /// (or the task is cancelled).
    func wait(count: Int, timeout: Duration) async -> [Item] {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let timer = Task { [weak self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            self?.expire(id)
        }
        defer {
            timer.cancel()
            state.withLock { _ = $0.expired.remove(id) }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: [Item]? = state.withLock { state in
                    if state.total >= count || state.expired.contains(id) { return state.items }
                    state.waiters.append(Waiter(id: id, count: count, continuation: continuation))
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            expire(id)
        }
    }

    /// Wakes every waiter with what there is (used at shutdown, so no wait outlives its server).
    func releaseAll() {
        let (waiters, items) = state.withLock { state in
            defer { state.waiters = [] }
            return (state.waiters, state.items)
        }
        for waiter in waiters { waiter.continuation.resume(returning: items) }
    }

    private func expire(_ id: Int) {
        let (waiter, items) = state.withLock { state -> (Waiter?, [Item]) in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                state.expired.insert(id)
                return (nil, [])
            }
            return (state.waiters.remove(at: index), state.items)
        }
        waiter?.continuation.resume(returning: items)
    }
}
