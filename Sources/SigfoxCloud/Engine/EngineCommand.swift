import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Synchronization

/// Something the HTTP side asks of the engine thread. The engine applies it at its next turn, at the
/// simulation time of that turn, and replies once the turn's records are committed.
enum EngineCommand: Sendable {
    case uplink(Uplink, reply: Reply)
    case status(DeviceID, temperature: Double, battery: Double, reply: Reply)
    case station(BaseStationID, up: Bool, reply: Reply)
    /// A lifecycle change (sequence, disengage, contract end, renewal, SIGFOX.md section 8), applied now.
    case lifecycle(ScheduledEvent.Kind, reply: Reply)
    /// Injected downlink failures (SIGFOX.md section 5, NETWORK_ERROR): every downlink from now on (or none
    /// again), and the next one of a device.
    case network(downlinkFailure: Bool?, failNextDownlink: DeviceID?, reply: Reply)
    /// A new configuration, already checked by the scenario loader.
    case configure(CloudDocument, Scenario, reply: Reply)
    /// A new delivery of a request that was tried before (the dashboard's and the control API's resend).
    case resend(Delivery, from: Int64, reply: Reply)
    /// Back to the initial configuration, with every record cleared.
    case reset(CloudDocument, Scenario, reply: Reply)
}

extension EngineCommand {
    /// Where the command's answer goes.
    var reply: Reply {
        switch self {
        case .uplink(_, let reply), .status(_, _, _, let reply), .station(_, _, let reply),
            .configure(_, _, let reply), .resend(_, _, let reply), .reset(_, _, let reply), .lifecycle(_, let reply),
            .network(_, _, let reply):
            return reply
        }
    }
}

/// Commands waiting for the engine thread; the HTTP side posts, the engine takes them all at once.
final class CommandInbox: Sendable {
    private let commands = Mutex<[EngineCommand]>([])

    func post(_ command: EngineCommand) {
        commands.withLock { $0.append(command) }
    }

    func take() -> [EngineCommand] {
        commands.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    var isEmpty: Bool { commands.withLock { $0.isEmpty } }
}
