import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One owner per data folder: `serve --data DIR` holds an exclusive `flock` on `DIR/sigfox-sim.lock` for
/// the life of the process, taken before the store is opened or anything is written. A second `serve` on
/// the same folder finds the lock held, reads the owner's pid from the file, and stops having changed
/// nothing. The kernel drops the lock when the owner exits, however it exits (`kill -9` included), so a
/// stale file never blocks a restart.
final class DataFolderLock: Sendable {
    /// The lock file's descriptor, kept open (and so the lock held) until the process ends.
    private let descriptor: Int32
    let path: String

    /// Takes the lock of `folder`, or throws naming the process that holds it.
    init(folder: String) throws {
        path = folder + "/sigfox-sim.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ServeError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let owner = Self.readOwner(descriptor)
            close(descriptor)
            guard reason == EWOULDBLOCK else {
                throw ServeError("cannot lock \(path): \(String(cString: strerror(reason)))")
            }
            throw ServeError(
                "the data folder \(folder) is in use by another sigfox-sim serve"
                    + (owner.map { " (pid \($0))" } ?? "")
                    + "; stop it first, or give this one another --data folder"
            )
        }
        // Ours now: the file says who holds it, for the next one to name.
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        self.descriptor = descriptor
    }

    /// The pid written in the lock file by its holder, if it wrote one.
    private static func readOwner(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 31, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    deinit { close(descriptor) }
}
