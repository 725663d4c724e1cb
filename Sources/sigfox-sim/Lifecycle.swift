import Foundation
import ServiceLifecycle
import SigfoxServices
import Synchronization

/// Runs a command's blocking work (a run, a replay, a load test) as the one service of a `ServiceGroup`
/// stopped by signals: the first SIGINT or SIGTERM says `message` on standard error and calls `stop` (the
/// work ends early and still reports), a second one exits at once with 130. The work runs on a thread of
/// its own, never on the concurrency pool, which it would hold for the whole run.
func runStoppable<T: Sendable>(
    saying message: String?,
    stop: @escaping @Sendable () -> Void,
    _ work: @escaping @Sendable () throws -> T
) async throws -> T {
    let job = BlockingJob(work: work, stop: stop)
    let services: [ServiceGroupConfiguration.ServiceConfiguration] = [
        .init(service: job, successTerminationBehavior: .gracefullyShutdownGroup)
    ]
    try await SignalledServices.run(
        services,
        onSignal: { _, count in
            if count >= 2 { Foundation.exit(130) }
            if let message { FileHandle.standardError.write(Data("sigfox-sim: \(message)\n".utf8)) }
        }
    )
    return try job.outcome.withLock { $0 ?? .failure(CancellationError()) }.get()
}

/// Blocking work as a service: its graceful shutdown asks the work to stop and waits for it to end.
private final class BlockingJob<T: Sendable>: Service, Sendable {
    let work: @Sendable () throws -> T
    let stop: @Sendable () -> Void
    let outcome = Mutex<Result<T, any Error>?>(nil)

    init(work: @escaping @Sendable () throws -> T, stop: @escaping @Sendable () -> Void) {
        self.work = work
        self.stop = stop
    }

    func run() async throws {
        let work = self.work
        let result = await withGracefulShutdownHandler {
            await onThread { Result { try work() } }
        } onGracefulShutdown: { [stop] in
            stop()
        }
        outcome.withLock { $0 = result }
    }
}

/// Runs `work` on a new thread (8 MiB of stack, as the engine's) and waits for its value without holding
/// a thread of the concurrency pool.
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
