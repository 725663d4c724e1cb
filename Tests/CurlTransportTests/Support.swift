import CurlTransport
import Foundation
import SigfoxEngine
import SigfoxModel
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Sends one payload through `transport` and waits for its result.
func send(
    _ transport: CurlTransport,
    _ payload: RenderedCallback,
    timeoutMilliseconds: Int = 5_000,
    id: UInt64 = 1,
    sendSni: Bool = true
) async -> TransportResult {
    await withCheckedContinuation { continuation in
        let request = TransportRequest(
            id: id,
            payload: payload,
            timeoutMilliseconds: timeoutMilliseconds,
            sendSni: sendSni
        )
        transport.start(request) {
            continuation.resume(returning: $0)
        }
    }
}

/// A GET, POST or PUT request.
func http(
    _ method: HTTPMethod,
    _ url: String,
    headers: [(String, String)] = [],
    body: String? = nil
) -> RenderedCallback {
    .http(
        HTTPRequest(method: method, url: url, headers: headers.map { HTTPHeader(name: $0.0, value: $0.1) }, body: body)
    )
}

/// The status of an HTTP result, or nil.
func status(_ result: TransportResult) -> Int? {
    if case .http(let status, _, _) = result.outcome { return status }
    return nil
}

/// The failure message of a result, or nil.
func failureMessage(_ result: TransportResult) -> String? {
    if case .failure(_, let message) = result.outcome { return message }
    return nil
}

/// A loopback port nobody listens on (bound then closed at once).
func unusedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Where the fixtures (scripts, servers) live.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

/// A child process that is killed when the test is done with it. Its standard output goes to a file
/// (no pipe, no reader thread that could outlive the test and keep the test process from exiting).
final class ChildProcess: Sendable {
    let process: Process
    private let outputFile: URL

    init(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        outputFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sigfox-sim-child-\(UUID().uuidString).out"
        )
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        self.process = process
        try process.run()
    }

    var stdout: String {
        (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    /// Waits (bounded) until the output holds `text`.
    func waitForOutput(containing text: String, timeout: Duration = .seconds(10)) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if stdout.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return stdout.contains(text)
    }

    /// Kills the process and removes its output file. SIGKILL, because a child spawned from a thread
    /// of Swift's runtime may inherit a signal mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(10_000) }
        }
        try? FileManager.default.removeItem(at: outputFile)
    }

    /// Waits (bounded) for the process to end by itself; false when it had to be killed.
    func waitForExit(timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            stop()
            return false
        }
        return true
    }
}

/// Whether something accepts connections on the loopback `port`.
func isListening(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    } == 0
}

/// Waits (bounded) until `port` accepts connections. Looks once more at the end: in the full suite on 2
/// cores the cooperative pool can hold this task past the deadline while the server was ready long since.
func waitUntilListening(_ port: Int, timeout: Duration = .seconds(30)) async -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while clock.now < end {
        if isListening(port) { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return isListening(port)
}

/// A fresh temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sigfox-sim-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
