import Dispatch
import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log into the database beside the engine, not in it.
///
/// SQLite checkpoints by itself in the connection that commits, once the log passes 1,000 pages: the engine
/// thread then copies the log and waits for two `fdatasync`s, a pause every few turns (measured: a quarter
/// of the engine's time under sustained uplinks, `Benchmarks/serve-injection.sh`). The store turns that off
/// on its writer and asks this for a checkpoint after its commits instead: a *passive* one on a connection
/// of its own, on a queue of its own, which never makes the writer wait. Should the log still grow past
/// ``restartFrames`` (under sustained writes the writer never finds the whole log copied, the only moment
/// SQLite starts it again), a *restart* checkpoint waits for the writer between two turns, copies the rest
/// and lets the log start again from its beginning: the log stays bounded whatever the load (measured at
/// 7,000 – 8,000 uplinks a second: 70 – 240 MiB at its largest, against 4.8 GB in 20 s without the restart).
///
/// Nothing is lost either way: a commit is in the log (the OS has it) before the turn's answers go out, and
/// the database file always reads as the log and the copy together.
final class StoreCheckpointer: Sendable {
    /// Frames (pages) in the log past which a checkpoint waits for the writer: 16 MiB of 4 KiB pages.
    static let restartFrames = 4_096
    /// At most one checkpoint every this long while commits go on.
    static let interval: Duration = .milliseconds(200)

    private let path: String
    private let queue = DispatchQueue(label: "sigfox-sim.store.checkpoint", qos: .utility)
    private struct State {
        var connection: DatabaseQueue?
        var running = false
        var last: ContinuousClock.Instant?
        var failed = false
    }
    private let state = Mutex(State())

    init(path: String) {
        self.path = path
    }

    /// After a commit: starts a checkpoint when none runs and the last is older than ``interval``.
    func committed() {
        let now = ContinuousClock.now
        let start = state.withLock { state -> Bool in
            guard !state.running, !state.failed else { return false }
            if let last = state.last, now - last < Self.interval { return false }
            state.running = true
            state.last = now
            return true
        }
        guard start else { return }
        queue.async { [self] in
            let connection = state.withLock { $0.connection }
            var ok = true
            do {
                let database = try connection ?? Self.open(path)
                if connection == nil { state.withLock { $0.connection = database } }
                try database.writeWithoutTransaction { db in
                    // The passive copy takes most of the log without stopping the writer; past the bound,
                    // a restart copies the last frames between two turns so the log starts again, its
                    // pages reused. A log copied whole (a quiet moment) is cut to nothing: then a full disk
                    // fails the next commit (`/health` says so) instead of hiding behind the log's old pages.
                    let (busy, frames, copied) = try Self.checkpoint(db, "PASSIVE")
                    if frames >= Self.restartFrames {
                        _ = try Self.checkpoint(db, "RESTART")
                    } else if !busy, frames > 0, copied == frames {
                        _ = try Self.checkpoint(db, "TRUNCATE")
                    }
                }
            } catch {
                // The writer's own checkpoint takes over (a log that cannot be copied here, a folder removed
                // under a test): the store goes on as SQLite does by default.
                ok = false
            }
            state.withLock {
                $0.running = false
                if !ok { $0.failed = true }
            }
        }
    }

    /// Whether the checkpoints here stopped; the writer then checkpoints by itself again.
    var hasFailed: Bool { state.withLock { $0.failed } }

    /// Waits for the checkpoint under way, if any (tests, shutdown).
    func settle() { queue.sync {} }

    private static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.label = "sigfox-sim checkpoint"
        // A restart checkpoint waits for the writer's turn to end (milliseconds), not for ever.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// `PRAGMA wal_checkpoint(mode)`: whether it was kept from finishing, the log's frames, the frames copied.
    private static func checkpoint(_ db: Database, _ mode: String) throws -> (busy: Bool, frames: Int, copied: Int) {
        guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(\(mode))") else { return (false, 0, 0) }
        let busy: Int = row[0]
        let frames: Int = row[1]
        let copied: Int = row[2]
        return (busy != 0, frames, copied)
    }
}
