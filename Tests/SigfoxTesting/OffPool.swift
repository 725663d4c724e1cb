import Foundation

/// Runs blocking work (a delivery loop, a load run, waiting for a process) on a thread of its own, so it
/// never holds one of the few threads Swift's concurrency pool has on a 2-core machine.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.start()
    }
}

/// The throwing form: blocking work that may fail (serve's start, which waits for its receiver to listen).
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
