import Logging
import ServiceLifecycle
import UnixSignals

/// The embedded receiver in a `ServiceGroup`: it listens from `start` on; its graceful shutdown stops
/// listening and lets the answers in progress finish (200 ms), as its cancellation does.
extension EmbeddedReceiver: Service {
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown(gracePeriod: .milliseconds(200))
    }
}

/// The SMTP sink in a `ServiceGroup`: it listens from `start` on, until the group's shutdown.
extension SMTPSink: Service {
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }
}

/// How a command's services are stopped: the first SIGINT or SIGTERM shuts the group down gracefully (each
/// service drains, last started first), a second one cancels it (each service stops at once).
///
/// `ServiceGroup` refuses one signal in both its `gracefulShutdownSignals` and its `cancellationSignals` (a
/// precondition), and a signal in both a group's list and a sequence of ours reaches the two in no set
/// order. So the signals are taken by one `UnixSignalsSequence` beside the group: the first is told to
/// `onSignal` and then triggers the group's graceful shutdown; the second cancels the group's task, which
/// for the group is cancellation from its parent, as a `cancellationSignals` signal would be.
public enum SignalledServices {
    /// Runs `services` until they end (a service ending ends the group, as its configuration says) or a
    /// signal stops them. `onSignal` is told each signal and how many came so far (1: draining begins;
    /// 2: the group is cancelled), before the group acts on it. `trapped` runs once the signals are taken,
    /// before any service runs: a command says it is ready there, so no signal can come in between and
    /// end it the default way.
    public static func run(
        _ services: [ServiceGroupConfiguration.ServiceConfiguration],
        signals: [UnixSignal] = [.sigint, .sigterm],
        logger: Logger = Logger(label: "sigfox-sim", factory: { _ in SwiftLogNoOpLogHandler() }),
        trapped: () -> Void = {},
        onSignal: @escaping @Sendable (UnixSignal, _ count: Int) -> Void = { _, _ in }
    ) async throws {
        let caught = await UnixSignalsSequence(trapping: signals)
        trapped()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, logger: logger)
        )
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await group.run()
                return true
            }
            if !signals.isEmpty {
                tasks.addTask {
                    var count = 0
                    for await signal in caught {
                        count += 1
                        onSignal(signal, count)
                        if count >= 2 { return false }
                        await group.triggerGracefulShutdown()
                    }
                    return false
                }
            }
            while let groupEnded = try await tasks.next() {
                // The group ended: stop listening. A second signal: cancel the group, then wait for it.
                tasks.cancelAll()
                if groupEnded { return }
            }
        }
    }
}
