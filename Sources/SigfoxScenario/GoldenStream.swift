import Foundation
import SigfoxEngine

/// The run's normalised journal (``GoldenJournal``) written as the run goes, in canonical order, to a file
/// of its own: a golden check then reads that file and the golden file side by side, so the comparison
/// keeps neither journal in memory.
///
/// Tries end out of canonical order (due time, delivery, attempt), but not by much: a try is judged at the
/// latest 10 s after it was sent, so a small reorder buffer holds the lines until no try still open can
/// come before them (``flush(before:)``, with the scheduler's earliest open due time).
public final class GoldenStream {
    private struct Entry {
        var key: (SimulationTime, UInt64, Int)
        var line: String
    }

    /// Where the lines go (deleted by ``remove()``).
    public let path: String
    private let receiverURL: String?
    private var buffer: [Entry] = []
    private var file: UnsafeMutablePointer<FILE>?
    /// Lines written so far.
    public private(set) var count = 0
    /// How many lines the buffer may hold before the caller is asked to flush.
    public static let flushEvery = 1_000

    /// Opens a new file in the temporary folder.
    public init(receiverURL: String?) throws(ScenarioRunError) {
        self.receiverURL = receiverURL
        var template = Array((NSTemporaryDirectory() + "/sigfox-sim-golden-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0, let handle = fdopen(descriptor, "w") else {
            throw .journal(
                "cannot create a temporary file for the golden comparison: \(String(cString: strerror(errno)))"
            )
        }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        file = handle
    }

    /// Takes one try that ended, with its journal line (``AttemptRecord/jsonLine``).
    public func add(_ attempt: AttemptRecord, line: String) {
        buffer.append(
            Entry(
                key: (attempt.scheduledAt, attempt.delivery, attempt.attempt),
                line: GoldenJournal.normalize(line: line, receiverURL: receiverURL)
            )
        )
    }

    /// Whether enough lines wait for a flush to be worth it.
    public var wantsFlush: Bool { buffer.count >= Self.flushEvery }

    /// Writes, in canonical order, every line due before `mark` (nil: all of them, at the end of the run).
    public func flush(before mark: SimulationTime?) {
        buffer.sort { $0.key < $1.key }
        let cut = mark.map { mark in buffer.firstIndex { $0.key.0 >= mark } ?? buffer.count } ?? buffer.count
        guard cut > 0 else { return }
        for entry in buffer[..<cut] {
            fputs(entry.line, file)
            fputs("\n", file)
        }
        count += cut
        buffer.removeFirst(cut)
    }

    /// Writes what is left and closes the file.
    public func finish() {
        flush(before: nil)
        if let file { fclose(file) }
        file = nil
    }

    /// Deletes the file.
    public func remove() {
        finish()
        unlink(path)
    }

    deinit {
        if let file { fclose(file) }
    }
}

/// `@unchecked Sendable`: used by one thread at a time (the delivery loop's, then the report's).
extension GoldenStream: @unchecked Sendable {}
