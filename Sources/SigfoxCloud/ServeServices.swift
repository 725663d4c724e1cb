import Foundation
import ServiceLifecycle
import SigfoxServices
import Synchronization

/// Something that happens once, awaited by any number of tasks: the engine thread's end.
final class Completion: Sendable {
    private let state = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// Wakes every waiter, now and later.
    func complete() {
        let waiters = state.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if !state.done { state.waiters.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }
}

/// The live engine as a service of `serve`'s group, the last one started and so the first one shut down:
/// its graceful shutdown drains (no new work, tries in flight get their deadline, waiting retries stay in
/// the store) while the HTTP server still answers; its cancellation stops at once, recording what is left
/// as cancelled. When the engine ends by itself (``CloudServer/shutdown(immediately:)``), the group shuts
/// down after it.
struct EngineService: Service {
    let server: CloudServer

    func run() async throws {
        let server = self.server
        server.engine.start()
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await server.engine.finish()
            } onGracefulShutdown: {
                server.shutdown()
            }
        } onCancel: {
            server.shutdown(immediately: true)
        }
        // Open event streams (and the per-try log) end, so the HTTP server's connections can close.
        server.engine.hub.close()
    }
}

/// `serve`'s per-try log: each try's line as the hub publishes it (subscribed before the engine starts, so
/// no try is missed), until the hub closes; then it waits for its turn in the group's shutdown.
struct TryLogService: Service {
    let output: TryLogOutput
    let stream: AsyncStream<[EventHub.Event]>

    func run() async throws {
        for await batch in stream {
            var text = ""
            for event in batch where event.type == "attempt" {
                guard let line = TryLogLine(attemptEvent: event.json) else { continue }
                text += (output.format == .json ? line.json : line.text(colour: output.colour)) + "\n"
            }
            if !text.isEmpty { output.handle.write(Data(text.utf8)) }
        }
        try? await gracefulShutdown()
    }
}
