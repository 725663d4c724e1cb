import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The one way the tests run a program: the built `sigfox-sim`, a Python server of `Tests/Fixtures`, or
/// `script` giving a command a terminal. Standard output and error are read as they come on threads of
/// their own (a program writing much to both cannot block), every wait is bounded and ends on something
/// the program shows (its output, its exit), and a process still running when its value goes away is
/// killed, so no test leaves one behind.
public final class TestProcess: Sendable {
    public let process: Process
    private let output = OutputBuffer()
    private let readersDone = DispatchGroup()
    /// Kept open while the process lives, when asked for: a program that stops at the end of its input
    /// (`serve --stop-on-stdin-eof`) outlives no test.
    private let input: Pipe?

    /// The `sigfox-sim` built beside the tests.
    public static var sigfoxSim: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sigfox-sim")
    }

    /// The repository's root: where the tool runs, so `Scenarios/...` paths hold.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// `Tests/Fixtures`.
    public static var fixtures: URL { repositoryRoot.appendingPathComponent("Tests/Fixtures") }

    /// Starts `executable` (the built `sigfox-sim` when nil) with `arguments`, in the repository's root.
    public init(
        _ arguments: [String],
        executable: URL? = nil,
        environment: [String: String]? = nil,
        keepInputOpen: Bool = false,
        input text: String? = nil
    ) throws {
        let process = Process()
        process.executableURL = executable ?? Self.sigfoxSim
        process.arguments = arguments
        process.currentDirectoryURL = Self.repositoryRoot
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        input = keepInputOpen || text != nil ? Pipe() : nil
        process.standardInput = input ?? FileHandle.nullDevice
        self.process = process
        try process.run()
        if let text, let input {
            // Written whole, then closed: the program reads it to its end.
            input.fileHandleForWriting.write(Data(text.utf8))
            try? input.fileHandleForWriting.close()
        }
        for (pipe, isError) in [(out, false), (err, true)] {
            readersDone.enter()
            Thread { [output, readersDone] in
                let handle = pipe.fileHandleForReading
                while case let data = handle.availableData, !data.isEmpty {
                    let text = String(decoding: data, as: UTF8.self)
                    output.append(text, isError: isError)
                }
                readersDone.leave()
            }.start()
        }
    }

    /// Runs the program to its end (killed after `timeout`), `input` on its standard input, and returns what
    /// it printed.
    public static func run(
        _ arguments: [String],
        executable: URL? = nil,
        environment: [String: String]? = nil,
        input: String? = nil,
        timeout: Double = 120
    ) throws -> Finished {
        let child = try TestProcess(arguments, executable: executable, environment: environment, input: input)
        let status = child.waitForExit(seconds: timeout) ?? child.kill()
        return Finished(status: status, stdout: child.stdout, stderr: child.stderr)
    }

    /// What a program that ended printed, and its exit status.
    public struct Finished: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public var pid: Int32 { process.processIdentifier }
    public var stdout: String { output.text.stdout }
    public var stderr: String { output.text.stderr }
    public var isRunning: Bool { process.isRunning }

    public func signal(_ number: Int32) { Glibc.kill(process.processIdentifier, number) }

    /// Waits until `found` holds of standard output (or standard error, with `inErrors`), at most `seconds`;
    /// false when it never did, or the program ended first without it.
    @discardableResult
    public func waitForOutput(
        seconds: Double = 30,
        inErrors: Bool = false,
        _ found: (String) -> Bool
    ) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if found(inErrors ? stderr : stdout) { return true }
            if !process.isRunning {
                readersDone.wait()
                return found(inErrors ? stderr : stdout)
            }
            usleep(10_000)
        }
        return found(inErrors ? stderr : stdout)
    }

    /// Waits until standard output holds `text`, at most `seconds`.
    @discardableResult
    public func waitForOutput(containing text: String, seconds: Double = 30) -> Bool {
        waitForOutput(seconds: seconds) { $0.contains(text) }
    }

    /// The async form, for async tests: the wait runs off Swift's concurrency pool.
    public func waitForOutput(containing text: String, timeout: Duration) async -> Bool {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        return await offPool { self.waitForOutput(containing: text, seconds: seconds) }
    }

    /// Waits (at most `seconds`) for the process to end; its exit status (128+N for signal N), or nil
    /// while it still runs. Everything it printed has been read when this returns a status.
    public func waitForExit(seconds: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        guard !process.isRunning else { return nil }
        readersDone.wait()
        return exitStatus
    }

    private var exitStatus: Int32 {
        process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// SIGKILL when it still runs (a child spawned from a thread of Swift's runtime may inherit a mask that
    /// blocks SIGTERM), then its exit status.
    @discardableResult
    public func kill() -> Int32 {
        if process.isRunning { signal(SIGKILL) }
        process.waitUntilExit()
        readersDone.wait()
        return exitStatus
    }

    /// Closes its standard input (a program that stops at the end of it stops).
    public func closeInput() { try? input?.fileHandleForWriting.close() }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}

/// What a process printed so far, appended by the reader threads.
private final class OutputBuffer: Sendable {
    private let state = Mutex<(stdout: String, stderr: String)>(("", ""))

    func append(_ text: String, isError: Bool) {
        state.withLock { output in
            if isError {
                output.stderr += text
            } else {
                output.stdout += text
            }
        }
    }

    var text: (stdout: String, stderr: String) { state.withLock { $0 } }
}

/// A fresh folder under the temporary directory, named after `name`; remove it with `defer`.
public func temporaryFolder(_ name: String = "sigfox-sim") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
