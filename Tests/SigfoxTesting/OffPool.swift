import Foundation

/// Runs blocking work (a delivery loop, a load run, waiting for a process) on a thread of its own, so it
/// never holds one of the few threads Swift's concurrency pool has on a 2-core machine.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.start()
    }
}
